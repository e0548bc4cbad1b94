"""The fact model: facilities, their periods and facts with positions, as plain frozen data."""

from __future__ import annotations

import datetime

import attrs

from ..dsl.data import frozen
from ..dsl.diagnostics import Span

from .yaml_nodes import span_of


def _where(at: Span | tuple | None) -> Span | None:
    """A fact's position as the Span it stands for (what facts are compared and hashed by)."""
    return None if at is None else span_of(at)


@frozen
class Fact:
    """One fact. Where it was written is given (as ``span``) as a Span, or by the YAML loader as a node's
    position tuple (evaluator/yaml_nodes.py), made a Span the first time :attr:`span` is asked for: a register's
    facts are mostly judged without anyone asking where they were written (issue 9, loading cost)."""

    value: object  # float for quantity/ratio/number (quantities canonical), int, bool, date, str
    at: Span | tuple | None = attrs.field(alias="span", eq=_where)  # where in the YAML (None for defaults/derived)
    written: str | None  # the text as written, e.g. "2.4 MW" (None if derived/default)
    derived: str | None = None  # plain words when computed

    @property
    def span(self) -> Span | None:
        return _where(self.at)  # made each time it is asked for (a frozen fact is never written to)


@frozen
class Record:
    """One entry of a list of records inside a facility (dsl/records.py), e.g. one computer room.

    ``values`` is what a policy reads: each field's value, a referenced record's fields under
    ``field.name`` (``cooling_system.economizer``), and derived fields."""

    list_name: str  # computer_rooms
    id: str
    facts: dict[str, Fact]  # as written (and derived), by field name; references followed as field.name
    span: Span

    @property
    def values(self) -> dict:
        return {name: fact.value for name, fact in self.facts.items()}


@frozen
class Period:
    label: str  # "2025", "FY2025", or "2025-01-01..2025-06-30"
    kind: str  # "calendar" | "fiscal" | "custom"
    start: datetime.date
    end: datetime.date  # inclusive last day
    facts: dict[str, Fact]  # as written, derived, or the schema's default (flags) when left out
    span: Span


@frozen
class SourceFile:
    path: str  # display form: as given, or resolved relative to the portfolio / directory
    sha256: str
    text: str


@frozen
class Facility:
    id: str
    name: str
    facts: dict[str, Fact]  # as written, or the schema's default (flags) when left out
    periods: tuple[Period, ...]  # sorted by start
    operator_id: str | None
    source: SourceFile
    span: Span


@frozen
class LoadedInput:
    facilities: tuple[Facility, ...]
    sources: tuple[SourceFile, ...]
    overrides: tuple = ()  # what-if: overrides.Applied, the facts --set replaced


# ---------------------------------------------------------------- plain form, for worker processes
# Pickling these frozen classes costs as much as evaluating them; as plain tuples it is a fifth of
# that. The file's text is left behind: evaluation reads only its path and sha256.
def to_plain(facility: Facility) -> tuple:
    return (facility.id, facility.name, _plain_facts(facility.facts),
            [(p.label, p.kind, p.start, p.end, _plain_facts(p.facts), _plain_span(p.span)) for p in facility.periods],
            facility.operator_id, facility.source.path, facility.source.sha256, _plain_span(facility.span))


def from_plain(plain: tuple, sources: dict) -> Facility:
    """The facility `to_plain` gave; `sources` shares one text-less SourceFile per file."""
    fid, name, facts, periods, operator_id, path, sha256, span = plain
    source = sources.get((path, sha256)) or sources.setdefault((path, sha256), SourceFile(path, sha256, ""))
    return Facility(fid, name, _facts(path, facts),
                    tuple(Period(label, kind, start, end, _facts(path, table), _span(path, where))
                          for label, kind, start, end, table, where in periods),
                    operator_id, source, _span(path, span))


def _plain_span(span: Span | None):
    return None if span is None else (span.file, span.line, span.column, span.end_line, span.end_column)


def _plain_facts(facts: dict[str, Fact]) -> list:
    return [(path, f.value, _plain_span(f.span), f.written, f.derived) for path, f in facts.items()]


def _span(path: str, plain) -> Span | None:
    return None if plain is None else Span(*plain)


def _facts(path: str, plain: list) -> dict[str, Fact]:
    return {key: Fact(value, _span(path, span), written, derived) for key, value, span, written, derived in plain}
