"""The facility-input loader: facility and portfolio YAML in, typed facts with positions out.

Implements /work/shared/contracts/facility-v1.md (facility input contract, version 1) using the
field table in :mod:`dcpolicy.dsl.schema` and the units in :mod:`dcpolicy.dsl.units`.

Every value is converted to its canonical form when read (quantities to kW, kWh, m2, m3, B,
degC, kl; ratios to a float in [0, 1]; dates to ``datetime.date``) and remembers where it was
written, so a rule trace can point at the line of the YAML a figure came from. Problems are
collected, not raised one by one: :func:`load_inputs` raises a single
:class:`~dcpolicy.dsl.diagnostics.DiagnosticError` listing every problem in every file, each
with file, line, column, an ``F1xx``/``F2xx`` code and a hint, and returns nothing partial.
"""

from __future__ import annotations

import datetime
import difflib
import hashlib
import math
import os
import re
import sys
from pathlib import Path

import attrs

from dcpolicy.dsl import schema, units
from dcpolicy.dsl.diagnostics import Diagnostic, DiagnosticError, Span
from dcpolicy.dsl.facility_messages import (F101, F102, F103, F104, F105, F106, F107, F108, F201, F202, F203, F204,
                                            F205, F206, F207, F208, F209)
from dcpolicy.dsl.schema import FACILITY_FIELDS, PERIOD_FIELDS, FactType

from .yaml_positions import Node, load_yaml

SUPPORTED_MAJOR = 1
STDIN = "-"
STDIN_NAME = "<stdin>"


# --------------------------------------------------------------------------------------------
# Result types (other stages are written against these names)
# --------------------------------------------------------------------------------------------


@attrs.frozen
class Fact:
    value: object  # float for quantity/ratio/number (quantities canonical), int, bool, date, str
    span: Span | None  # where in the YAML it was written (None for defaults/derived)
    written: str | None  # the text as written, e.g. "2.4 MW" (None if derived/default)
    derived: str | None = None  # plain words when computed


@attrs.frozen
class Period:
    label: str  # "2025", "FY2025", or "2025-01-01..2025-06-30"
    kind: str  # "calendar" | "fiscal" | "custom"
    start: datetime.date
    end: datetime.date  # inclusive last day
    facts: dict[str, Fact]
    span: Span


@attrs.frozen
class SourceFile:
    path: str  # display form: as given, or resolved relative to the portfolio / directory
    sha256: str
    text: str


@attrs.frozen
class Facility:
    id: str
    name: str
    facts: dict[str, Fact]
    periods: tuple[Period, ...]  # sorted by start
    operator_id: str | None
    source: SourceFile
    span: Span


@attrs.frozen
class LoadedInput:
    facilities: tuple[Facility, ...]
    sources: tuple[SourceFile, ...]


# --------------------------------------------------------------------------------------------
# Field tables derived from the schema
# --------------------------------------------------------------------------------------------

# Fields the contract documents as "or null": a null there means absent (unless NULL_MEANS gives it a value).
NULLABLE = frozenset(
    {
        "location.hub_node",
        "location.cluster",
        "phased_development.first_building_started",
        "planned_decommissioning",
        "management_system.standard",
        "erf_exemption",
    }
)
# Fields where the contract gives an explicit null a meaning of its own instead of "absent":
# `management_system.standard: null` states that the facility has no management system (contract v1),
# the same as the project's synonym `none`. An absent key stays unknown.
NULL_MEANS = {"management_system.standard": "none"}
REQUIRED = ("id", "name")
PERIOD_FLAG_DEFAULTS = {"full_period": True, "low_utilisation_cause": False}
RENEWABLE_PARTS = ("energy.renewable_goo", "energy.renewable_ppa", "energy.renewable_onsite")
FACILITY_KEYS = ("dcpolicy", "periods")  # keys of a facility mapping besides the fields
PERIOD_KEYS = ("period",)
PORTFOLIO_KEYS = ("dcpolicy", "operator", "facilities")

