"""Document shape: which mapping a YAML document is, and the facility, period and portfolio mappings in it.

Walks the mappings (nested or dotted keys) into dotted-path facts, reports keys that are not fields
with the nearest right name, reads period labels, and hands each value to :mod:`.fields`.
"""

from __future__ import annotations

import datetime
import re

from ..dsl import schema
from ..dsl.dates import parse_date
from ..dsl.diagnostics import Diagnostic, Span
from ..dsl.facility_messages import F103, F104, F105, F106, F107, F204, F205, F208
from ..dsl.records import RECORD_LISTS
from ..dsl.schema import FACILITY_FIELDS, PERIOD_FIELDS, FactType

from . import invariants, records
from .facts import Fact, Facility, Period, SourceFile
from .fields import ABSENT, REQUIRED, Report, closest, convert, date_value
from .yaml_nodes import Node

SUPPORTED_MAJOR = 1
FACILITY_KEYS = ("dcpolicy", "periods")  # keys of a facility mapping besides the fields
PERIOD_KEYS = ("period",)
PORTFOLIO_KEYS = ("dcpolicy", "operator", "facilities")

# [0-9], not \d: a full-width or other script's digit is not a number (issue 12, leniency)
VERSION = re.compile(r"\s*(?P<kind>[A-Za-z_]+)\s*/\s*(?P<major>[0-9]+)(?:\.(?P<minor>[0-9]+))?\s*")
FISCAL = re.compile(r"^\s*FY\s*(?P<y>[0-9]{4})\s*$", re.IGNORECASE)
CALENDAR = re.compile(r"^\s*(?P<y>[0-9]{4})\s*$")
_DAY = r"[0-9]{4}-[0-9]{1,2}(?:-[0-9]{1,2})?"
CUSTOM = re.compile(rf"^\s*(?P<a>{_DAY})\s*\.\.\s*(?P<b>{_DAY})\s*$")


def _groups(table: dict[str, FactType]) -> set[str]:
    out: set[str] = set()
    for path in table:
        parts = path.split(".")
        for i in range(1, len(parts)):
            out.add(".".join(parts[:i]))
    return out


FACILITY_GROUPS = _groups(FACILITY_FIELDS)
PERIOD_GROUPS = _groups(PERIOD_FIELDS)


def _children(table: dict[str, FactType], extra: tuple[str, ...], prefix: str) -> list[str]:
    """Names that may be written inside the mapping at ``prefix`` ("" for the top)."""
    names = [p[len(prefix):].split(".")[0] for p in table if p.startswith(prefix)]
    if not prefix:
        names += list(extra) + (list(RECORD_LISTS) if table is FACILITY_FIELDS else [])
    return list(dict.fromkeys(names))


def _defaults(table: dict[str, FactType]) -> tuple[tuple[str, Fact], ...]:
    """The facts of a table's fields that have a default in the schema; one frozen Fact each, shared by every
    facility or period that leaves the field out (issue 9: not one new Fact per facility)."""
    return tuple((path, Fact(ftype.default, None, None)) for path, ftype in table.items() if ftype.default is not None)


FACILITY_DEFAULTS = _defaults(FACILITY_FIELDS)
PERIOD_DEFAULTS = _defaults(PERIOD_FIELDS)


def _fill_defaults(facts: dict[str, Fact], defaults: tuple[tuple[str, Fact], ...]) -> None:
    """Give every fact the file leaves out that has a default in the schema its default value."""
    for path, fact in defaults:
        if path not in facts:
            facts[path] = fact


def _head(span: Span) -> Span:
    """A one-character span at the start of a mapping (for "missing field" errors)."""
    return Span.point(span.file, span.line, span.column)


# ---------------------------------------------------------------- which document
def document_kind(root: Node, report: Report) -> str | None:
    """"facility" or "portfolio", from the `dcpolicy:` marker or else the keys; None after reporting why not."""
    if root.kind != "map":
        report(F104.at(root.span, found=root.describe()))
        return None
    version = root.get("dcpolicy")
    if version is not None:
        return _version(version, report)
    keys = set(root.keys())
    if "facilities" in keys:
        return "portfolio"
    if keys & set(_children(FACILITY_FIELDS, FACILITY_KEYS, "")):
        return "facility"
    report(F104.neither.at(root.span))
    return None


def _version(node: Node, report: Report) -> str | None:
    match = VERSION.fullmatch(str(node.text)) if node.kind == "scalar" else None
    if not match or match["kind"] not in ("facility", "portfolio"):
        report(F103.at(node.span, found=node.describe()))
        return None
    if int(match["major"]) != SUPPORTED_MAJOR:
        report(F103.major.at(node.span, kind=match["kind"], major=match["major"], supported=SUPPORTED_MAJOR))
        return None
    return match["kind"]


