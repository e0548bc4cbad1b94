"""dsl/data.py: the project's frozen classes share one __repr__, which gives the text attrs' own gives."""

from __future__ import annotations

import ast
from pathlib import Path

import attrs
import pytest

from dcpolicy.dsl.data import data_repr, frozen
from dcpolicy.evaluator.facts import SourceFile
from dcpolicy.evaluator.results import Run

ROOT = Path(__file__).resolve().parent.parent


def _twins():
    """The same class made by attrs.frozen (attrs' compiled repr) and by frozen (the shared one)."""
    def body():
        return {"__annotations__": {"name": "str", "hidden": "int", "shown": "tuple", "node": "object"},
                "hidden": attrs.field(default=0, repr=False),
                "shown": attrs.field(default=(), repr=lambda v: f"<{len(v)} items>"),
                "node": None}
    return attrs.frozen(type("Twin", (), body())), frozen(type("Twin", (), body()))


def test_the_shared_repr_is_the_text_of_attrs_own():
    theirs, ours = _twins()
    for args in [("a",), ("b", 3, (1, 2), None), ("c", 0, (), ours("inner"))]:
        inner = args[3] if len(args) > 3 else None
        their_args = (*args[:3], theirs(inner.name) if inner is not None else None) if len(args) > 3 else args
        assert repr(ours(*args)) == repr(theirs(*their_args))
    assert repr(ours("x", 1, (1,), None)) == "Twin(name='x', shown=<1 items>, node=None)"


def test_an_object_that_shows_itself_shows_dots_as_attrs_does():
    theirs, ours = _twins()
    mine, their = ours("loop", node=[]), theirs("loop", node=[])
    mine.node.append(mine)
    their.node.append(their)
    assert repr(mine) == repr(their) == "Twin(name='loop', shown=<0 items>, node=[...])"


def test_project_classes_use_it_and_compare_by_value():
    source = SourceFile("a.yaml", "0" * 64, "")
    assert type(source).__repr__ is data_repr and source == SourceFile("a.yaml", "0" * 64, "")
    assert repr(source).startswith("SourceFile(path='a.yaml'") and hash(source) == hash(SourceFile("a.yaml", "0" * 64, ""))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        source.path = "b.yaml"
    assert Run.__repr__ is data_repr


def test_no_module_makes_a_frozen_class_with_its_own_compiled_repr():
    found = []
    for path in sorted(p for folder in ("dsl", "evaluator", "cli") for p in (ROOT / folder).glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                found += [f"{path.parent.name}/{path.name}:{node.name}" for d in node.decorator_list
                          if ast.unparse(d).startswith("attrs.frozen")]
    assert found == [], "use dsl/data.py's `frozen` (one shared __repr__) instead of attrs.frozen"
