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

from .case_files import Case, CaseFileError, case_files, load_cases
from .phrasing import reason


__all__ = ["Case", "CaseFileError", "CaseOutcome", "CaseRun", "PlanCache", "case_files", "load_cases", "resolve_policy",
           "run_case"]


@attrs.frozen
class CaseOutcome:
    """One case's result: what differed from what it expects (nothing when it passes)."""

    case: object  # cases.Case
    problems: tuple[str, ...]  # empty when the case passes
    run: object = None  # the case's Run (None when its facility data is invalid)


@attrs.frozen
class CaseRun:
    """What run_cases returns: each case's outcome, and the plans the cases ran against (for coverage)."""

    outcomes: tuple[CaseOutcome, ...]
    plans: tuple = ()

    def __iter__(self):  # a CaseRun reads as its outcomes
        return iter(self.outcomes)

    def __len__(self) -> int:
        return len(self.outcomes)


class PlanCache:
    """Compiled plans by policy file, each compiled once per run."""

    def __init__(self):
        self._plans: dict[Path, object] = {}

    def get(self, policy: str, case_file: str | None = None):
        path = resolve_policy(policy, case_file)
        if path not in self._plans:
            from .api import compile_plans

            self._plans[path] = compile_plans([path])[0]
        return self._plans[path]

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
    trace included. The case's Run is appended to `runs` when given (coverage reads it)."""
    from ..dsl.diagnostics import DiagnosticError
    from ..evaluator.inputs import load_facility_nodes
    from .api import evaluate_plans
    from .explain import explain_lines

    plan = plans.get(case.policy, case.file)
    try:
        loaded = load_facility_nodes(case.facilities, case.file, case.text)
    except DiagnosticError as err:
        return ["the case's facility data is invalid:\n" + err.render()]
    run = evaluate_plans([plan], loaded, case.as_of, case.period)
    if runs is not None:
        runs.append(run)
    problems = []
    for key, expected in case.expect.items():
        found = _find(run, str(key), len(case.facilities))
        if found is None:
            problems.append(f"{key}: no such result (rule id, rule@facility, or rule@operator)")
            continue
        result, evaluation = found
        mismatches = _compare(str(key), result, expected)
        if mismatches:
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
    problems = []
    got = f"(got {result.verdict}: {reason(result)})"
    for field, want in expected.items():
        if field == "verdict" and result.verdict != want:
            problems.append(f"{key}: expected verdict {want} {got}")
        elif field == "value" and not _same(result.value, want):
            problems.append(f"{key}: expected value {want!r}, got {result.value!r} {got}")
        elif field == "limit" and not _same(result.limit, want):
            problems.append(f"{key}: expected limit {want!r}, got {result.limit!r} {got}")
        elif field == "reason" and str(want) not in reason(result):
            problems.append(f"{key}: expected the reason to contain {want!r} {got}")
        elif field == "missing":
            absent = [m for m in want if not any(m == x or x.startswith(m) or m in x for x in result.missing)]
            if absent:
                problems.append(f"{key}: expected missing {absent}, got {list(result.missing)} {got}")
        elif field == "projection" and bool(result.projection) != bool(want):
            problems.append(f"{key}: expected projection {want} {got}")
        elif field == "in_force_from" and str(result.in_force_from) != str(want):
            problems.append(f"{key}: expected in_force_from {want}, got {result.in_force_from} {got}")
        elif field == "due" and str(result.due) != str(want):
            problems.append(f"{key}: expected due {want}, got {result.due} {got}")
    return problems


def _same(got, want) -> bool:
    if isinstance(want, (int, float)) and not isinstance(want, bool) and isinstance(got, (int, float)):
        return math.isclose(float(got), float(want), rel_tol=1e-6, abs_tol=1e-9)
    return str(got) == str(want)