# ---------------------------------------------------------------- portfolio
def read_portfolio(root: Node, report: Report) -> tuple[str | None, tuple[Node, ...] | None]:
    """The portfolio's operator and its `facilities` entries (None when there is no list to read)."""
    operator: str | None = None
    facilities: Node | None = None
    for key, value in root.entries:
        name = key.text or ""
        if name == "dcpolicy":
            continue
        if name == "operator":
            if value.kind != "scalar" or value.is_null or isinstance(value.value, bool):
                report(F205.operator.at(value.span, found=value.describe()))
            else:
                operator = str(value.text)
        elif name == "facilities":
            facilities = value
        else:
            report(F106.portfolio.at(key.span, key=name, did_you_mean=closest(name, PORTFOLIO_KEYS)))
    if facilities is None:
        report(F107.no_facilities.at(root.span))
        return operator, None
    if facilities.kind != "seq":
        report(F205.facilities.at(facilities.span, found=facilities.describe()))
        return operator, None
    return operator, facilities.items


# ---------------------------------------------------------------- facility
def read_facility(node: Node, source: SourceFile, portfolio_operator: str | None, *, top_level: bool,
                  report: Report) -> tuple[Fact | None, Facility | None]:
    """The facility's id fact (for the uniqueness check, even when the facility has problems) and
    the facility, or None when any problem was reported."""
    problems: list[Diagnostic] = []

    def note(diagnostic: Diagnostic) -> None:
        problems.append(diagnostic)
        report(diagnostic)

    facts: dict[str, Fact] = {}
    periods_node: Node | None = None
    lists: dict[str, tuple[Node, Node]] = {}  # lists of records (dsl/records.py), read once all are known
    reader = _FieldReader(FACILITY_FIELDS, FACILITY_GROUPS, "facility", note)
    for key, value in node.entries:
        name = key.text or ""
        if name == "dcpolicy" and top_level:
            continue
        if name == "periods":
            periods_node = value
            continue
        if name == "dcpolicy":
            note(F106.marker.at(key.span))
            continue
        if name in RECORD_LISTS:  # (a key written twice is F105 in yaml_nodes)
            lists[name] = (key, value)
            continue
        reader.entry(key, value, "", facts)
    for field in REQUIRED:
        if field not in facts and not reader.reported(field):
            example = "fra-3" if field == "id" else "FRA-3 Frankfurt"
            note(F107.at(_head(node.span), field=field, example=example,
                         rule=" (lowercase letters, digits, '.', '_', '-')" if field == "id" else ""))
    records.read_lists(lists, facts, note)
    _fill_defaults(facts, FACILITY_DEFAULTS)
    invariants.check_racks(facts, note)
    invariants.check_location(facts, note)
    periods = _periods(periods_node, note) if periods_node is not None else []
    id_fact = facts.get("id")
    if problems:
        return id_fact, None
    operator_id = facts["operator_id"].value if "operator_id" in facts else portfolio_operator
    return id_fact, Facility(
        id=str(facts["id"].value),
        name=str(facts["name"].value),
        facts=facts,
        periods=tuple(sorted(periods, key=lambda p: (p.start, p.end))),
        operator_id=operator_id,  # type: ignore[arg-type]
        source=source,
        span=node.span,
    )


# ---------------------------------------------------------------- periods
def _periods(node: Node, report: Report) -> list[Period]:
    if node.is_null:
        return []
    if node.kind != "seq":
        report(F205.periods.at(node.span, found=node.describe()))
        return []
    out: list[Period] = []
    for entry in node.items:
        if entry.kind != "map":
            report(F205.periods_entry.at(entry.span, found=entry.describe()))
            continue
        period = _period(entry, report)
        if period is not None:
            out.append(period)
    invariants.check_overlaps(out, report)
    return out


def _period(node: Node, report: Report) -> Period | None:
    facts: dict[str, Fact] = {}
    label_node: Node | None = None
    reader = _FieldReader(PERIOD_FIELDS, PERIOD_GROUPS, "period", report)
    for key, value in node.entries:
        if key.text == "period":
            label_node = value
            continue
        reader.entry(key, value, "", facts)
    parsed = None
    if label_node is None:
        report(F107.no_period.at(_head(node.span)))
    else:
        parsed = _label(label_node, report)
    _fill_defaults(facts, PERIOD_DEFAULTS)
    invariants.check_period(facts, report)
    if parsed is None:
        return None  # (a period with bad figures still takes part in the overlap check)
    label, kind, start, end = parsed
    return Period(label, kind, start, end, facts, label_node.span)  # type: ignore[union-attr]


