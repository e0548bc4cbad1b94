"""Typing of quantifiers over a facility's records (`every room in facility.computer_rooms where …: …`).

The quantifier binds a name to each record of a list (dsl/records.py); inside its `where` and its
body, `room.floor_area` reads a field of that record and `room.cooling_system.economizer` a field
of the record it refers to. Misuse is E306; the body and `where` are conditions (E303).
"""

from __future__ import annotations

import attrs

from . import ast, schema
from . import types as T
from .builtins import FUNCTIONS, ROOTS
from .messages import E206, E301, E306
from .records import RECORD_LISTS, RecordList, field_paths, field_type
from .types import Type


def infer(typer, expr: ast.Quantifier, context) -> Type:
    """The type of a quantifier (true/false), after typing its `where` and body with the record bound."""
    if context.bound:
        return typer._error(E306.nested.at(expr.span))
    if context.in_aggregate:
        return typer._error(E306.in_aggregate.at(expr.span, name=context.subject_name))
    source = expr.records
    lst = RECORD_LISTS.get(source.path) if source.root == "facility" and source.offset is None else None
    if lst is None:
        lists = ", ".join(f"facility.{name}" for name in RECORD_LISTS)
        return typer._error(E306.at(source.span, text=source.text, lists=lists))
    if not context.facts:  # an operator rule reads a facility's records only through an aggregate (E206)
        typer.types[id(source)] = typer._error(
            E206.at(source.span, fact=source.text, context=context.subject))
        return T.ERROR
    taken = _taken(typer, expr.name)
    if taken is not None:
        return typer._error(E306.name_taken.at(expr.span, name=expr.name, what=taken,
                                               example=lst.singular.split()[-1].lower()))
    typer.types[id(source)] = Type("records", values=(lst.name,))
    inner = attrs.evolve(context, bound=((expr.name, lst),))
    if expr.where is not None:
        typer.expect(typer.expr(expr.where, inner), T.BOOL, expr.where, '"where"')
    typer.expect(typer.expr(expr.body, inner), T.BOOL, expr.body, f'"{expr.kind}"')
    return T.BOOL


def _taken(typer, name: str) -> str | None:
    if name in ROOTS:
        return f"the {name}'s facts"
    if name in FUNCTIONS:
        return "a function"
    if name in typer.definitions:
        return "a definition"
    return None


def record_field(typer, expr: ast.Ref, lst: RecordList) -> Type:
    """`room.floor_area`: the type of a field of the bound record (through a reference too)."""
    if expr.offset is not None:
        return typer._error(E301.offset_name.at(expr.span, name=expr.root))
    if len(expr.parts) == 1:
        return typer._error(E306.bare.at(expr.span, name=expr.root, singular=lst.singular, field=_example(lst)))
    fact = field_type(lst, expr.path)
    if fact is None:
        from .typecheck import closest  # (typecheck imports this module)

        paths = field_paths(lst)
        near = closest(expr.path, paths)
        return typer._error(E306.field.at(expr.span, singular=lst.singular, field=expr.path, fields=", ".join(paths),
                                          did_you_mean=f"{expr.root}.{near}" if near else None))
    return T.of_fact(fact)


def list_read_as_value(typer, expr: ast.Ref) -> Type:
    """`facility.computer_rooms` outside a quantifier."""
    lst = RECORD_LISTS[expr.path]
    return typer._error(E306.list_as_value.at(expr.span, text=expr.text, name=lst.singular.split()[-1].lower(),
                                              field=_example(lst)))


def is_record_list(root: str, path: str) -> bool:
    return root == "facility" and path in RECORD_LISTS and schema.lookup(root, path) is None


def _example(lst: RecordList) -> str:
    return next(name for name, fact in lst.fields.items() if fact.kind == "quantity")
