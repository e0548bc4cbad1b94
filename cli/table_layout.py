"""How `policy eval`'s table fits the width it has: which columns, how narrow, where lines wrap.

At 140 columns and more (a pipe without COLUMNS is 160) the table keeps every column as before. Below,
it drops the citation, shortens the severity and cuts the title with an ellipsis so that a typical rule
stays on one line; ids, verdicts and figures are never broken. Reasons and explanation lines longer than
the width wrap with a hanging indent, so a continued line stays under the text it continues.
"""

from __future__ import annotations

import os
import sys

from ..dsl.data import frozen
from .grid import wrap

WIDE = 140
PIPED_WIDTH = 160  # a pipe without COLUMNS: wide, as before
_SHORT_SEVERITY = {"mandatory": "mand.", "target": "target", "advisory": "advis.", "informational": "info"}


@frozen
class Layout:
    columns: tuple[str, ...]
    short_severity: bool


def table_width() -> int | None:
    """COLUMNS when set (also when piped); else None for a terminal (rich measures it), 160 for a pipe."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    return None if sys.stdout.isatty() else PIPED_WIDTH


def for_width(width: int) -> Layout | None:
    """None: the full table. Otherwise the columns that fit."""
    if width >= WIDE:
        return None
    if width >= 60:
        return Layout(("verdict", "severity", "rule", "title", "value", "limit"), short_severity=width < 110)
    return Layout(("verdict", "rule", "value", "limit"), short_severity=True)


def compact_verdict(label: str) -> str:
    """A verdict label made short for a narrow table: "NOT IN FORCE until 2027-08-15 (proposed)" reads
    "FROM 2027-08-15 (prop.)"."""
    return label.replace("NOT IN FORCE until ", "FROM ").replace("(proposed)", "(prop.)")


def severity_text(severity: str, layout: Layout) -> str:
    return _SHORT_SEVERITY.get(severity, severity) if layout.short_severity else severity


def reason_lines(line: str, width: int) -> list[str]:
    """A reason line "  FAIL*    rule: words…" wrapped under its words (11 columns in)."""
    return wrap(line, width, " " * max(11 - (len(line) - len(line.lstrip(" "))), 2))


def explanation_lines(line: str, width: int) -> list[str]:
    """An explanation line "  label     text" wrapped under its text (the label column is 10 wide)."""
    return wrap(line, width, " " * 10)


def narrow_table(layout: Layout, rows, width: int):
    """A rich Table of (verdict Text, severity, rule, title, citation, value, limit) rows for this layout:
    every column but the title as wide as its widest cell, the title what is left, cut with an ellipsis
    (left out when fewer than 8 columns are left for it)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    index = {"verdict": 0, "severity": 1, "rule": 2, "title": 3, "citation": 4, "value": 5, "limit": 6}
    rows = [(Text(compact_verdict(str(row[0])), style=row[0].style), *row[1:]) for row in rows]

    def measure(columns):
        cells = [[str(row[index[c]]) if c != "severity" else severity_text(row[1], layout) for c in columns]
                 for row in rows]
        widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
        # rich puts 3 columns between two columns (a space each side and the separator), none at the edges
        return cells, widths, sum(w for c, w in zip(columns, widths) if c != "title") + 3 * (len(columns) - 1)

    columns = layout.columns
    cells, widths, others = measure(columns)
    if width - others < 8 and "title" in columns:  # no room for a title worth reading
        columns = tuple(c for c in columns if c != "title")
        cells, widths, others = measure(columns)
    figures = [i for i, c in enumerate(columns) if c in ("value", "limit")]
    if others > width and figures:  # long figures (bounds of unknown values) are cut, never ids or verdicts
        room = max(8, (width - (others - sum(widths[i] for i in figures))) // len(figures))
        for i in figures:
            widths[i] = min(widths[i], room)
    table = Table(show_header=True, header_style="bold", expand=False, pad_edge=False, box=box.SIMPLE_HEAD,
                  show_edge=False)
    for column, natural in zip(columns, widths):
        if column == "title":
            table.add_column(column, no_wrap=True, overflow="ellipsis", max_width=min(natural, width - others))
        elif column in ("value", "limit"):
            table.add_column(column, no_wrap=True, overflow="ellipsis", max_width=natural)
        else:
            table.add_column(column, no_wrap=True, min_width=natural)
    for row, shown in zip(rows, cells):
        table.add_row(*(row[0] if c == "verdict" else Text(text) for c, text in zip(columns, shown)))  # never markup
    return table
