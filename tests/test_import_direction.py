"""One-way architecture (issue 8): text → AST → checked program → plan → results → renderers.

dsl/ knows nothing of evaluator/ or cli/; evaluator/ nothing of cli/. Imports between the folders
are relative (`from ..dsl.units import …`), so an editor or a static analyser follows them in the
source tree without installing the package.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("dsl", "evaluator", "cli")  # each may import only from itself and the layers before it
MODULES = sorted(path for folder in LAYERS for path in (ROOT / folder).glob("*.py"))


def _imported_folders(path: Path) -> list[tuple[int, str]]:
    """(line, folder) of every import that reaches into one of the layers' folders."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 2 and node.module:
                found.append((node.lineno, node.module.split(".")[0]))
            elif node.level == 0 and node.module and node.module.startswith("dcpolicy."):
                found.append((node.lineno, "absolute " + node.module))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, "absolute " + alias.name) for alias in node.names
                         if alias.name.startswith("dcpolicy"))
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_imports_point_only_to_earlier_stages(path):
    layer = LAYERS.index(path.parent.name)
    allowed = set(LAYERS[:layer])
    wrong = [f"line {line}: {target}" for line, target in _imported_folders(path) if target not in allowed]
    assert wrong == [], f"{path.parent.name}/{path.name} imports against the flow: {wrong}"


def test_the_check_sees_relative_imports():
    engine = ROOT / "evaluator" / "engine.py"
    assert _imported_folders(engine) == [] or all(t in LAYERS for _, t in _imported_folders(engine))
    units_readers = [p for p in MODULES if p.parent.name == "evaluator" and
                     any(t == "dsl" for _, t in _imported_folders(p))]
    assert units_readers, "evaluator/ reads dsl/ through relative imports"
