"""Reading policy test case files with positions: each case's facility stays YAML nodes of the case file.

The case file is loaded once with evaluator/yaml_nodes.py; a case's `facility:` is merged onto the
`base:` node by node, so an error in a figure is reported at the line of the case file where it was
written (in the base or in the case). The format is documented in docs/analyst-guide.md, "Test cases".
"""

from __future__ import annotations

import datetime
import difflib
from pathlib import Path

import attrs

from ..evaluator.results import VERDICTS
from ..evaluator.yaml_nodes import Node

# What an expectation may check, besides the verdict (docs/analyst-guide.md, "Test cases").
EXPECT_FIELDS = ("verdict", "value", "limit", "reason", "missing", "projection", "in_force_from", "due")
# Words people write for a verdict because a table or headline prints them so (headline: "2 n/a").
VERDICT_LABELS = {"n/a": "not_applicable", "na": "not_applicable", "informational": "info",
                  "excluded": "not_applicable", "exempted": "exempt"}
CASE_KEYS = ("name", "as_of", "period", "policy", "facility", "facilities", "expect")
FILE_KEYS = ("policy", "base", "cases")


@attrs.frozen
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


def load_cases(path: Path) -> list[Case]:
    from ..dsl.diagnostics import utf8_error_position
    from ..dsl.files import read_input
    from ..evaluator.yaml_nodes import load_yaml

    try:
        raw_bytes = read_input(path)
    except OSError as exc:
        raise CaseFileError(f"{path}:1:1: cannot read this case file: {exc.strerror or exc}") from None
    try:
        text = raw_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = utf8_error_position(raw_bytes, exc)
        raise CaseFileError(f"{path}:{line}:{column}: this case file is not UTF-8: byte 0x{raw_bytes[exc.start]:02x} "
                            "does not belong to a UTF-8 character; save it as UTF-8") from None
    root, problems = load_yaml(text, str(path))
    if problems:
        raise CaseFileError(_render(problems, text))
    if root is None or root.kind != "map" or root.get("cases") is None or root.get("policy") is None:
        raise CaseFileError(f"{_at(root) if root is not None else path}: a case file is a mapping with `policy:` and "
                            "`cases:`")
    _known_keys(root, FILE_KEYS, "a case file")
    base = root.get("base")
    if base is not None and base.kind != "map" and not base.is_null:
        raise CaseFileError(f"{_at(base)}: `base:` is a facility mapping")
    base = base if base is not None and base.kind == "map" else None
    cases_node = root.get("cases")
    if cases_node.kind != "seq":
        raise CaseFileError(f"{_at(cases_node)}: `cases:` is a list of cases, each starting with `- name:`")
    policy = str(plain(root.get("policy")))
    return [_case(path, text, index, raw, base, policy) for index, raw in enumerate(cases_node.items)]


def _case(path: Path, text: str, index: int, raw: Node, base: Node | None, policy: str) -> Case:
    if raw.kind != "map" or raw.get("name") is None or raw.get("expect") is None:
        raise CaseFileError(f"{_at(raw)}: case {index + 1} needs `name:` and `expect:`")
    _known_keys(raw, CASE_KEYS, "a case")
    name = str(plain(raw.get("name")))
    where = f"{_at(raw)}: case {index + 1} ({name})"
    as_of_node = raw.get("as_of")
    as_of = plain(as_of_node) if as_of_node is not None else None
    if isinstance(as_of, str):
        try:
            as_of = datetime.date.fromisoformat(as_of)
        except ValueError:
            raise CaseFileError(f"{_at(as_of_node)}: as_of {as_of!r} is not a date that exists; write YYYY-MM-DD"
                                ) from None
    if not isinstance(as_of, datetime.date) or isinstance(as_of, datetime.datetime):  # a time is not a day
        if as_of_node is not None:  # written, but not a day
            raise CaseFileError(f"{_at(as_of_node)}: case {index + 1} ({name}) needs `as_of: YYYY-MM-DD`, not "
                                f"{as_of_node.describe()}")
        raise CaseFileError(f"{where} needs `as_of: YYYY-MM-DD`")
    expect_node = raw.get("expect")
    if expect_node.kind != "map" or not expect_node.entries:
        raise CaseFileError(f"{_at(expect_node)}: `expect:` maps rule ids to verdicts, e.g. `de.pue_new: pass`")
    expect = {}
    for key, value in expect_node.entries:
        expect[key.text] = _expectation(key.text, value)
    facility, facilities = raw.get("facility"), raw.get("facilities")
    if facility is not None and facility.kind != "map" and not facility.is_null:
        raise CaseFileError(f"{_at(facility)}: `facility:` is a mapping merged onto the base")
    if facilities is not None and (facilities.kind != "seq" or any(f.kind != "map" for f in facilities.items)):
        raise CaseFileError(f"{_at(facilities)}: `facilities:` is a list of mappings, each merged onto the base")
    if facilities is not None:
        merged = tuple(merge(base, f, f.span) for f in facilities.items)
    else:
        merged = (merge(base, facility if facility is not None and facility.kind == "map" else None, raw.span),)
    period = raw.get("period")
    return Case(str(path), index, name, str(plain(raw.get("policy")) if raw.get("policy") else policy), as_of,
                str(plain(period)) if period is not None else None, merged, expect, raw.span.line, text)


def _expectation(rule: str, node: Node):
    """A verdict word, or a mapping of EXPECT_FIELDS; unknown words are rejected with a suggestion."""
    value = plain(node)
    if isinstance(value, dict):
        for field in value:
            if field not in EXPECT_FIELDS:
                close = difflib.get_close_matches(str(field), EXPECT_FIELDS, n=1)
                hint = f' (did you mean "{close[0]}"?)' if close else ""
                raise CaseFileError(f"{_at(node)}: {rule}: unknown expectation field {field!r}{hint}; "
                                    f"known: {', '.join(EXPECT_FIELDS)}")
        verdict = value.get("verdict")
    else:
        verdict = value
    if verdict is not None and verdict not in VERDICTS:
        word = str(verdict).strip().lower()
        close = ([VERDICT_LABELS[word]] if word in VERDICT_LABELS
                 else difflib.get_close_matches(word.replace("-", "_").replace(" ", "_"), VERDICTS, n=1, cutoff=0.6))
        hint = f' (did you mean "{close[0]}"?)' if close else ""
        raise CaseFileError(f"{_at(node)}: {rule}: unknown verdict {verdict!r}{hint}; "
                            f"write one of {', '.join(VERDICTS)}")
    return value


def _known_keys(node: Node, known: tuple[str, ...], what: str) -> None:
    for key, _ in node.entries:
        if key.text not in known:
            close = difflib.get_close_matches(key.text or "", known, n=1)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            raise CaseFileError(f"{_at(key)}: unknown key {key.text!r} in {what}{hint}; known: {', '.join(known)}")


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


def _at(node: Node) -> str:
    return f"{node.span.file}:{node.span.line}:{node.span.column}"


def _render(problems, text: str) -> str:
    from ..dsl.diagnostics import render

    return "\n".join(render(p, text) for p in problems)
