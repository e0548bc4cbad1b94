"""Reading policy test case files with positions: each case's facility stays YAML nodes of the case file.

The case file is loaded once with evaluator/yaml_nodes.py; a case's `facility:` is merged onto the
`base:` node by node, so an error in a figure is reported at the line of the case file where it was
written (in the base or in the case). The format is documented in docs/analyst-guide.md, "Test cases".
"""

from __future__ import annotations

import datetime
import difflib
import re
from pathlib import Path

import attrs

from ..dsl.data import frozen
from ..dsl.dates import parse_date, why_not_a_date
from ..dsl.diagnostics import Span, excerpt
from ..dsl.facility_messages import F301, F302, F303
from ..evaluator.results import VERDICTS
from ..evaluator.yaml_nodes import Node

# What an expectation may check, besides the verdict (docs/analyst-guide.md, "Test cases").
EXPECT_FIELDS = ("verdict", "value", "limit", "reason", "missing", "projection", "in_force_from", "due")
# Words people write for a verdict because a table or headline prints them so (headline: "2 n/a").
VERDICT_LABELS = {"n/a": "not_applicable", "na": "not_applicable", "informational": "info",
                  "excluded": "not_applicable", "exempted": "exempt"}
CASE_KEYS = ("name", "as_of", "period", "policy", "facility", "facilities", "expect")
FILE_KEYS = ("policy", "base", "cases")


@frozen
class Case:
    file: str
    index: int
    name: str
    policy: str
    as_of: datetime.date
    period: str | None
    facilities: tuple  # facility mapping nodes (yaml_nodes.Node), already merged onto the base
    expect: dict
    line: int = 0  # where the case starts in its file
    text: str = attrs.field(default="", eq=False, repr=False)  # the case file's text, for positions

    @property
    def id(self) -> str:
        return f"{Path(self.file).name}#{self.index + 1}"


class CaseFileError(Exception):
    pass


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


def load_cases(path: Path, resolve=None) -> list[Case]:
    """The cases of one file; `resolve(policy, case_file)` (cases.PlanCache.resolve, which caches; else
    cases.resolve_policy) must find each `policy:` it names, or the error is located there."""
    from ..dsl.diagnostics import utf8_error_position
    from ..dsl.files import read_input
    from ..evaluator.yaml_nodes import load_yaml

    try:
        raw_bytes = read_input(path)
    except OSError as exc:
        raise _error(Span.point(str(path), 1, 1), F301.main, "", reason=exc.strerror or exc) from None
    try:
        text = raw_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = utf8_error_position(raw_bytes, exc)
        raise _error(Span.point(str(path), line, column), F301.not_utf8, "", byte=raw_bytes[exc.start]) from None
    root, problems = load_yaml(text, str(path))
    if problems:
        raise CaseFileError(_render(problems, text))
    if root is None or root.kind != "map" or root.get("cases") is None or root.get("policy") is None:
        raise _error(root.span if root is not None else Span.point(str(path), 1, 1), F302.main, text)
    _known_keys(root, FILE_KEYS, F302.unknown_key, text)
    base = root.get("base")
    if base is not None and base.kind != "map" and not base.is_null:
        raise _error(base.span, F302.base, text)
    base = base if base is not None and base.kind == "map" else None
    cases_node = root.get("cases")
    if cases_node.kind != "seq":
        raise _error(cases_node.span, F302.cases, text)
    policy = _policy(root.get("policy"), text, path, resolve)
    return [_case(path, text, index, raw, base, policy, resolve) for index, raw in enumerate(cases_node.items)]


def _case(path: Path, text: str, index: int, raw: Node, base: Node | None, policy: str, resolve=None) -> Case:
    number = index + 1
    if raw.kind != "map" or raw.get("name") is None or raw.get("expect") is None:
        raise _error(raw.span, F303.main, text, number=number)
    _known_keys(raw, CASE_KEYS, F303.unknown_key, text)
    name = excerpt(str(plain(raw.get("name"))))
    as_of_node = raw.get("as_of")
    as_of = plain(as_of_node) if as_of_node is not None else None
    if isinstance(as_of, str):
        try:
            as_of = datetime.date.fromisoformat(as_of)
        except ValueError:
            raise _error(as_of_node.span, F303.as_of_day, text, written=excerpt(as_of),
                         reason=why_not_a_date(as_of)) from None
    if not isinstance(as_of, datetime.date) or isinstance(as_of, datetime.datetime):  # a time is not a day
        if as_of_node is not None:  # written, but not a day
            raise _error(as_of_node.span, F303.as_of_kind, text, number=number, name=name,
                         found=as_of_node.describe())
        raise _error(raw.span, F303.as_of_missing, text, number=number, name=name)
    from .evaluate import EARLIEST, LATEST

    if not EARLIEST <= as_of <= LATEST:
        raise _error(as_of_node.span, F303.as_of_range, text, number=number, name=name, day=as_of,
                     earliest=EARLIEST, latest=LATEST)
    expect_node = raw.get("expect")
    if expect_node.kind != "map" or not expect_node.entries:
        raise _error(expect_node.span, F303.expect, text)
    expect = {}
    for key, value in expect_node.entries:
        expect[key.text] = _expectation(key.text, value, text)
    facility, facilities = raw.get("facility"), raw.get("facilities")
    if facility is not None and facility.kind != "map" and not facility.is_null:
        raise _error(facility.span, F303.facility, text)
    if facilities is not None and (facilities.kind != "seq" or any(f.kind != "map" for f in facilities.items)):
        raise _error(facilities.span, F303.facilities, text)
    if facilities is not None:
        merged = tuple(merge(base, f, f.span) for f in facilities.items)
    else:
        merged = (merge(base, facility if facility is not None and facility.kind == "map" else None, raw.span),)
    period = raw.get("period")
    return Case(str(path), index, name, _policy(raw.get("policy"), text, path, resolve) if raw.get("policy") else policy, as_of,
                str(plain(period)) if period is not None else None, merged, expect, raw.span.line, text)


