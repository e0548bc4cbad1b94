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
    def error(self, code: str, message: str, span: Span | None, hint: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(code, message, span, hint))

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
                self.error("F101", f"directory {path} holds no *.yaml or *.yml files",
                           Span.point(path, 1, 1), "give a facility or portfolio file, or a folder of them")
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
            hint = "check the path"
            if at is not None:
                hint += "; paths in a portfolio are relative to the portfolio file's folder"
            self.error("F101", f"cannot read {display}: no such file", where, hint)
            return
        except IsADirectoryError:
            self.error("F101", f"cannot read {display}: it is a directory", where,
                       "list facility files, not folders, in a portfolio")
            return
        except OSError as exc:
            self.error("F101", f"cannot read {display}: {exc.strerror or exc}", where,
                       "check that the file exists and is readable")
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
                self.error("F101", f"cannot read {display}: not UTF-8 text (byte 0x{data[exc.start]:02x})",
                           Span.point(display, line, column), "save the file as UTF-8")
                return
        source = SourceFile(display, hashlib.sha256(data).hexdigest(), text)
        self.sources.append(source)
        root, problems = load_yaml(text, display)
        self.diagnostics.extend(problems)
        if any(p.code == "F102" for p in problems):
            return  # the structure is unreliable; the syntax error is the one thing to fix
        if root is None:
            if not problems:
                self.error("F104", f"{display} is empty: expected a facility or a portfolio",
                           Span.point(display, 1, 1), "start with `id:` and `name:`, or with `facilities:`")
            return
        self._current.append(key)
        try:
            self.document(root, source, portfolio_ok=portfolio_ok, base_dir=os.path.dirname(display))
        finally:
            self._current.pop()

    def document(self, root: Node, source: SourceFile, *, portfolio_ok: bool, base_dir: str) -> None:
        if root.kind != "map":
            self.error("F104", f"expected a facility or portfolio mapping, found {root.describe()}", root.span,
                       "a facility file starts with `id:` and `name:`; a portfolio with `facilities:`")
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
                self.error("F104", "this is neither a facility (with `id` and `name`) nor a portfolio "
                           "(with `facilities`)", root.span,
                           "see docs/facility.md for the shape of a facility file")
                return
        if kind == "portfolio":
            if not portfolio_ok:
                self.error("F104", "a portfolio may list facility files, not other portfolios", root.span,
                           "list the facility files of the inner portfolio directly")
                return
            self.portfolio(root, source, base_dir)
        else:
            self.facility(root, source, None, top_level=True)

    def version(self, node: Node) -> str | None:
        match = VERSION.fullmatch(str(node.text)) if node.kind == "scalar" else None
        if not match or match["kind"] not in ("facility", "portfolio"):
            self.error("F103", f"unsupported format version {node.describe()}", node.span,
                       "write `dcpolicy: facility/1` or `dcpolicy: portfolio/1`, or leave the line out")
            return None
        if int(match["major"]) != SUPPORTED_MAJOR:
            self.error("F103", f"{match['kind']}/{match['major']} is not supported; this version of dcpolicy "
                       f"reads {match['kind']}/{SUPPORTED_MAJOR}", node.span,
                       f"convert the file to {match['kind']}/{SUPPORTED_MAJOR} (see docs/facility.md) "
                       "or use a dcpolicy release that reads this version")
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
                    self.error("F205", f"operator must be text, found {value.describe()}", value.span,
                               'write the operator\'s name or id, e.g. operator: "example-colo"')
                else:
                    operator = str(value.text)
            elif name == "facilities":
                facilities = value
            else:
                suggestion = _close(name, PORTFOLIO_KEYS)
                hint = f'did you mean "{suggestion}"?' if suggestion else (
                    "a portfolio holds only `operator` and `facilities`; facility fields go inside "
                    "an entry of `facilities`")
                self.error("F106", f'unknown key "{name}" in portfolio', key.span, hint)
        if facilities is None:
            self.error("F107", "portfolio has no `facilities` list", root.span,
                       "add `facilities:` with facility mappings or paths to facility files")
            return
        if facilities.kind != "seq":
            self.error("F205", f"`facilities` must be a list, found {facilities.describe()}", facilities.span,
                       "write one entry per line, each starting with '- '")
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
                self.error("F205", f"a `facilities` entry must be a facility mapping or a relative path, "
                           f"found {entry.describe()}", entry.span,
                           'write e.g. "- fra-3.yaml" or an inline mapping with id and name')

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
                self.error("F106", 'unknown key "dcpolicy" in a facility inside a portfolio', key.span,
                           "the format marker belongs at the top of the portfolio file")
                continue
            reader.entry(key, value, "", facts)
        for field in REQUIRED:
            if field not in facts and not reader.reported(field):
                example = "fra-3" if field == "id" else "FRA-3 Frankfurt"
                self.error("F107", f"facility has no `{field}`", _head(node.span),
                           f'add `{field}: {example}`' + (" (lowercase letters, digits, '.', '_', '-')"
                                                          if field == "id" else ""))
        for path, ftype in FACILITY_FIELDS.items():
            if ftype.kind == "flag" and path not in facts:
                facts[path] = Fact(False, None, None)
        if "racks.installed" in facts and "racks.occupied" in facts:
            inst, occ = facts["racks.installed"], facts["racks.occupied"]
            if occ.value > inst.value:  # type: ignore[operator]
                self.error("F206", f"racks.occupied ({occ.value}) exceeds racks.installed ({inst.value}, "
                           f"line {inst.span.line})", occ.span,
                           "occupied racks are a subset of installed racks; check both numbers")
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
                self.error("F108", f'facility id "{fid}" is used twice; first at {f.file}:{f.line}:{f.column}',
                           span, "give every facility its own id (ids are unique across all input)")
            else:
                first[fid] = span

    # ---- periods ---------------------------------------------------------------------------
    def periods(self, node: Node, facility_facts: dict[str, Fact]) -> list[Period]:
        if node.is_null:
            return []
        if node.kind != "seq":
            self.error("F205", f"`periods` must be a list, found {node.describe()}", node.span,
                       "write one entry per reporting period, each starting with '- period:'")
            return []
        out: list[Period] = []
        for entry in node.items:
            if entry.kind != "map":
                self.error("F205", f"a `periods` entry must be a mapping, found {entry.describe()}", entry.span,
                           "write e.g. '- period: 2025' followed by the figures, indented")
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
                    self.error("F207", f"period {later.label} ({later.start}..{later.end}) overlaps period "
                               f"{earlier.label} ({earlier.start}..{earlier.end}, line {earlier.span.line})",
                               later.span, "each day belongs to at most one period of a facility; "
                               "remove the duplicate or adjust the dates")
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
            self.error("F107", "period entry has no `period`", _head(node.span),
                       'add `period: 2025`, `period: "FY2025"` or `period: {start: 2025-01-01, end: 2025-06-30}`')
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
        hint = 'write 2025 (calendar year), "FY2025" (Japanese fiscal year from April) or ' \
               "{start: 2025-01-01, end: 2025-06-30}"
        if node.kind == "map":
            return self.custom_label(node)
        if node.kind != "scalar" or isinstance(node.value, bool) or node.value is None:
            self.error("F208", f"invalid period label {node.describe()}", node.span, hint)
            return None
        text = str(node.text)
        if isinstance(node.value, int) or CALENDAR.match(text):
            m = CALENDAR.match(text)
            year = int(m["y"]) if m else -1
            if not 1900 <= year <= 2200:
                self.error("F208", f"invalid period label {node.describe()}: not a four-digit year", node.span, hint)
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
                self.error("F204", f'period "{text}" contains an impossible date', node.span,
                           "check the month (1-12) and the day of the month")
                return None
            if isinstance(a, datetime.date) and isinstance(b, datetime.date):
                return self.custom_range(a, b, node, node)
        extra = ""
        if re.match(r"^\s*(?:fy|FY)?\s*'?\d{2}\s*$", text):
            extra = "; write the year with four digits"
        elif re.match(r"^\s*\d{4}\s*[-/]\s*\d{2,4}\s*$", text):
            extra = '; for a fiscal year write "FY" and its first year, e.g. "FY2025"'
        self.error("F208", f'invalid period label "{text}"{extra}', node.span, hint)
        return None

    def custom_label(self, node: Node):
        start = end = None
        ok = True
        for key, value in node.entries:
            name = key.text or ""
            if name not in ("start", "end"):
                suggestion = _close(name, ("start", "end"))
                self.error("F106", f'unknown key "{name}" in a period range', key.span,
                           f'did you mean "{suggestion}"?' if suggestion else "a range has only `start` and `end`")
                ok = False
                continue
            got = _date_value(value)
            if isinstance(got, str):
                self.error("F204", f"period {name} {value.describe()} is not a valid date: {got}", value.span,
                           "write the date as YYYY-MM-DD, e.g. 2025-06-30")
                ok = False
            elif name == "start":
                start = (got, value)
            else:
                end = (got, value)
        for name, got in (("start", start), ("end", end)):
            if got is None and ok:
                self.error("F208", f"period range has no `{name}`", _head(node.span),
                           "write {start: 2025-01-01, end: 2025-06-30}")
                ok = False
        if not ok or start is None or end is None:
            return None
        return self.custom_range(start[0], end[0], node, end[1])

    def custom_range(self, a: datetime.date, b: datetime.date, node: Node, end_node: Node):
        if b < a:
            self.error("F208", f"period ends ({b}) before it starts ({a})", end_node.span,
                       "swap start and end, or correct the dates")
            return None
        return f"{a.isoformat()}..{b.isoformat()}", "custom", a, b

    # ---- invariants ------------------------------------------------------------------------
    def energy_invariants(self, facts: dict[str, Fact]) -> None:
        total, it = facts.get("energy.total"), facts.get("energy.it")
        e = units.ENERGY

        def q(value) -> str:
            return units.format_quantity(float(value), e)

        if it is not None and not it.value > 0:  # type: ignore[operator]
            self.error("F206", f"energy.it must be greater than 0, found {it.written}", it.span,
                       "give the IT equipment's energy for the period, e.g. \"14.2 GWh\"; leave it out if unknown")
        if total is not None and it is not None and total.value < it.value:  # type: ignore[operator]
            self.error("F206", f"energy.total ({total.written}) is less than energy.it ({it.written}, line "
                       f"{it.span.line}): PUE would be below 1", total.span,
                       "energy.total is the whole data centre including IT; check both figures and their units")
        reused = facts.get("energy.reused")
        if reused is not None and total is not None and reused.value > total.value:  # type: ignore[operator]
            self.error("F206", f"energy.reused ({reused.written}) exceeds energy.total ({total.written}, line "
                       f"{total.span.line})", reused.span,
                       "reused energy is heat delivered outside the DC and cannot exceed the energy it used")
        parts = [(p, facts[p]) for p in RENEWABLE_PARTS if p in facts]
        renewable = facts.get("energy.renewable")
        if parts:
            total_parts = sum(float(f.value) for _, f in parts)  # type: ignore[arg-type]
            if renewable is not None:
                if abs(total_parts - float(renewable.value)) > 0.001 * max(abs(float(renewable.value)), 1e-9):  # type: ignore[arg-type]
                    names = " + ".join(p for p, _ in parts)
                    self.error("F206", f"the renewable parts ({names} = {q(total_parts)}) do not add up to "
                               f"energy.renewable ({renewable.written})", renewable.span,
                               "the parts must sum to the total within 0.1 %; correct one of them, "
                               "or leave energy.renewable out and it is computed from the parts")
            else:
                renewable = Fact(total_parts, None, None, "sum of " + ", ".join(p for p, _ in parts))
                facts["energy.renewable"] = renewable
        if renewable is not None and total is not None and renewable.value > total.value:  # type: ignore[operator]
            span = renewable.span or parts[0][1].span
            what = f"({renewable.written})" if renewable.written else f"({q(renewable.value)}, {renewable.derived})"
            self.error("F206", f"energy.renewable {what} exceeds energy.total ({total.written}, line "
                       f"{total.span.line})", span,
                       "renewable energy is the part of energy.total from renewable sources; check the figures")
        water_in, potable = facts.get("water.input"), facts.get("water.potable")
        if water_in is not None and potable is not None and potable.value > water_in.value:  # type: ignore[operator]
            self.error("F206", f"water.potable ({potable.written}) exceeds water.input ({water_in.written}, line "
                       f"{water_in.span.line})", potable.span,
                       "potable water is part of the total water input; check both figures")


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
            self.loader.error("F105", f"{path} is given twice (first at line {first.line}, column {first.column})",
                              key.span, "keep one of the two; nested and dotted spellings name the same field")
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
                self.loader.error("F205", f"{path} must be a mapping of {', '.join(names)}; found "
                                  f"{value.describe()}", value.span,
                                  f"write the fields on their own lines, indented under `{path}:`, "
                                  f"or as `{path}.{names[0]}: ...`")
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
        self.loader.error("F106", f'unknown key "{name}"{where}', key.span, hint)

    # ---- conversion --------------------------------------------------------------------
    def convert(self, path: str, ftype: FactType, node: Node):
        """A Fact, _ABSENT (a null in a nullable field), or None after reporting a problem."""
        err = self.loader.error
        if node.kind != "scalar":
            err("F205", f"{path} must be {_describe(ftype)}, found {node.describe()}", node.span,
                _example_hint(path, ftype))
            return None
        if node.is_null:
            if path in NULL_MEANS:
                return Fact(NULL_MEANS[path], node.span, node.text or "null")
            if path in NULLABLE:
                return _ABSENT
            if path in REQUIRED:
                err("F107", f"facility `{path}` has no value", node.span, _example_hint(path, ftype))
            else:
                err("F205", f"{path} has no value", node.span,
                    "give a value, or remove the line (an absent field means unknown)"
                    if ftype.kind != "flag" else "write true or false (an absent flag means false)")
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
            err("F205", f"{path} must be a {dim.name}, found {node.text}", node.span, f'write e.g. "{example}"')
            return None
        if isinstance(value, (int, float)) or (isinstance(value, str) and PLAIN_NUMBER.match(value)):
            err("F201", f"{path} is a {dim.name} and needs a unit: {node.text} what?", node.span,
                f'write the number with its unit, e.g. "{str(node.text).strip()} {dim.canonical_unit}" or '
                f'"{example}" (units: {_units_for(dim)})')
            return None
        if not isinstance(value, str):
            err("F205", f"{path} must be a {dim.name} such as \"{example}\", found {node.describe()}", node.span,
                f'write a number and a unit, e.g. "{example}"')
            return None
        m = QUANTITY.match(value)
        if not m:
            hint = f'write a number and a unit, e.g. "{example}"'
            if LOOSE_NUMBER.match(value) and ("," in value or "'" in value or re.search(r"\d \d", value)):
                hint = f'use a decimal point and no thousands separators, e.g. "{example}"'
            err("F205", f'{path}: "{value}" is not a quantity', node.span, hint)
            return None
        symbol = m["unit"]
        if symbol is None:  # pragma: no cover - PLAIN_NUMBER catches this above
            err("F201", f"{path} needs a unit", node.span, f'e.g. "{example}"')
            return None
        try:
            unit = units.parse_unit(symbol)
        except units.UnknownUnit as exc:
            hint = f'did you mean "{exc.suggestion}"? ' if exc.suggestion else ""
            err("F203", f'unknown unit "{exc.symbol}" in {path}', node.span,
                f"{hint}a {dim.name} takes {_units_for(dim)}")
            return None
        if unit.dimension != dim:
            got = unit.dimension.name
            hint = f'write a {dim.name} such as "{example}" ({_units_for(dim)})'
            if dim == units.POWER and unit.dimension == units.ENERGY and symbol.endswith("h"):
                hint = f'{path} is a power: write "{m["num"]} {symbol[:-1]}" (without the "h") if that is what you mean'
            elif dim == units.ENERGY and unit.dimension == units.POWER:
                hint = f'{path} is an energy over the period: write e.g. "{m["num"]} {symbol}h"'
            elif dim == units.VOLUME and unit.dimension == units.OIL:
                hint = f'{path} is a water volume: write it in m3 or L (1 kl of water = "1 m3")'
            elif dim == units.OIL and unit.dimension == units.VOLUME:
                hint = f'{path} is a crude-oil equivalent: write it in kl, e.g. "{example}"'
            article = "an" if got[0] in "aeiou" else "a"
            err("F202", f'{path} must be a {dim.name} (in {dim.canonical_unit}), but "{value.strip()}" is '
                f"{article} {got}", node.span, hint)
            return None
        magnitude = float(m["num"]) * unit.factor
        if not math.isfinite(magnitude):
            err("F205", f'{path}: "{value}" is too large', node.span, f'e.g. "{example}"')
            return None
        if magnitude < 0 and dim != units.TEMPERATURE:
            err("F206", f"{path} must not be negative, found {value.strip()}", node.span,
                f"a {dim.name} is zero or more; check the sign")
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
            err("F205", f"{path} must be a ratio, found {node.describe()}", node.span,
                'write a number in [0, 1] or a percentage, e.g. 0.55 or "55%"')
            return None
        value = float(value)
        if not 0.0 <= value <= 1.0:
            hint = 'write a number in [0, 1] or a percentage, e.g. 0.55 or "55%"'
            if 1 < value <= 100 and "%" not in str(node.text):
                hint = f'for {node.text} percent write "{node.text}%" or {value / 100:g}'
            err("F209", f"{path} is {node.text}, outside [0, 1]", node.span, hint)
            return None
        return value

    def _number(self, path: str, ftype: FactType, node: Node):
        err = self.loader.error
        value = node.value
        if isinstance(value, str) and PLAIN_NUMBER.match(value):
            value = float(value)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            err("F205", f"{path} must be a number, found {node.describe()}", node.span, _example_hint(path, ftype))
            return None
        if ftype.minimum is not None and value < ftype.minimum:
            err("F206", f"{path} must be at least {units.format_number(ftype.minimum)}, found {node.text}",
                node.span, _example_hint(path, ftype))
            return None
        return float(value)

    def _integer(self, path: str, ftype: FactType, node: Node):
        err = self.loader.error
        value = node.value
        if isinstance(value, str) and re.fullmatch(r"\s*[-+]?\d+\s*", value):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            hint = "write a whole number without quotes or separators, e.g. 1200"
            if isinstance(value, float) and value.is_integer():
                hint = f"write {int(value)} (a whole number, no decimal point)"
            err("F205", f"{path} must be a whole number, found {node.describe()}", node.span, hint)
            return None
        if ftype.minimum is not None and value < ftype.minimum:
            err("F206", f"{path} must not be negative, found {value}", node.span, "a count is zero or more")
            return None
        return value

    def _flag(self, path: str, ftype: FactType, node: Node):
        if isinstance(node.value, bool) and str(node.text).lower() in ("true", "false"):
            return node.value
        self.loader.error("F205", f"{path} must be true or false, found {node.describe()}", node.span,
                          "write true or false (an absent flag means false)")
        return None

    def _date(self, path: str, ftype: FactType, node: Node):
        got = _date_value(node)
        if isinstance(got, datetime.date):
            return got
        code = "F204"
        self.loader.error(code, f"{path}: {node.describe()} is not a valid date: {got}", node.span,
                          "write the date as YYYY-MM-DD (e.g. 2015-05-01), or YYYY-MM for the first of a month")
        return None

    def _text(self, path: str, ftype: FactType, node: Node):
        text = str(node.text).strip()
        if not text:
            self.loader.error("F205", f"{path} is empty", node.span, _example_hint(path, ftype))
            return None
        return text

    def _slug(self, path: str, ftype: FactType, node: Node):
        text = str(node.text)
        if SLUG.fullmatch(text):
            return text
        self.loader.error("F205", f'{path} "{text}" is not a valid identifier', node.span,
                          f'use lowercase letters, digits, ".", "_" and "-", starting with a letter or digit, '
                          f'e.g. "{_slugify(text)}"')
        return None

    def _country(self, path: str, ftype: FactType, node: Node):
        text = str(node.text).strip()
        if COUNTRY.fullmatch(text):
            return text
        hint = "write the ISO 3166-1 alpha-2 code in capitals, e.g. DE, JP, CN, FR"
        if re.fullmatch(r"[A-Za-z]{2}", text):
            hint = f'did you mean "{text.upper()}"? country codes are two capital letters'
        elif text.lower() in _COUNTRY_NAMES:
            hint = f'did you mean "{_COUNTRY_NAMES[text.lower()]}"? write the two-letter ISO code'
        self.loader.error("F205", f'{path} "{text}" is not a two-letter country code', node.span, hint)
        return None

    def _enum(self, path: str, ftype: FactType, node: Node):
        text = str(node.text).strip()
        if text in ftype.values:
            return text
        near = _close(text, ftype.values, cutoff=0.5)
        hint = (f'did you mean "{near}"? ' if near else "") + "allowed: " + ", ".join(ftype.values)
        if path in NULLABLE:
            hint += ", or null"
        self.loader.error("F205", f'{path} "{text}" is not one of its values', node.span, hint)
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
