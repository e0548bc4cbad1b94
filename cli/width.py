"""How wide terminal output may be: the terminal's width, or COLUMNS when piped (else 100)."""

from __future__ import annotations

import os
import shutil

PIPED_DEFAULT = 100


def output_width(explicit: int | None = None) -> int:
    """--width if given, else COLUMNS if set (honoured when piped too), else the terminal's, else 100."""
    if explicit:
        return explicit
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    return shutil.get_terminal_size(fallback=(PIPED_DEFAULT, 24)).columns
