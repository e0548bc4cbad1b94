"""Read, parse and check policy files: the language front end as one call."""

from __future__ import annotations

from pathlib import Path

from .checker import CheckedPolicy, check
from .diagnostics import DiagnosticError, Span
from .facility_messages import F101
from .parser import parse_file


def load_policy(path: str | Path, display: str | None = None) -> CheckedPolicy:
    """Parse and check one policy file; raise DiagnosticError listing what is wrong."""
    policy, text = parse_file(str(path), display or str(path))
    return check(policy, text)


def policy_files(paths: list[str]) -> list[Path]:
    """Expand directories to their *.policy files (sorted); keep files as given."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(path.glob("*.policy")))
        elif path.exists():
            found.append(path)
        else:
            raise DiagnosticError([F101.no_such_path.at(Span.point(raw, 1, 1), path=raw)])
    return found


def shipped_policies_dir() -> Path:
    from .. import policies  # a regular package on disk (installed or editable); importlib.resources would
    # import zipfile and tempfile for the same folder

    return Path(policies.__file__).parent
