"""The generated code of a quantifier over a facility's records (`every room in facility.computer_rooms …`).

The quantifier's `where` and body become lambdas run once per record (evaluator/quantify.py), with
no trace slots of their own, as an aggregate's are; a record's field reads `c.record.get(field)`.
The trace keeps two slots: the answer (kind "quantifier") and, as its child, what each record gave
(kind "records", a quantify.Quantified): reasons and `missing` name the records from it.
"""

from __future__ import annotations

from ..dsl import ast
from ..dsl.units import NUMBER

from .plan import NodeInfo
from .plan_source import Call, Lambda


def generate(gen, node: ast.Quantifier, c: str, record: bool, children: list[int]):
    """(code, node kind, path) of a quantifier, for the compiler's generator `gen`."""
    assert isinstance(node, ast.Quantifier), node  # the compiler's last case: every other node is handled there
    source = node.records
    outer, gen.bound = gen.bound, node.name
    where = Lambda(gen.gen(node.where, c, False)) if node.where is not None else "None"
    gen.quoted = _conditions(node.body)
    body = Lambda(gen.gen(node.body, c, False))
    gen.bound, gen.quoted = outer, frozenset()
    head = f"{node.kind} {node.name} in {source.text}" + (" where …" if node.where is not None else "")
    found = Call("_rt.quantify", (c, repr(node.kind), repr(head), repr(source.text), f"{c}.F.get({source.path!r}, U)",
                                  where, body))
    if record:
        slot = len(gen.nodes)
        children.append(slot)
        gen.nodes.append(NodeInfo(text=gen.text_of(node.span), span=source.span, kind="records", path=source.text,
                                  dimension=NUMBER, type_kind="records", children=(), op=node.kind))
        found = Call("_r", ("t", str(slot), found), hug=True)
    return Call("_rt.holds", (found,)), "quantifier", source.text


def reference(gen, node: ast.Ref, c: str):
    """(code, node kind, path) of a name inside a quantifier: `room.floor_area` reads the record; a fact of
    the facility or a definition is read as anywhere else, and noted beside the record for `missing`."""
    if node.root == gen.bound:
        return Call(f"{c}.record.get", (repr(node.path),)), "record_field", node.text
    bound, gen.bound = gen.bound, None
    code, kind, path = gen._reference(node, c)
    gen.bound = bound
    if kind == "definition" and not gen.checked.definition_facts.get(node.root):
        return code, kind, path  # a constant (a threshold): nothing a facility could be missing
    return Call(f"{c}.record.outer", (repr(path), code)), kind, path


def _conditions(body) -> frozenset:
    """The comparisons a body's truth rests on: reached through and / or / parentheses only (not a tier's
    condition, not under `not`), so a failing record's reason quotes what failed, not how a limit was chosen."""
    found, stack = set(), [body]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Compare):
            found.add(id(node))
        elif isinstance(node, (ast.Logical, ast.Paren)):
            stack.extend(ast.children(node))
    return frozenset(found)


def comparison(gen, node: ast.Compare, c: str, fn: str, sub) -> Call:
    """The code of a comparison (`_rt.ge(a, b)`); in a quantifier's body, noted with its figures for the reason."""
    code = Call(f"_rt.{fn}", (sub(node.left), sub(node.right)))
    kind = gen.checked.types.get(id(node.left))
    if gen.bound is None or id(node) not in getattr(gen, "quoted", ()) or kind is None or kind.kind != "number":
        return code
    dimension = gen.constant(kind.dimension, f"line {node.span.line}: the unit of {gen.text_of(node.left.span)}")
    left = gen.constant(gen.text_of(node.left.span), f"line {node.span.line}: what a record's reason names")
    return Call(f"{c}.record.compare", (left, repr(node.op), dimension, code.head, *code.args))
