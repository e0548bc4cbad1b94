"""Shared test helpers: the `policy` command run in-process, and the one switch that regenerates
every expected output (golden files and the README's example outputs).

    DCPOLICY_REGENERATE=1 .venv/bin/pytest tests/test_golden.py tests/test_docs_examples.py
"""

from __future__ import annotations

import io
import os
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import attrs
import pytest

from dcpolicy.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
REGENERATE_VARIABLE = "DCPOLICY_REGENERATE"
# Tests compile every policy afresh (and never touch the user's plan cache); tests/test_plan_cache.py
# turns the cache on in a folder of its own.
os.environ["DCPOLICY_CACHE_DIR"] = "off"


@pytest.fixture(autouse=True)
def _no_columns_from_the_shell(monkeypatch):
    """Output widths follow COLUMNS (cli/table_layout.py, cli/width.py); a test sets it when it means to."""
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture
def regenerate() -> bool:
    """True when the expected outputs are to be rewritten from what the code prints now."""
    return os.environ.get(REGENERATE_VARIABLE, "") not in ("", "0")


@attrs.frozen
class CliRun:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def policy_cli(monkeypatch):
    """Run `policy ARGS…` in-process from the repository root, as a terminal-less user would.

    Paths in the output are then relative to the repository, and rich prints no colour codes,
    so the output is the same on every machine."""
    monkeypatch.chdir(ROOT)
    for variable in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS"):
        monkeypatch.delenv(variable, raising=False)

    def run(argv: list[str]) -> CliRun:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exit_:  # argparse's usage errors and --version
                code = exit_.code if isinstance(exit_.code, int) else 2
        return CliRun(code, out.getvalue(), err.getvalue())

    return run
