"""Module layout (issue 8, item 10): no module over about 400 lines, each opening with a one-line summary of its job.

Covers every module of dsl/, evaluator/ and cli/.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("dsl", "evaluator", "cli")
MAX_LINES = 400

MODULES = sorted(path for folder in FOLDERS for path in (ROOT / folder).glob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_module_is_at_most_400_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.name} has {lines} lines; split it by concern"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_module_opens_with_a_one_line_summary(path):
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert docstring, f"{path.name} has no docstring saying its job"
    summary, *rest = docstring.split("\n")
    assert summary.strip() and (not rest or not rest[0].strip()), f"{path.name}: the first line should stand alone"
