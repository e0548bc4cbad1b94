"""Policy test cases: reading case files, running a case, comparing its results with what it expects.

A case is a facility, an as-of date and the verdicts expected. Case files live beside the policies
(policies/tests/*.yaml), are read by cli/case_files.py, and their format is documented in
docs/analyst-guide.md. `policy test` and pytest (tests/test_policy_cases.py) run them through
the façade (cli/api.py, `run_cases`).
"""

from __future__ import annotations

import math
from pathlib import Path

import attrs

from ..dsl.data import frozen
from .case_files import Case, CaseFileError, case_files, load_cases
from .phrasing import reason


__all__ = ["Case", "CaseFileError", "CaseOutcome", "CaseRun", "PlanCache", "case_files", "load_cases", "no_warnings",
           "resolve_policy", "run_case"]


def no_warnings(paths) -> None:
    """--strict: a policy's warnings fail the run like errors (InvalidPolicy with every warning)."""
    from ..dsl.diagnostics import DiagnosticError
    from .api import InvalidPolicy, check_policy, display_path

    warnings, sources = [], {}
    for path in paths:
        checked = check_policy(path, display_path(path))
        warnings.extend(checked.warnings)
        sources[display_path(path)] = checked.source
    if warnings:
        raise InvalidPolicy(DiagnosticError(warnings, sources))


@frozen
class CaseOutcome:
    """One case's result: what differed from what it expects (nothing when it passes)."""

    case: object  # cases.Case
    problems: tuple[str, ...]  # empty when the case passes
    run: object = None  # the case's Run (None when its facility data is invalid)


@frozen
class CaseRun:
    """What run_cases returns: each case's outcome, and the plans the cases ran against (for coverage)."""

    outcomes: tuple[CaseOutcome, ...]
    plans: tuple = ()

    def __iter__(self):  # a CaseRun reads as its outcomes
        return iter(self.outcomes)

    def __len__(self) -> int:
        return len(self.outcomes)


class PlanCache:
    """What a run of cases shares: compiled plans by policy file (each compiled once per run), where each
    case file's `policy:` resolves to, and each case file's SourceFile (its text hashed once, not per case)."""

    def __init__(self):
        self._plans: dict[Path, object] = {}
        self._resolved: dict[tuple[str, str | None], Path] = {}
        self._sources: dict[str, object] = {}
        self._narrowed: dict[tuple, object] = {}

    def resolve(self, policy: str, case_file: str | None = None) -> Path:
        """Where a case file's `policy:` leads (resolve_policy), looked up once per case file and policy."""
        key = (policy, case_file)
        path = self._resolved.get(key)
        if path is None:
            path = self._resolved[key] = resolve_policy(policy, case_file)
        return path

    def get(self, policy: str, case_file: str | None = None):
        path = self.resolve(policy, case_file)
        if path not in self._plans:
            from .api import compile_plans

            self._plans[path] = compile_plans([path])[0]
        return self._plans[path]

    def for_expectations(self, plan, case: Case):
        """The plan with only the rules the case expects a result of: without coverage, nobody reads the
        others, and each rule is judged on its own (tests/test_cold_start.py compares both ways)."""
        wanted = frozenset(str(key).partition("@")[0] for key in case.expect)
        key = (id(plan), wanted)
        found = self._narrowed.get(key)
        if found is None:
            found = self._narrowed[key] = attrs.evolve(plan, rules=tuple(r for r in plan.rules if r.rule_id in wanted))
        return found

    def source(self, case: Case):
        """The case file as evaluator/facts.SourceFile (path, sha256, text), made once per file."""
        found = self._sources.get(case.file)
        if found is None:
            import hashlib

            from ..evaluator.facts import SourceFile

            found = self._sources[case.file] = SourceFile(
                case.file, hashlib.sha256(case.text.encode("utf-8")).hexdigest(), case.text)
        return found

    def paths(self) -> list[Path]:
        """The policy files compiled so far."""
        return list(self._plans)

    def plans(self) -> list:
        """The plans compiled so far, in the order first asked for."""
        return list(self._plans.values())


def resolve_policy(policy: str, case_file: str | None) -> Path:
    """A case file's `policy:`: a path to a .policy file (relative to the case file), or a
    jurisdiction code: a `<code>.policy` beside the case file or in its parent folder (the layout
    `policies/` + `policies/tests/`), else a shipped policy."""
    from .api import shipped_policies

    here = Path(case_file).resolve().parent if case_file else Path.cwd()
    if policy.endswith(".policy"):
        path = (here / policy).resolve()
        if not path.is_file():
            raise CaseFileError(f"{case_file}: policy file {policy} not found (paths are relative to the case file)")
        return path
    file_name = policy.replace("_", "-") + ".policy"
    for folder in (here, here.parent):
        candidate = folder / file_name
        if candidate.is_file():
            return candidate.resolve()
    available = shipped_policies()
    if policy in available:
        return available[policy].resolve()
    raise CaseFileError(f'{case_file}: no policy "{policy}": not beside the case file, not in its parent folder, '
                        f"and not shipped ({', '.join(sorted(available))})")