def _label(node: Node, report: Report) -> tuple[str, str, datetime.date, datetime.date] | None:
    if node.kind == "map":
        return _custom_label(node, report)
    if node.kind != "scalar" or isinstance(node.value, bool) or node.value is None:
        report(F208.at(node.span, found=node.describe()))
        return None
    text = str(node.text)
    if isinstance(node.value, int) or CALENDAR.match(text):
        m = CALENDAR.match(text)
        year = int(m["y"]) if m else -1
        if not 1900 <= year <= 2200:
            report(F208.not_a_year.at(node.span, found=node.describe()))
            return None
        return str(year), "calendar", datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    m = FISCAL.match(text)
    if m:
        year = int(m["y"])
        return f"FY{year}", "fiscal", datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)
    m = CUSTOM.match(text)
    if m:
        a, b = parse_date(m["a"]), parse_date(m["b"])
        if a is None or b is None:
            report(F204.period_label.at(node.span, label=text))
            return None
        return _custom_range(a, b, node, report)
    extra = ""
    if re.match(r"^\s*(?:fy|FY)?\s*'?[0-9]{2}\s*$", text):
        extra = "; write the year with four digits"
    elif re.match(r"^\s*[0-9]{4}\s*[-/]\s*[0-9]{2,4}\s*$", text):
        extra = '; for a fiscal year write "FY" and its first year, e.g. "FY2025"'
    report(F208.text.at(node.span, text=text, advice=extra))
    return None


def _custom_label(node: Node, report: Report):
    start = end = None
    ok = True
    for key, value in node.entries:
        name = key.text or ""
        if name not in ("start", "end"):
            report(F106.period_range.at(key.span, key=name, did_you_mean=closest(name, ("start", "end"))))
            ok = False
            continue
        got = date_value(value)
        if isinstance(got, str):
            report(F204.period_range.at(value.span, name=name, found=value.describe(), reason=got))
            ok = False
        elif name == "start":
            start = (got, value)
        else:
            end = (got, value)
    for name, got in (("start", start), ("end", end)):
        if got is None and ok:
            report(F208.range_end.at(_head(node.span), name=name))
            ok = False
    if not ok or start is None or end is None:
        return None
    return _custom_range(start[0], end[0], end[1], report)


def _custom_range(a: datetime.date, b: datetime.date, end_node: Node, report: Report):
    if b < a:
        report(F208.reversed.at(end_node.span, start=a, end=b))
        return None
    return f"{a.isoformat()}..{b.isoformat()}", "custom", a, b


# ---------------------------------------------------------------- fields of a mapping
class _FieldReader:
    """Walks a facility or period mapping, nested or dotted, into dotted-path facts."""

    def __init__(self, table: dict[str, FactType], groups: set[str], root: str, report: Report):
        self.table = table
        self.groups = groups
        self.root = root
        self.report = report
        self.seen: dict[str, Node] = {}  # path -> its key (whose span is made only for a second one, F105)
        self.bad: set[str] = set()

    def reported(self, path: str) -> bool:
        return path in self.bad

    def entry(self, key: Node, value: Node, prefix: str, facts: dict[str, Fact]) -> None:
        name = key.text or ""
        path = prefix + name
        if path in self.seen:
            first = self.seen[path].span
            self.report(F105.field.at(key.span, path=path, line=first.line, column=first.column))
            return
        ftype = self.table.get(path)
        if ftype is not None:
            self.seen[path] = key
            fact = convert(path, ftype, value, self.report)
            if fact is None:
                self.bad.add(path)
            elif fact is not ABSENT:
                facts[path] = fact
            return
        if path in self.groups:
            self.seen[path] = key
            if value.is_null:
                return
            if value.kind != "map":
                names = _children(self.table, (), path + ".")
                self.report(F205.group.at(value.span, path=path, names=", ".join(names), found=value.describe(),
                                          first=names[0]))
                return
            for k, v in value.entries:
                self.entry(k, v, path + ".", facts)
            return
        self.unknown(key, prefix, path)

    def unknown(self, key: Node, prefix: str, path: str) -> None:
        name = key.text or ""
        where = f" in {prefix[:-1]}" if prefix else (" in a period" if self.root == "period" else " in facility")
        extra = FACILITY_KEYS if self.root == "facility" else PERIOD_KEYS
        level = _children(self.table, extra, prefix)
        hint: str | None = None
        near = closest(name, level)
        other_root, other = (("period", PERIOD_FIELDS) if self.root == "facility" else ("facility", FACILITY_FIELDS))
        other_groups = PERIOD_GROUPS if self.root == "facility" else FACILITY_GROUPS
        # a field of the other level is misplaced, not misspelt ("energy" beside "design_energy")
        if near is not None and not (path in other or path in other_groups):
            full = prefix + near
            hint = f'did you mean "{near}"' + (f" ({full})" if prefix else "") + "?"
        else:
            if path in other or path in other_groups:
                hint = (f"{path} is a period figure: put it inside an entry of `periods`"
                        if other_root == "period" else
                        f"{path} is a facility field: move it out of `periods` to the facility")
            else:
                suggestion = schema.suggest(self.root, path)
                if suggestion is None and "." not in name:
                    suggestion = closest(name, [p.split(".")[-1] for p in self.table])
                    suggestion = next((p for p in self.table if p.split(".")[-1] == suggestion), None)
                if suggestion is not None and suggestion not in schema.PERIOD_INTRINSICS:
                    hint = f'did you mean "{suggestion}"?'
        if hint is None:
            hint = "allowed here: " + ", ".join(level)
        self.report(F106.at(key.span, key=name, where=where, hint=hint))
