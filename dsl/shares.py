"""Which expressions the facility contract bounds to [0, 1] (shares), for the W603 check."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import schema

if TYPE_CHECKING:
    from . import ast

# `ast` is imported where it is used: the facility loader reads PARTS_OF, and a run whose plans come
# from the cache should not pay for the AST's classes.

# (part, whole): the facility loader (evaluator/invariants.py) rejects a part larger than its whole,
# so part / whole is a share. This table is the one list of those pairs.
PARTS_OF: dict[str, str] = {
    "energy.it": "energy.total",
    "energy.reused": "energy.total",
    "energy.renewable": "energy.total",
    "energy.renewable_goo": "energy.total",
    "energy.renewable_ppa": "energy.total",
    "energy.renewable_onsite": "energy.total",
    "water.potable": "water.input",
    "energy.reused_via_heat_network": "energy.reused",  # DE §12(4): the part a heat network takes up
}


def is_share(expr, definitions: dict, seen: frozenset = frozenset()) -> bool:
    """True when every value the contract allows lies in [0, 1]: a ratio fact, a part over its
    whole (energy.reused / energy.total), a percentage, or a definition or tier made of them."""
    from . import ast

    match expr:
        case ast.Paren():
            return is_share(expr.inner, definitions, seen)
        case ast.Quantity():
            return expr.unit == "%"
        case ast.Ref() if expr.root in ("facility", "period") or expr.root.startswith("period["):
            fact_type = schema.lookup("facility" if expr.root == "facility" else "period", expr.path)
            return fact_type is not None and fact_type.kind == "ratio"
        case ast.Ref() if expr.root in definitions and expr.root not in seen:
            return is_share(definitions[expr.root].expr, definitions, seen | {expr.root})
        case ast.Arith() if expr.op == "/":
            return _part_of_whole(expr.left, expr.right)
        case ast.Tiered():
            branches = [t.value for t in expr.tiers] + [expr.otherwise]
            return all(is_share(b, definitions, seen) for b in branches)
    return False


def _part_of_whole(top, bottom) -> bool:
    from . import ast

    while isinstance(top, ast.Paren):
        top = top.inner
    while isinstance(bottom, ast.Paren):
        bottom = bottom.inner
    return (isinstance(top, ast.Ref) and isinstance(bottom, ast.Ref) and top.root == bottom.root
            and top.offset == bottom.offset and PARTS_OF.get(top.path) == bottom.path)


def plain_number_above_one(expr) -> ast.Quantity | None:
    """A literal written without a unit whose value is above 1 (`20`, not `20 %` or `0.2`)."""
    from . import ast

    while isinstance(expr, ast.Paren):
        expr = expr.inner
    if isinstance(expr, ast.Quantity) and expr.unit is None and expr.number > 1:
        return expr
    return None
