"""Plain-text grids that fit a width: columns shrink (widest first) and cells wrap with a hanging indent.

Used by the operator views (compare, timeline, priorities). The width is the terminal's, or COLUMNS
when output is piped (cli/width.py), so a table never breaks an id in the middle when it can wrap
at a space instead.
"""

from __future__ import annotations

import re
import textwrap

MIN_COLUMN = 10
_GAP = " │ "
# A number and its unit stay on one line ("100 %", "2.6 GWh"): the space between them is held with a
# no-break space while wrapping (textwrap splits only at ASCII whitespace).
_NUMBER_UNIT = re.compile(r"(?<=\d) (?=(?:%|points\b|[kMGT]?Wh?\b|kl\b|L(?:/kWh)?\b|m[23²³]|°C|[kMG]J\b))")
_HELD = "\u00a0"


def wrap(text: str, width: int, indent: str = "  ") -> list[str]:
    """One line of text wrapped to width; continuation lines indented (a hanging indent)."""
    if len(text) <= width:
        return [text]
    lead = len(text) - len(text.lstrip(" "))
    if max((len(word) for word in text.split()), default=0) + lead + len(indent) > width:
        indent = ""  # a hanging indent would break a word: give it up first
    hanging = " " * lead + indent
    held = _NUMBER_UNIT.sub(_HELD, text)
    lines = textwrap.wrap(held, width=max(width, len(hanging) + 4), subsequent_indent=hanging,
                          break_long_words=True, break_on_hyphens=False) or [""]
    return [line.replace(_HELD, " ") for line in lines]


def natural_width(headers: list[str], rows: list[list[str]]) -> int:
    """The width the grid takes when nothing is wrapped."""
    columns = [[headers[i], *(r[i] for r in rows)] for i in range(len(headers))]
    return sum(max(len(line) for cell in column for line in (cell.splitlines() or [""])) for column in columns) \
        + len(_GAP) * (len(headers) - 1)


def grid(headers: list[str], rows: list[list[str]], width: int) -> str:
    """A table of cells (each may hold several lines) in at most `width` columns where it can: a column
    shrinks down to its longest word (ids are never broken while another column can give way), then
    below it only if it must."""
    count = len(headers)
    columns = [[headers[i], *(r[i] for r in rows)] for i in range(count)]
    natural = [max(len(line) for cell in column for line in (cell.splitlines() or [""])) for column in columns]
    longest_word = [max((len(word) for cell in column for word in cell.split()), default=1) for column in columns]
    widths = list(natural)
    room = width - len(_GAP) * (count - 1)
    # a wrapped line's continuation is indented by 2, so a word needs 2 more to fit there unbroken
    for floor in (lambda i: min(longest_word[i] + 2, natural[i]), lambda i: MIN_COLUMN):
        while sum(widths) > room:
            slack = [widths[i] - floor(i) for i in range(count)]
            if max(slack) <= 0:
                break
            widths[slack.index(max(slack))] -= 1
    rule = "─┼─".join("─" * w for w in widths)
    out = [_line([headers[i].splitlines() or [""] for i in range(count)], widths), rule]
    for index, row in enumerate(rows):
        if index:
            out.append(rule)
        cells = [[part for line in (row[i].splitlines() or [""]) for part in wrap(line, widths[i])]
                 for i in range(count)]
        out.append(_line(cells, widths))
    return "\n".join(out) + "\n"


def _line(cells: list[list[str]], widths: list[int]) -> str:
    height = max(len(c) for c in cells)
    lines = []
    for k in range(height):
        parts = [(c[k] if k < len(c) else "").ljust(w) for c, w in zip(cells, widths)]
        lines.append(_GAP.join(parts).rstrip())
    return "\n".join(lines)
