"""The fact model: facilities, their periods and facts with positions, as plain frozen data."""

from __future__ import annotations

import datetime

import attrs

from ..dsl.diagnostics import Span


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
    facts: dict[str, Fact]  # as written, derived, or the schema's default (flags) when left out
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
    facts: dict[str, Fact]  # as written, or the schema's default (flags) when left out
    periods: tuple[Period, ...]  # sorted by start
    operator_id: str | None
    source: SourceFile
    span: Span


@attrs.frozen
class LoadedInput:
    facilities: tuple[Facility, ...]
    sources: tuple[SourceFile, ...]
    overrides: tuple = ()  # what-if: overrides.Applied, the facts --set replaced