def _expectation(rule: str, node: Node, text: str):
    """A verdict word, or a mapping of EXPECT_FIELDS; unknown words are rejected with a suggestion."""
    value = plain(node)
    if isinstance(value, dict):
        for field in value:
            if field not in EXPECT_FIELDS:
                close = difflib.get_close_matches(str(field), EXPECT_FIELDS, n=1)
                hint = f' (did you mean "{close[0]}"?)' if close else ""
                raise _error(node.span, F303.field, text, rule=rule, field=field, suggestion=hint,
                             known=", ".join(EXPECT_FIELDS))
        for field, child in node.entries:
            expected = _expected_kind(field.text, child)
            if expected is not None:
                raise _error(child.span, F303.field_type, text, rule=rule, field=field.text, expected=expected,
                             found=child.describe())
        verdict = value.get("verdict")
    else:
        verdict = value
    if verdict is not None and (not isinstance(verdict, str) or verdict not in VERDICTS):
        word = str(verdict).strip().lower()
        close = ([VERDICT_LABELS[word]] if word in VERDICT_LABELS
                 else difflib.get_close_matches(word.replace("-", "_").replace(" ", "_"), VERDICTS, n=1, cutoff=0.6))
        hint = f' (did you mean "{close[0]}"?)' if close else ""
        raise _error(node.span, F303.verdict, text, rule=rule, verdict=_short(verdict), suggestion=hint,
                     verdicts=", ".join(VERDICTS))
    return value


def _policy(node: Node, text: str, path: Path, resolve=None) -> str:
    """`policy:` of a case file or a case: a code or a path, as text, naming a policy that exists."""
    if resolve is None:
        from .cases import resolve_policy as resolve

    if node.kind != "scalar" or not isinstance(node.value, str) or not node.value.strip():
        raise _error(node.span, F303.policy, text, found=node.describe())
    try:
        resolve(node.value, str(path))
    except CaseFileError as err:  # located here, at the `policy:` that names it, before any case runs
        raise _error(node.span, F303.policy_unknown, text, why=str(err).split(": ", 1)[-1]) from None
    return node.value


def _expected_kind(field: str | None, node: Node) -> str | None:
    """What an expectation field must hold, when `node` holds something else (None when it fits)."""
    value = None if node.kind != "scalar" else node.value
    if field in ("value", "limit", "reason") and node.kind != "scalar":
        return "a single value" if field != "reason" else "a text"
    if field == "projection" and not isinstance(value, bool):
        return "true or false"
    if field in ("in_force_from", "due") and node.kind == "scalar" and value is not None and not _is_day(value):
        return "a date, YYYY-MM-DD"
    if field == "missing" and (node.kind != "seq" or any(i.kind != "scalar" or not isinstance(i.value, str)
                                                          for i in node.items)):
        return "a list of fact names, e.g. [period.energy.it]"
    return None


def _is_day(value) -> bool:
    """A day, written as a date or quoted ("2025-12-31"), not a time."""
    if isinstance(value, str):
        return re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value) is not None and parse_date(value) is not None
    return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)


def _short(value):
    """A value quoted in a message: itself if short text, else an excerpt of its text."""
    return value if isinstance(value, str) and len(value) <= 60 else excerpt(str(value))


def _known_keys(node: Node, known: tuple[str, ...], wording, text: str) -> None:
    for key, _ in node.entries:
        if key.text not in known:
            close = difflib.get_close_matches(key.text or "", known, n=1)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            raise _error(key.span, wording, text, key=_short(key.text), suggestion=hint, known=", ".join(known))


def _error(span, wording, text: str, **fields) -> CaseFileError:
    """A located error of a case file (F301-F303, dsl/facility_messages.py), rendered with its line."""
    from ..dsl.diagnostics import render

    return CaseFileError(render(wording.at(span, **fields), text or None))


def merge(base: Node | None, override: Node | None, span) -> Node:
    """The case's facility merged onto the base: mappings key by key, anything else replaced;
    `field: null` in the case removes the base's field (the fact becomes absent). Nodes keep their spans."""
    if base is None:
        return override if override is not None else Node("map", (), span)
    if override is None:
        return base
    if base.kind != "map" or override.kind != "map":
        return override
    entries = []
    overrides = {k.text: (k, v) for k, v in override.entries}
    for key, value in base.entries:
        if key.text in overrides:
            new_key, new_value = overrides.pop(key.text)
            if not new_value.is_null:
                entries.append((new_key, merge(value, new_value, new_value.span) if value.kind == "map" else new_value))
        else:
            entries.append((key, value))
    entries.extend((k, v) for k, v in overrides.values() if not v.is_null)
    return Node("map", tuple(entries), override.span)


def plain(node: Node | None):
    """A node as plain Python values (mappings, lists, scalars), for the case's own fields."""
    if node is None:
        return None
    if node.kind == "map":
        return {k.text: plain(v) for k, v in node.entries}
    if node.kind == "seq":
        return [plain(v) for v in node.items]
    return node.value


def _render(problems, text: str) -> str:
    from ..dsl.diagnostics import render

    return "\n".join(render(p, text) for p in problems)