def run_case(case: Case, plans: PlanCache, runs: list | None = None) -> list[str]:
    """Evaluate one case; return the list of mismatches (empty when it passes), each failing rule's
    trace included. The case's Run (of every rule) is appended to `runs` when given (coverage reads it);
    without `runs`, only the rules the case expects are judged."""
    from ..dsl.diagnostics import DiagnosticError
    from ..evaluator.inputs import load_facility_nodes
    from .api import evaluate_plans

    plan = plans.get(case.policy, case.file)
    if runs is None:  # no coverage: only the rules the case expects are judged
        plan = plans.for_expectations(plan, case)
    try:
        loaded = load_facility_nodes(case.facilities, case.file, case.text, plans.source(case))
    except DiagnosticError as err:
        return ["the case's facility data is invalid:\n" + err.render()]
    # Where each fact came from is shown only in a failing case's trace: judged without it, and again
    # with it for the case that fails (coverage reads only which steps were reached).
    run = evaluate_plans([plan], loaded, case.as_of, case.period, provenance=False)
    if runs is not None:
        runs.append(run)
    problems = []
    traced = None  # the run with provenance, made for the first mismatch
    for key, expected in case.expect.items():
        found = _find(run, str(key), len(case.facilities))
        if found is None:
            problems.append(f"{key}: no such result (rule id, rule@facility, or rule@operator)")
            continue
        result, evaluation = found
        mismatches = _compare(str(key), result, expected)
        if mismatches:
            from .explain import explain_lines

            if traced is None:
                traced = evaluate_plans([plan], loaded, case.as_of, case.period)
            result, evaluation = _find(traced, str(key), len(case.facilities))
            trace = "\n".join("  " + line for line in explain_lines(result, evaluation, case.as_of))
            problems.append("\n".join(mismatches) + "\n" + trace)
    return problems


def _find(run, key: str, facility_count: int):
    rule, _, subject = key.partition("@")
    for evaluation in run.evaluations:
        if subject and evaluation.facility != subject:
            continue
        if not subject and facility_count > 1:
            break
        for result in evaluation.results:
            if result.rule == rule:
                return result, evaluation
    for operator in run.operators:
        if subject and operator.operator != subject:
            continue
        for result in operator.results:
            if result.rule == rule:
                return result, None
    return None


def _compare(key: str, result, expected) -> list[str]:
    if isinstance(expected, str):
        expected = {"verdict": expected}
    failed = [(field, want) for field, want in expected.items() if not _meets(result, field, want)]
    if not failed:
        return []  # the usual case: no reason is worded for a case that passes
    got = f"(got {result.verdict}: {reason(result)})"
    return [_mismatch(key, result, field, want, got) for field, want in failed]


def _mismatch(key: str, result, field: str, want, got: str) -> str:
    if field == "verdict":
        return f"{key}: expected verdict {want} {got}"
    if field in ("value", "limit"):
        return f"{key}: expected {field} {want!r}, got {getattr(result, field)!r} {got}"
    if field == "reason":
        return f"{key}: expected the reason to contain {want!r} {got}"
    if field == "missing":
        absent = [m for m in want if not any(m == x or x.startswith(m) or m in x for x in result.missing)]
        return f"{key}: expected missing {absent}, got {list(result.missing)} {got}"
    if field == "projection":
        return f"{key}: expected projection {want} {got}"
    return f"{key}: expected {field} {want}, got {getattr(result, field)} {got}"  # in_force_from, due


def _meets(result, field: str, want) -> bool:
    """Whether one expectation holds (what _compare words when it does not)."""
    if field == "verdict":
        return result.verdict == want
    if field in ("value", "limit"):
        return _same(getattr(result, field), want)
    if field == "reason":
        return str(want) in reason(result)
    if field == "missing":
        return all(any(m == x or x.startswith(m) or m in x for x in result.missing) for m in want)
    if field == "projection":
        return bool(result.projection) == bool(want)
    if field in ("in_force_from", "due"):
        return str(getattr(result, field)) == str(want)
    return True


def _same(got, want) -> bool:
    if isinstance(want, (int, float)) and not isinstance(want, bool) and isinstance(got, (int, float)):
        return math.isclose(float(got), float(want), rel_tol=1e-6, abs_tol=1e-9)
    return str(got) == str(want)