SLUG = re.compile(r"[a-z0-9][a-z0-9._-]*")
COUNTRY = re.compile(r"[A-Z]{2}")
VERSION = re.compile(r"\s*(?P<kind>[A-Za-z_]+)\s*/\s*(?P<major>\d+)(?:\.(?P<minor>\d+))?\s*")
QUANTITY = re.compile(
    r"^\s*(?P<num>[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(?P<unit>[^\s\d.+-][^\s]*)?\s*$"
)
LOOSE_NUMBER = re.compile(r"^\s*[-+]?\d[\d,' ]*(?:[.,]\d+)?\s*\S*\s*$")
PERCENT = re.compile(r"^\s*(?P<num>[-+]?(?:\d+(?:\.\d*)?|\.\d+))\s*%\s*$")
PLAIN_NUMBER = re.compile(r"^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*$")
ISO_DATE = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?$")
FISCAL = re.compile(r"^\s*FY\s*(?P<y>\d{4})\s*$", re.IGNORECASE)
CALENDAR = re.compile(r"^\s*(?P<y>\d{4})\s*$")
CUSTOM = re.compile(r"^\s*(?P<a>\d{4}-\d{1,2}(?:-\d{1,2})?)\s*\.\.\s*(?P<b>\d{4}-\d{1,2}(?:-\d{1,2})?)\s*$")


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
        names += list(extra)
    return list(dict.fromkeys(names))


def _units_for(dimension: units.Dimension) -> str:
    return ", ".join(u.symbol for u in units.UNITS.values() if u.dimension == dimension)


def _close(word: str, candidates, cutoff: float = 0.6) -> str | None:
    candidates = list(candidates)
    folded = {c.lower(): c for c in candidates}
    if word.lower() in folded:
        return folded[word.lower()]
    squeezed = {re.sub(r"[\s_-]", "", c.lower()): c for c in candidates}
    key = re.sub(r"[\s_-]", "", word.lower())
    if key in squeezed:
        return squeezed[key]
    match = difflib.get_close_matches(word, candidates, n=1, cutoff=cutoff)
    return match[0] if match else None


def _slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9._-]+", "-", text.strip().lower()).strip("-._")
    return slug or "site-1"


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


def load_inputs(paths: list[str], stdin_text: str | None = None) -> LoadedInput:
    """Load facility files, portfolio files, directories (``*.yaml``/``*.yml`` sorted by name)
    and ``"-"`` (``stdin_text``, shown as ``<stdin>``).

    Raises DiagnosticError(diagnostics, sources={path: text}) listing every problem found.
    """
    loader = _Loader(stdin_text)
    for path in paths:
        loader.argument(path)
    loader.check_unique_ids()
    if loader.diagnostics:
        order = {s.path: i for i, s in enumerate(loader.sources)}

        def key(d: Diagnostic):
            if d.span is None:
                return (len(order) + 1, 0, 0)
            return (order.get(d.span.file, len(order)), d.span.line, d.span.column)

        diagnostics = sorted(loader.diagnostics, key=key)
        raise DiagnosticError(diagnostics, sources={s.path: s.text for s in loader.sources})
    return LoadedInput(tuple(loader.facilities), tuple(loader.sources))


