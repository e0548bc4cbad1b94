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
    """The cases of one file; CaseFileError names the file, line and column of anything malformed."""
    from ..dsl.diagnostics import utf8_error_position
    from ..evaluator.yaml_nodes import load_yaml

    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = utf8_error_position(raw, exc)
        raise CaseFileError(f"{path}:{line}:{column}: this case file is not UTF-8: byte 0x{raw[exc.start]:02x} "
                            "does not belong to a UTF-8 character; save it as UTF-8") from None
    document, problems = load_yaml(text, str(path))
    if problems:  # not YAML, a key written twice, a tag
        first = problems[0]
        raise CaseFileError(f"{first.span.file}:{first.span.line}:{first.span.column}: {first.message}")
    if document is None or document.kind != "map" or document.get("cases") is None or document.get("policy") is None:
        raise CaseFileError(f"{_at(path, document)}: a case file is a mapping with `policy:` and `cases:`")
    cases_node = document.get("cases")
    if cases_node.kind != "seq" and not cases_node.is_null:
        raise CaseFileError(f"{_at(path, cases_node)}: `cases:` is a list of cases, each starting with `- name:`")
    base = _python(document.get("base")) or {}
    if not isinstance(base, dict):
        raise CaseFileError(f"{_at(path, document.get('base'))}: `base:` is a facility mapping")
    return [_case(path, index, node, base, document) for index, node in enumerate(cases_node.items)]


def _case(path: Path, index: int, node, base: dict, document) -> Case:
    if node.kind != "map" or node.get("name") is None or node.get("expect") is None:
        raise CaseFileError(f"{_at(path, node)}: case {index + 1} is a mapping with `name:` and `expect:`, "
                            f"not {node.describe()}")
    name = str(_python(node.get("name")))
    where = f"case {index + 1} ({name})"
    as_of_node = node.get("as_of")
    as_of = _python(as_of_node)
    if isinstance(as_of, str):
        try:
            as_of = datetime.date.fromisoformat(as_of)
        except ValueError:
            raise CaseFileError(f"{_at(path, as_of_node)}: {where}: as_of {as_of!r} is not a date that exists; "
                                "write YYYY-MM-DD") from None
    if not isinstance(as_of, datetime.date) or isinstance(as_of, datetime.datetime):
        raise CaseFileError(f"{_at(path, as_of_node or node)}: {where} needs `as_of: YYYY-MM-DD`")
    expect = _python(node.get("expect"))
    if not isinstance(expect, dict) or not expect:
        raise CaseFileError(f"{_at(path, node.get('expect'))}: {where}: `expect:` maps rule ids to verdicts, "
                            "e.g. `de.pue_new: pass`")
    facility, facilities = _python(node.get("facility")) or {}, _python(node.get("facilities"))
    if not isinstance(facility, dict) or not isinstance(facilities if facilities is not None else [], list) or any(
            not isinstance(f, dict) for f in facilities or []):
        wrong = node.get("facilities") if node.get("facilities") is not None else node.get("facility")
        raise CaseFileError(f"{_at(path, wrong)}: {where}: `facility:` is a mapping and `facilities:` a list of "
                            "mappings")
    merged = tuple(_merge(base, f) for f in facilities) if facilities is not None else (_merge(base, facility),)
    period = _python(node.get("period"))
    policy = _python(node.get("policy")) or _python(document.get("policy"))
    return Case(str(path), index, name, str(policy), as_of, str(period) if period is not None else None, merged,
                expect)


def _at(path: Path, node) -> str:
    """file:line:column of a node (the file alone when there is none)."""
    return f"{path}:{node.span.line}:{node.span.column}" if node is not None else str(path)


def _python(node):
    """A node's plain value: dicts, lists and scalars, as yaml.safe_load would give them."""
    if node is None:
        return None
    if node.kind == "map":
        return {_python(key): _python(value) for key, value in node.entries}
    if node.kind == "seq":
        return [_python(item) for item in node.items]
    return node.value


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
