"""Which files a portfolio may list: its own folder and below, never itself (issue 12, "Confinement").

A portfolio from another team or from CI could otherwise name `../../secrets.yaml`, an absolute path
or a symbolic link leading out, and have the loader read (and quote) a file its author should not
reach. Listed paths are resolved relative to the portfolio's folder; the real file (symbolic links
followed) must lie in that folder or below it unless --allow-outside is given (docs/facility.md, "Files").
"""

from __future__ import annotations

import os

from ..dsl.diagnostics import Diagnostic, Span
from ..dsl.facility_messages import F109, F110
from ..dsl.files import ReadOptions, is_inside


def listed_file_problem(display: str, at: Span, base_dir: str, reading: ReadOptions,
                        being_read: list[str]) -> Diagnostic | None:
    """Why the portfolio entry at `at` naming `display` may not be read, or None. `base_dir`: the folder
    of the portfolio ("" for the current folder); `being_read`: the real paths of the files open now."""
    real = os.path.realpath(display)
    if real in being_read:
        return F110.at(at, file=display)
    if reading.allow_outside:
        return None
    folder = base_dir or os.curdir
    if is_inside(real, os.path.realpath(folder)):
        return None
    if is_inside(os.path.abspath(display), os.path.abspath(folder)):
        return F109.symlink.at(at, file=display, target=real, folder=folder)
    return F109.at(at, file=display, folder=folder)