class _Loader:
    def __init__(self, stdin_text: str | None):
        self.stdin_text = stdin_text
        self.diagnostics: list[Diagnostic] = []
        self.sources: list[SourceFile] = []
        self.facilities: list[Facility] = []
        self.ids: list[tuple[str, Span]] = []
        self.read_keys: set[str] = set()
        self.origin: list[str] = []  # per facility: the key (real path) of the file it came from
        self._current: list[str] = []

    # ---- diagnostics -------------------------------------------------------------------
    def error(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)

    # ---- files ---------------------------------------------------------------------------
    def argument(self, path: str) -> None:
        if path == STDIN:
            text = self.stdin_text if self.stdin_text is not None else sys.stdin.read()
            self.source(STDIN_NAME, text.encode("utf-8"), STDIN, None, portfolio_ok=True, text=text)
            return
        if os.path.isdir(path):
            names = sorted(
                n for n in os.listdir(path)
                if n.lower().endswith((".yaml", ".yml")) and os.path.isfile(os.path.join(path, n))
            )
            if not names:
                self.error(F101.empty_directory.at(Span.point(path, 1, 1), path=path))
            for name in names:
                self.file(os.path.join(path, name), None, portfolio_ok=True)
            return
        self.file(path, None, portfolio_ok=True)

    def file(self, display: str, at: Span | None, *, portfolio_ok: bool, base: str | None = None) -> None:
        real = os.path.realpath(base if base is not None else display)
        where = at or Span.point(display, 1, 1)
        try:
            data = Path(real).read_bytes()
        except FileNotFoundError:
            self.error((F101.no_such_file if at is None else F101.no_such_listed_file).at(where, file=display))
            return
        except IsADirectoryError:
            self.error(F101.directory.at(where, file=display))
            return
        except OSError as exc:
            self.error(F101.at(where, file=display, reason=exc.strerror or exc))
            return
        self.source(display, data, real, at, portfolio_ok=portfolio_ok)

    def source(self, display: str, data: bytes, key: str, at: Span | None, *, portfolio_ok: bool,
               text: str | None = None) -> None:
        if key in self.read_keys:
            return  # the same file reached twice (e.g. a folder and a portfolio naming it)
        self.read_keys.add(key)
        if text is None:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                before = data[: exc.start].decode("utf-8", "replace")
                line = before.count("\n") + 1
                column = len(before) - (before.rfind("\n") + 1) + 1
                self.error(F101.not_utf8.at(Span.point(display, line, column), file=display, byte=data[exc.start]))
                return
        source = SourceFile(display, hashlib.sha256(data).hexdigest(), text)
        self.sources.append(source)
        root, problems = load_yaml(text, display)
        self.diagnostics.extend(problems)
        if any(p.code == F102.code for p in problems):
            return  # the structure is unreliable; the syntax error is the one thing to fix
        if root is None:
            if not problems:
                self.error(F104.empty.at(Span.point(display, 1, 1), file=display))
            return
        self._current.append(key)
        try:
            self.document(root, source, portfolio_ok=portfolio_ok, base_dir=os.path.dirname(display))
        finally:
            self._current.pop()

    def document(self, root: Node, source: SourceFile, *, portfolio_ok: bool, base_dir: str) -> None:
        if root.kind != "map":
            self.error(F104.at(root.span, found=root.describe()))
            return
        kind = None
        version = root.get("dcpolicy")
        if version is not None:
            kind = self.version(version)
            if kind is None:
                return
        if kind is None:
            keys = set(root.keys())
            facility_keys = set(_children(FACILITY_FIELDS, FACILITY_KEYS, ""))
            if "facilities" in keys:
                kind = "portfolio"
            elif keys & facility_keys:
                kind = "facility"
            else:
                self.error(F104.neither.at(root.span))
                return
        if kind == "portfolio":
            if not portfolio_ok:
                self.error(F104.nested_portfolio.at(root.span))
                return
            self.portfolio(root, source, base_dir)
        else:
            self.facility(root, source, None, top_level=True)

    def version(self, node: Node) -> str | None:
        match = VERSION.fullmatch(str(node.text)) if node.kind == "scalar" else None
        if not match or match["kind"] not in ("facility", "portfolio"):
            self.error(F103.at(node.span, found=node.describe()))
            return None
        if int(match["major"]) != SUPPORTED_MAJOR:
            self.error(F103.major.at(node.span, kind=match["kind"], major=match["major"], supported=SUPPORTED_MAJOR))
            return None
        return match["kind"]

    # ---- portfolio -------------------------------------------------------------------------
    def portfolio(self, root: Node, source: SourceFile, base_dir: str) -> None:
        operator: str | None = None
        facilities: Node | None = None
        for key, value in root.entries:
            name = key.text or ""
            if name == "dcpolicy":
                continue
            if name == "operator":
                if value.kind != "scalar" or value.is_null or isinstance(value.value, bool):
                    self.error(F205.operator.at(value.span, found=value.describe()))
                else:
                    operator = str(value.text)
            elif name == "facilities":
                facilities = value
            else:
                self.error(F106.portfolio.at(key.span, key=name, did_you_mean=_close(name, PORTFOLIO_KEYS)))
        if facilities is None:
            self.error(F107.no_facilities.at(root.span))
            return
        if facilities.kind != "seq":
            self.error(F205.facilities.at(facilities.span, found=facilities.describe()))
            return
        for entry in facilities.items:
            if entry.kind == "map":
                self.facility(entry, source, operator, top_level=False)
            elif entry.kind == "scalar" and isinstance(entry.value, str) and entry.value.strip():
                rel = entry.value.strip()
                display = os.path.normpath(os.path.join(base_dir, rel)) if not os.path.isabs(rel) else rel
                if source.path == STDIN_NAME:
                    display = os.path.normpath(rel)
                self.file(display, entry.span, portfolio_ok=False)
                if operator is not None:
                    # Also when the file was already read (e.g. from a folder argument).
                    real = os.path.realpath(display)
                    for i, f in enumerate(self.facilities):
                        if f.operator_id is None and self.origin[i] == real:
                            self.facilities[i] = attrs.evolve(f, operator_id=operator)
            else:
                self.error(F205.facilities_entry.at(entry.span, found=entry.describe()))

    # ---- facility --------------------------------------------------------------------------
    def facility(self, node: Node, source: SourceFile, portfolio_operator: str | None, *, top_level: bool) -> None:
        before = len(self.diagnostics)
        facts: dict[str, Fact] = {}
        periods_node: Node | None = None
        reader = _FieldReader(self, FACILITY_FIELDS, FACILITY_GROUPS, "facility")
        for key, value in node.entries:
            name = key.text or ""
            if name == "dcpolicy" and top_level:
                continue
            if name == "periods":
                periods_node = value
                continue
            if name == "dcpolicy":
                self.error(F106.marker.at(key.span))
                continue
            reader.entry(key, value, "", facts)
        for field in REQUIRED:
            if field not in facts and not reader.reported(field):
                example = "fra-3" if field == "id" else "FRA-3 Frankfurt"
                self.error(F107.at(_head(node.span), field=field, example=example,
                                   rule=" (lowercase letters, digits, '.', '_', '-')" if field == "id" else ""))
        for path, ftype in FACILITY_FIELDS.items():
            if ftype.kind == "flag" and path not in facts:
                facts[path] = Fact(False, None, None)
        if "racks.installed" in facts and "racks.occupied" in facts:
            inst, occ = facts["racks.installed"], facts["racks.occupied"]
            if occ.value > inst.value:  # type: ignore[operator]
                self.error(F206.racks.at(occ.span, occupied=occ.value, installed=inst.value, line=inst.span.line))
        periods = self.periods(periods_node, facts) if periods_node is not None else []
        if "id" in facts:
            self.ids.append((str(facts["id"].value), facts["id"].span))  # type: ignore[arg-type]
        if len(self.diagnostics) > before:
            return
        operator_id = facts["operator_id"].value if "operator_id" in facts else portfolio_operator
        self.origin.append(self._current[-1])
        self.facilities.append(
            Facility(
                id=str(facts["id"].value),
                name=str(facts["name"].value),
                facts=facts,
                periods=tuple(sorted(periods, key=lambda p: (p.start, p.end))),
                operator_id=operator_id,  # type: ignore[arg-type]
                source=source,
                span=node.span,
            )
        )

    def check_unique_ids(self) -> None:
        first: dict[str, Span] = {}
        for fid, span in self.ids:
            if fid in first:
                f = first[fid]
                self.error(F108.at(span, id=fid, first=f"{f.file}:{f.line}:{f.column}"))
            else:
                first[fid] = span

    # ---- periods ---------------------------------------------------------------------------
    def periods(self, node: Node, facility_facts: dict[str, Fact]) -> list[Period]:
        if node.is_null:
            return []
        if node.kind != "seq":
            self.error(F205.periods.at(node.span, found=node.describe()))
            return []
        out: list[Period] = []
        for entry in node.items:
            if entry.kind != "map":
                self.error(F205.periods_entry.at(entry.span, found=entry.describe()))
                continue
            period = self.period(entry)
            if period is not None:
                out.append(period)
        # Overlaps: point at the later period (later start; on a tie, the one written later).
        flagged: set[int] = set()
        for j, b in enumerate(out):
            for i, a in enumerate(out[:j]):
                if a.start <= b.end and b.start <= a.end:
                    later, earlier = (b, a) if (b.start, j) >= (a.start, i) else (a, b)
                    if id(later) in flagged:
                        continue
                    flagged.add(id(later))
                    self.error(F207.at(later.span, label=later.label, start=later.start, end=later.end,
                                       other=earlier.label, other_start=earlier.start, other_end=earlier.end,
                                       line=earlier.span.line))
        return out

    def period(self, node: Node) -> Period | None:
        facts: dict[str, Fact] = {}
        label_node: Node | None = None
        reader = _FieldReader(self, PERIOD_FIELDS, PERIOD_GROUPS, "period")
        for key, value in node.entries:
            if key.text == "period":
                label_node = value
                continue
            reader.entry(key, value, "", facts)
        parsed = None
        if label_node is None:
            self.error(F107.no_period.at(_head(node.span)))
        else:
            parsed = self.label(label_node)
        for path, default in PERIOD_FLAG_DEFAULTS.items():
            facts.setdefault(path, Fact(default, None, None))
        self.energy_invariants(facts)
        if parsed is None:
            return None  # (a period with bad figures still takes part in the overlap check)
        label, kind, start, end = parsed
        return Period(label, kind, start, end, facts, label_node.span)  # type: ignore[union-attr]

    def label(self, node: Node) -> tuple[str, str, datetime.date, datetime.date] | None:
        if node.kind == "map":
            return self.custom_label(node)
        if node.kind != "scalar" or isinstance(node.value, bool) or node.value is None:
            self.error(F208.at(node.span, found=node.describe()))
            return None
        text = str(node.text)
        if isinstance(node.value, int) or CALENDAR.match(text):
            m = CALENDAR.match(text)
            year = int(m["y"]) if m else -1
            if not 1900 <= year <= 2200:
                self.error(F208.not_a_year.at(node.span, found=node.describe()))
                return None
            return str(year), "calendar", datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        m = FISCAL.match(text)
        if m:
            year = int(m["y"])
            return f"FY{year}", "fiscal", datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)
        m = CUSTOM.match(text)
        if m:
            a, b = _parse_date(m["a"]), _parse_date(m["b"])
            if a is None or b is None:
                self.error(F204.period_label.at(node.span, label=text))
                return None
            if isinstance(a, datetime.date) and isinstance(b, datetime.date):
                return self.custom_range(a, b, node, node)
        extra = ""
        if re.match(r"^\s*(?:fy|FY)?\s*'?\d{2}\s*$", text):
            extra = "; write the year with four digits"
        elif re.match(r"^\s*\d{4}\s*[-/]\s*\d{2,4}\s*$", text):
            extra = '; for a fiscal year write "FY" and its first year, e.g. "FY2025"'
        self.error(F208.text.at(node.span, text=text, advice=extra))
        return None

    def custom_label(self, node: Node):
        start = end = None
        ok = True
        for key, value in node.entries:
            name = key.text or ""
            if name not in ("start", "end"):
                self.error(F106.period_range.at(key.span, key=name, did_you_mean=_close(name, ("start", "end"))))
                ok = False
                continue
            got = _date_value(value)
            if isinstance(got, str):
                self.error(F204.period_range.at(value.span, name=name, found=value.describe(), reason=got))
                ok = False
            elif name == "start":
                start = (got, value)
            else:
                end = (got, value)
        for name, got in (("start", start), ("end", end)):
            if got is None and ok:
                self.error(F208.range_end.at(_head(node.span), name=name))
                ok = False
        if not ok or start is None or end is None:
            return None
        return self.custom_range(start[0], end[0], node, end[1])

    def custom_range(self, a: datetime.date, b: datetime.date, node: Node, end_node: Node):
        if b < a:
            self.error(F208.reversed.at(end_node.span, start=a, end=b))
            return None
        return f"{a.isoformat()}..{b.isoformat()}", "custom", a, b

    # ---- invariants ------------------------------------------------------------------------
    def energy_invariants(self, facts: dict[str, Fact]) -> None:
        total, it = facts.get("energy.total"), facts.get("energy.it")
        e = units.ENERGY

        def q(value) -> str:
            return units.format_quantity(float(value), e)

        if it is not None and not it.value > 0:  # type: ignore[operator]
            self.error(F206.it_energy.at(it.span, it=it.written))
        if total is not None and it is not None and total.value < it.value:  # type: ignore[operator]
            self.error(F206.total_below_it.at(total.span, total=total.written, it=it.written, line=it.span.line))
        reused = facts.get("energy.reused")
        if reused is not None and total is not None and reused.value > total.value:  # type: ignore[operator]
            self.error(F206.reused.at(reused.span, reused=reused.written, total=total.written, line=total.span.line))
        parts = [(p, facts[p]) for p in RENEWABLE_PARTS if p in facts]
        renewable = facts.get("energy.renewable")
        if parts:
            total_parts = sum(float(f.value) for _, f in parts)  # type: ignore[arg-type]
            if renewable is not None:
                if abs(total_parts - float(renewable.value)) > 0.001 * max(abs(float(renewable.value)), 1e-9):  # type: ignore[arg-type]
                    names = " + ".join(p for p, _ in parts)
                    self.error(F206.renewable_parts.at(renewable.span, names=names, sum=q(total_parts),
                                                       renewable=renewable.written))
            else:
                renewable = Fact(total_parts, None, None, "sum of " + ", ".join(p for p, _ in parts))
                facts["energy.renewable"] = renewable
        if renewable is not None and total is not None and renewable.value > total.value:  # type: ignore[operator]
            span = renewable.span or parts[0][1].span
            what = f"({renewable.written})" if renewable.written else f"({q(renewable.value)}, {renewable.derived})"
            self.error(F206.renewable.at(span, renewable=what, total=total.written, line=total.span.line))
        water_in, potable = facts.get("water.input"), facts.get("water.potable")
        if water_in is not None and potable is not None and potable.value > water_in.value:  # type: ignore[operator]
            self.error(F206.potable.at(potable.span, potable=potable.written, input=water_in.written,
                                       line=water_in.span.line))


