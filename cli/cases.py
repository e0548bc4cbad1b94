"""Policy test cases: reading case files, running a case, comparing its results with what it expects.

A case is a facility, an as-of date and the verdicts expected. Case files live beside the policies (policies/tests/*.yaml); the format is documented in
docs/analyst-guide.md. `policy test` and pytest (tests/test_policy_cases.py) run them through
the façade (cli/api.py, `run_cases`).
"""

from __future__ import annotations

import copy
import datetime
import math
from pathlib import Path

import attrs

from .phrasing import reason


@attrs.frozen
class Case:
    file: str
    index: int
    name: str
    policy: str
    as_of: datetime.date
    period: str | None
    facilities: tuple  # facility mappings (already merged onto the base)
    expect: dict

    @property
    def id(self) -> str:
        return f"{Path(self.file).name}#{self.index + 1}"


class CaseFileError(Exception):
    pass


def _merge(base, override):
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            if value is None:  # `field: null` in a case removes the base's field (makes it absent)
                merged.pop(key, None)
            else:
                merged[key] = _merge(base.get(key), value) if key in base else copy.deepcopy(value)
        return merged
    return copy.deepcopy(override)


def case_files(paths: list[str]) -> list[Path]:
    from ..dsl.loader import shipped_policies_dir

    if not paths:
        paths = [str(shipped_policies_dir() / "tests")]
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(list(path.glob("*.yaml")) + list(path.glob("*.yml"))))
        elif path.exists():
            files.append(path)
        else:
            raise CaseFileError(f"{raw}: no such file or directory")
    return files


def load_cases(path: Path) -> list[Case]:
    import yaml

    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise CaseFileError(f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(document, dict) or "cases" not in document or "policy" not in document:
        raise CaseFileError(f"{path}: a case file is a mapping with `policy:` and `cases:`")
    base = document.get("base") or {}
    cases = []
    for index, raw in enumerate(document["cases"] or []):
        if not isinstance(raw, dict) or "name" not in raw or "expect" not in raw:
            raise CaseFileError(f"{path}: case {index + 1} needs `name:` and `expect:`")
        where = f"{path}: case {index + 1} ({raw['name']})"
        as_of = raw.get("as_of")
        if isinstance(as_of, str):
            try:
                as_of = datetime.date.fromisoformat(as_of)
            except ValueError:
                raise CaseFileError(f"{where}: as_of {as_of!r} is not a date; write YYYY-MM-DD") from None
        if not isinstance(as_of, datetime.date):
            raise CaseFileError(f"{where} needs `as_of: YYYY-MM-DD`")
        if not isinstance(raw["expect"], dict) or not raw["expect"]:
            raise CaseFileError(f"{where}: `expect:` maps rule ids to verdicts, e.g. `de.pue_new: pass`")
        if not isinstance(raw.get("facility") or {}, dict) or not isinstance(raw.get("facilities", []), list):
            raise CaseFileError(f"{where}: `facility:` is a mapping and `facilities:` a list of mappings")
        if "facilities" in raw:
            facilities = tuple(_merge(base, f) for f in raw["facilities"])
        else:
            facilities = (_merge(base, raw.get("facility") or {}),)
        period = raw.get("period")
        cases.append(Case(str(path), index, str(raw["name"]), str(raw.get("policy", document["policy"])),
                          as_of, str(period) if period is not None else None, facilities, dict(raw["expect"])))
    return cases


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


def run_case(case: Case, plans: PlanCache) -> list[str]:
    """Evaluate one case; return the list of mismatches (empty when it passes)."""
    import yaml

    from .api import InvalidInput, evaluate_plans, load_facilities

    plan = plans.get(case.policy, case.file)
    text = yaml.safe_dump({"facilities": [_plain(f) for f in case.facilities]}, sort_keys=False, allow_unicode=True)
    try:
        loaded = load_facilities(["-"], text)
    except InvalidInput as err:
        return ["the case's facility data is invalid:\n" + err.diagnostics.render()]
    run = evaluate_plans([plan], loaded, case.as_of, case.period)
    problems = []
    for key, expected in case.expect.items():
        result = _find(run, str(key), len(case.facilities))
        if result is None:
            problems.append(f"{key}: no such result (rule id, rule@facility, or rule@operator)")
            continue
        problems.extend(_compare(str(key), result, expected))
    return problems


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _find(run, key: str, facility_count: int):
    rule, _, subject = key.partition("@")
    for evaluation in run.evaluations:
        if subject and evaluation.facility != subject:
            continue
        if not subject and facility_count > 1:
            break
        for result in evaluation.results:
            if result.rule == rule:
                return result
    for operator in run.operators:
        if subject and operator.operator != subject:
            continue
        for result in operator.results:
            if result.rule == rule:
                return result
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
        elif field not in ("verdict", "value", "limit", "reason", "missing", "projection", "in_force_from", "due"):
            problems.append(f"{key}: unknown expectation field {field!r}")
    return problems


def _same(got, want) -> bool:
    if isinstance(want, (int, float)) and not isinstance(want, bool) and isinstance(got, (int, float)):
        return math.isclose(float(got), float(want), rel_tol=1e-6, abs_tol=1e-9)
    return str(got) == str(want)
