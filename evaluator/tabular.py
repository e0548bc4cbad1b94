"""Tabular input: a CSV register, one row per facility-period, read into the located Nodes YAML gives.

The header names the fields with dotted paths (`energy.total`), a unit in brackets where the cells
are bare numbers (`energy.total [GWh]`); a cell may carry its own unit (`12.5 GWh`). Rows with the same
`id` are one facility: its facility columns repeat (or are left empty), each row with a `period`
adds a period. The nodes go through the facility reader (evaluator/documents.py), so validation and
wording are those of YAML; a position is the row's line and the cell's character column.
"""

from __future__ import annotations

import datetime
import re

from ..dsl import schema
from ..dsl.diagnostics import Diagnostic, Span
from ..dsl.facility_messages import F102, F105, F107

from .documents import PERIOD_GROUPS
from .yaml_nodes import Node

_HEADER = re.compile(r"^\s*(?P<path>[^\[\]]*?)\s*(\[\s*(?P<unit>[^\]]*?)\s*\])?\s*$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def is_tabular(path: str) -> bool:
    return path.lower().endswith(".csv")


def read_csv(text: str, file: str) -> tuple[list[Node], list[Diagnostic]]:
    """One facility mapping per distinct `id`, in the order ids first appear; the problems found."""
    problems: list[Diagnostic] = []
    rows = [(number, cells) for number, line in enumerate(text.splitlines(), 1)
            if line.strip() and not line.lstrip().startswith("#")
            for cells in [_cells(line, number, file, problems)] if cells is not None]
    if not rows:
        return [], problems
    header_line, header = rows[0]
    columns = []
    for text_, column, _ in header:
        match = _HEADER.match(text_)
        path, unit = match["path"], match["unit"] or None
        columns.append((path, unit, Span(file, header_line, column, header_line, column + max(len(text_), 1))))
    seen: dict[str, Span] = {}
    for path, _, span in columns:
        if path in seen:
            problems.append(F105.at(span, key=path, line=seen[path].line, column=seen[path].column))
        seen.setdefault(path, span)
    if "id" not in seen:
        problems.append(F107.at(columns[0][2], field="id", example="fra-3", rule=" (a column named `id`)"))
        return [], problems
    facilities: dict[str, _Facility] = {}
    for line, cells in rows[1:]:
        if len(cells) != len(columns):
            problems.append(F102.csv.at(Span.point(file, line, 1), problem=f"this row has {len(cells)} cells, the "
                                        f"header {len(columns)}", hint="give every row one cell per column "
                                        "(an empty cell leaves the field out)"))
            continue
        values = {path: (_scalar(text_, unit, quoted, Span(file, line, column, line, column + max(len(text_), 1))),
                         key_span)
                  for (path, unit, key_span), (text_, column, quoted) in zip(columns, cells) if text_ != ""}
        if "id" not in values:
            problems.append(F107.at(Span.point(file, line, 1), field="id", example="fra-3", rule=" in every row"))
            continue
        fid = str(values["id"][0].text)
        facility = facilities.setdefault(fid, _Facility(Span(file, line, 1, line, 2)))
        facility.add(line, values, problems)
    return [f.node() for f in facilities.values()], problems


class _Facility:
    """The rows of one facility: its fields (first value of each column) and one period per row."""

    def __init__(self, span: Span):
        self.span = span
        self.fields: dict[str, tuple[Node, Span]] = {}
        self.periods: list[tuple[Span, dict]] = []

    def add(self, line: int, values: dict, problems: list) -> None:
        period = {}
        for path, (value, key_span) in values.items():
            if _period_column(path):
                period[path] = (value, key_span)
            elif path in self.fields:
                first = self.fields[path][0]
                if first.text != value.text:
                    problems.append(F105.csv_row.at(value.span, path=path, id=self.fields["id"][0].text,
                                                    line=first.span.line, first=first.text))
            else:
                self.fields[path] = (value, key_span)
        if period:
            self.periods.append((Span(self.span.file, line, 1, line, 2), period))

    def node(self) -> Node:
        entries = _nest(self.fields, self.span)
        if self.periods:
            periods = tuple(Node("map", _nest(fields, span), span) for span, fields in self.periods)
            key_span = self.periods[0][0]
            entries += ((Node("scalar", "periods", key_span, "periods"), Node("seq", periods, key_span)),)
        return Node("map", entries, self.span)


def _period_column(path: str) -> bool:
    """`period`, a period field, or an unknown name in a period group (energy.totl: the period reader names it)."""
    if path == "period" or schema.lookup("period", path) is not None:
        return True
    return schema.lookup("facility", path) is None and path.split(".")[0] in PERIOD_GROUPS


def _nest(fields: dict, span: Span) -> tuple:
    """Dotted paths as nested mappings, as YAML would write them (power.nominal_connected under power)."""
    tree: dict = {}
    for path, (value, key_span) in fields.items():
        parts = path.split(".")
        place = tree
        for part in parts[:-1]:
            place = place.setdefault(part, ({}, key_span))[0]
            if not isinstance(place, dict):  # a field and a group of the same name: the reader reports it
                break
        else:
            place[parts[-1]] = (value, key_span)

    def build(level: dict) -> tuple:
        entries = []
        for name, (value, key_span) in level.items():
            key = Node("scalar", name, key_span, name)
            entries.append((key, Node("map", build(value), key_span) if isinstance(value, dict) else value))
        return tuple(entries)

    return build(tree)


def _scalar(text: str, unit: str | None, quoted: bool, span: Span) -> Node:
    """A cell as YAML would read it: numbers, true/false, dates; with the header's unit, "<number> <unit>"."""
    if quoted:
        return Node("scalar", text, span, text, True)
    if unit and (_INT.match(text) or _FLOAT.match(text)):
        text = f"{text} {unit}"
        return Node("scalar", text, span, text)
    value: object = text
    if _INT.match(text):
        value = int(text)
    elif _FLOAT.match(text):
        value = float(text)
    elif text.lower() in ("true", "false"):
        value = text.lower() == "true"
    elif _DATE.match(text):
        try:
            value = datetime.date.fromisoformat(text)
        except ValueError:
            value = text  # e.g. 2025-02-30: the field reports it
    return Node("scalar", value, span, text)


def _cells(line: str, number: int, file: str, problems: list) -> list[tuple[str, int, bool]] | None:
    """(text, 1-based column, quoted) of each cell of one line; commas separate, "" quotes, "" inside is "."""
    cells, i, n = [], 0, len(line)
    while True:
        while i < n and line[i] == " ":
            i += 1
        start = i
        if i < n and line[i] == '"':
            chars, i = [], i + 1
            while True:
                if i >= n:
                    problems.append(F102.csv.at(Span.point(file, number, start + 1), problem="a quoted cell is not "
                                                "closed on its line", hint='close it with ", write "" for a quote'))
                    return None
                if line[i] == '"' and i + 1 < n and line[i + 1] == '"':
                    chars.append('"')
                    i += 2
                elif line[i] == '"':
                    i += 1
                    break
                else:
                    chars.append(line[i])
                    i += 1
            cells.append(("".join(chars), start + 1, True))
            while i < n and line[i] == " ":
                i += 1
            if i < n and line[i] != ",":
                problems.append(F102.csv.at(Span.point(file, number, i + 1), problem="text after a quoted cell",
                                            hint="put the whole cell inside the quotes"))
                return None
        else:
            end = line.find(",", i)
            end = n if end < 0 else end
            cells.append((line[i:end].rstrip(), start + 1, False))
            i = end
        if i >= n:
            return cells
        i += 1  # the comma