def _head(span: Span) -> Span:
    """A one-character span at the start of a mapping (for "missing field" errors)."""
    return Span.point(span.file, span.line, span.column)


# --------------------------------------------------------------------------------------------
# Field reading and value conversion
# --------------------------------------------------------------------------------------------


class _FieldReader:
    """Walks a facility or period mapping, nested or dotted, into dotted-path facts."""

    def __init__(self, loader: _Loader, table: dict[str, FactType], groups: set[str], root: str):
        self.loader = loader
        self.table = table
        self.groups = groups
        self.root = root
        self.seen: dict[str, Span] = {}
        self.bad: set[str] = set()

    def reported(self, path: str) -> bool:
        return path in self.bad

    def entry(self, key: Node, value: Node, prefix: str, facts: dict[str, Fact]) -> None:
        name = key.text or ""
        path = prefix + name
        if path in self.seen:
            first = self.seen[path]
            self.loader.error(F105.field.at(key.span, path=path, line=first.line, column=first.column))
            return
        if path in self.table:
            self.seen[path] = key.span
            fact = self.convert(path, self.table[path], value)
            if fact is None:
                self.bad.add(path)
            elif fact is not _ABSENT:
                facts[path] = fact
            return
        if path in self.groups:
            self.seen[path] = key.span
            if value.is_null:
                return
            if value.kind != "map":
                names = _children(self.table, (), path + ".")
                self.loader.error(F205.group.at(value.span, path=path, names=", ".join(names), found=value.describe(),
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
        near = _close(name, level)
        if near is not None:
            full = prefix + near
            hint = f'did you mean "{near}"' + (f" ({full})" if prefix else "") + "?"
        else:
            other_root, other = (("period", PERIOD_FIELDS) if self.root == "facility" else ("facility", FACILITY_FIELDS))
            other_groups = PERIOD_GROUPS if self.root == "facility" else FACILITY_GROUPS
            if path in other or path in other_groups:
                hint = (f"{path} is a period figure: put it inside an entry of `periods`"
                        if other_root == "period" else
                        f"{path} is a facility field: move it out of `periods` to the facility")
            else:
                suggestion = schema.suggest(self.root, path)
                if suggestion is None and "." not in name:
                    suggestion = _close(name, [p.split(".")[-1] for p in self.table])
                    suggestion = next((p for p in self.table if p.split(".")[-1] == suggestion), None)
                if suggestion is not None and suggestion not in schema.PERIOD_INTRINSICS:
                    hint = f'did you mean "{suggestion}"?'
        if hint is None:
            hint = "allowed here: " + ", ".join(level)
        self.loader.error(F106.at(key.span, key=name, where=where, hint=hint))

    # ---- conversion --------------------------------------------------------------------
    def convert(self, path: str, ftype: FactType, node: Node):
        """A Fact, _ABSENT (a null in a nullable field), or None after reporting a problem."""
        err = self.loader.error
        if node.kind != "scalar":
            err(F205.at(node.span, path=path, expected=_describe(ftype), found=node.describe(),
                        hint=_example_hint(path, ftype)))
            return None
        if node.is_null:
            if path in NULL_MEANS:
                return Fact(NULL_MEANS[path], node.span, node.text or "null")
            if path in NULLABLE:
                return _ABSENT
            if path in REQUIRED:
                err(F107.no_value.at(node.span, path=path, hint=_example_hint(path, ftype)))
            else:
                err((F205.no_value if ftype.kind != "flag" else F205.no_flag_value).at(node.span, path=path))
            return None
        handler = getattr(self, "_" + ftype.kind)
        result = handler(path, ftype, node)
        if result is None:
            return None
        return Fact(result, node.span, str(node.text))

    def _quantity(self, path: str, ftype: FactType, node: Node):
        err = self.loader.error
        dim = ftype.dimension
        example = units.example_for(dim)
        value = node.value
        if isinstance(value, bool):
            err(F205.quantity_flag.at(node.span, path=path, dimension=dim.name, found=node.text, example=example))
            return None
        if isinstance(value, (int, float)) or (isinstance(value, str) and PLAIN_NUMBER.match(value)):
            err(F201.at(node.span, path=path, dimension=dim.name, written=node.text, number=str(node.text).strip(),
                        unit=dim.canonical_unit, example=example, units=_units_for(dim)))
            return None
        if not isinstance(value, str):
            err(F205.quantity_kind.at(node.span, path=path, dimension=dim.name, example=example, found=node.describe()))
            return None
        m = QUANTITY.match(value)
        if not m:
            wording = F205.not_a_quantity
            if LOOSE_NUMBER.match(value) and ("," in value or "'" in value or re.search(r"\d \d", value)):
                wording = F205.separators
            err(wording.at(node.span, path=path, value=value, example=example))
            return None
        symbol = m["unit"]
        if symbol is None:  # pragma: no cover - PLAIN_NUMBER catches this above
            err(F201.bare.at(node.span, path=path, example=example))
            return None
        try:
            unit = units.parse_unit(symbol)
        except units.UnknownUnit as exc:
            err(F203.at(node.span, unit=exc.symbol, path=path, dimension=dim.name, units=_units_for(dim),
                        suggestion=f'did you mean "{exc.suggestion}"? ' if exc.suggestion else ""))
            return None
        if unit.dimension != dim:
            got = unit.dimension.name
            wording = F202.main
            if dim == units.POWER and unit.dimension == units.ENERGY and symbol.endswith("h"):
                wording = F202.power_as_energy
            elif dim == units.ENERGY and unit.dimension == units.POWER:
                wording = F202.energy_as_power
            elif dim == units.VOLUME and unit.dimension == units.OIL:
                wording = F202.water_as_oil
            elif dim == units.OIL and unit.dimension == units.VOLUME:
                wording = F202.oil_as_water
            article = "an" if got[0] in "aeiou" else "a"
            err(wording.at(node.span, path=path, dimension=dim.name, unit=dim.canonical_unit, value=value.strip(),
                           article=article, got=got, example=example, units=_units_for(dim), number=m["num"],
                           symbol=symbol, power_symbol=symbol[:-1]))
            return None
        magnitude = float(m["num"]) * unit.factor
        if not math.isfinite(magnitude):
            err(F205.too_large.at(node.span, path=path, value=value, example=example))
            return None
        if magnitude < 0 and dim != units.TEMPERATURE:
            err(F206.at(node.span, path=path, value=value.strip(), dimension=dim.name))
            return None
        return magnitude

    def _ratio(self, path: str, ftype: FactType, node: Node):
        err = self.loader.error
        value = node.value
        if isinstance(value, bool):
            value = None
        elif isinstance(value, str):
            m = PERCENT.match(value)
            if m:
                value = float(m["num"]) / 100
            elif PLAIN_NUMBER.match(value):
                value = float(value)
            else:
                value = None
        if not isinstance(value, (int, float)) or not math.isfinite(value):
            err(F205.ratio.at(node.span, path=path, found=node.describe()))
            return None
        value = float(value)
        if not 0.0 <= value <= 1.0:
            wording = F209.main
            if 1 < value <= 100 and "%" not in str(node.text):
                wording = F209.percent
            err(wording.at(node.span, path=path, written=node.text, fraction=value / 100))
            return None
        return value

    def _number(self, path: str, ftype: FactType, node: Node):
        err = self.loader.error
        value = node.value
        if isinstance(value, str) and PLAIN_NUMBER.match(value):
            value = float(value)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            err(F205.number.at(node.span, path=path, found=node.describe(), hint=_example_hint(path, ftype)))
            return None
        if ftype.minimum is not None and value < ftype.minimum:
            err(F206.minimum.at(node.span, path=path, minimum=units.format_number(ftype.minimum), found=node.text,
                                hint=_example_hint(path, ftype)))
            return None
        return float(value)

    def _integer(self, path: str, ftype: FactType, node: Node):
        err = self.loader.error
        value = node.value
        if isinstance(value, str) and re.fullmatch(r"\s*[-+]?\d+\s*", value):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                err(F205.integer_with_point.at(node.span, path=path, found=node.describe(), whole=int(value)))
            else:
                err(F205.integer.at(node.span, path=path, found=node.describe()))
            return None
        if ftype.minimum is not None and value < ftype.minimum:
            err(F206.negative_count.at(node.span, path=path, value=value))
            return None
        return value

    def _flag(self, path: str, ftype: FactType, node: Node):
        if isinstance(node.value, bool) and str(node.text).lower() in ("true", "false"):
            return node.value
        self.loader.error(F205.flag.at(node.span, path=path, found=node.describe()))
        return None

    def _date(self, path: str, ftype: FactType, node: Node):
        got = _date_value(node)
        if isinstance(got, datetime.date):
            return got
        self.loader.error(F204.at(node.span, path=path, found=node.describe(), reason=got))
        return None

    def _text(self, path: str, ftype: FactType, node: Node):
        text = str(node.text).strip()
        if not text:
            self.loader.error(F205.empty_text.at(node.span, path=path, hint=_example_hint(path, ftype)))
            return None
        return text

    def _slug(self, path: str, ftype: FactType, node: Node):
        text = str(node.text)
        if SLUG.fullmatch(text):
            return text
        self.loader.error(F205.slug.at(node.span, path=path, text=text, example=_slugify(text)))
        return None

    def _country(self, path: str, ftype: FactType, node: Node):
        text = str(node.text).strip()
        if COUNTRY.fullmatch(text):
            return text
        if re.fullmatch(r"[A-Za-z]{2}", text):
            diagnostic = F205.country_case.at(node.span, path=path, text=text, code=text.upper())
        elif text.lower() in _COUNTRY_NAMES:
            diagnostic = F205.country_name.at(node.span, path=path, text=text, code=_COUNTRY_NAMES[text.lower()])
        else:
            diagnostic = F205.country.at(node.span, path=path, text=text)
        self.loader.error(diagnostic)
        return None

    def _enum(self, path: str, ftype: FactType, node: Node):
        text = str(node.text).strip()
        if text in ftype.values:
            return text
        near = _close(text, ftype.values, cutoff=0.5)
        values = ", ".join(ftype.values) + (", or null" if path in NULLABLE else "")
        self.loader.error(F205.enum.at(node.span, path=path, text=text, values=values,
                                       suggestion=f'did you mean "{near}"? ' if near else ""))
        return None


_ABSENT = object()

_COUNTRY_NAMES = {
    "germany": "DE", "deutschland": "DE", "japan": "JP", "china": "CN", "france": "FR", "netherlands": "NL",
    "ireland": "IE", "sweden": "SE", "norway": "NO", "denmark": "DK", "finland": "FI", "spain": "ES",
    "italy": "IT", "poland": "PL", "austria": "AT", "belgium": "BE", "switzerland": "CH",
    "united kingdom": "GB", "uk": "GB", "usa": "US", "united states": "US", "singapore": "SG",
}


def _describe(ftype: FactType) -> str:
    d = ftype.describe
    return d if d.startswith(("one of", "true")) else ("a " + d if d[0] not in "aeiou" else "an " + d)


def _example_hint(path: str, ftype: FactType) -> str:
    examples = {
        "id": "id: fra-3", "name": "name: FRA-3 Frankfurt", "design_pue": "design_pue: 1.35",
        "intensity": "intensity: 1.7", "cooling_efficiency": "cooling_efficiency: 4.5",
    }
    if path in examples:
        return f"write e.g. `{examples[path]}`"
    if ftype.kind == "quantity":
        return f'write e.g. "{units.example_for(ftype.dimension)}"'
    return f"write {ftype.describe}"


def _parse_date(text: str) -> datetime.date | None | str:
    m = ISO_DATE.match(text.strip())
    if not m:
        return "expected YYYY-MM-DD"
    try:
        return datetime.date(int(m["y"]), int(m["m"]), int(m["d"] or 1))
    except ValueError:
        return None


def _date_value(node: Node) -> datetime.date | str:
    """A date, or a short reason why the node is not one."""
    value = node.value
    if isinstance(value, datetime.datetime):
        return "write a date without a time"
    if isinstance(value, datetime.date):
        return value
    if node.kind != "scalar" or not isinstance(value, str):
        return "expected YYYY-MM-DD"
    got = _parse_date(value)
    if got is None:
        m = ISO_DATE.match(value.strip())
        if m and not 1 <= int(m["m"]) <= 12:
            return f"there is no month {int(m['m'])}"
        return "that day does not exist in that month"
    return got
