"""The verdict-only form of a plan: its own generated functions with the trace recorder taken out.

A verdict needs a clause's value, not the values of its sub-expressions; the traced functions spend
most of their time filling trace slots (`_r(t, slot, value)`). The verdict form is made from the
plan's source (the text `policy inspect --stage plan` prints) by one mechanical rewrite of its Python
syntax tree: every `_r(t, slot, X)` becomes `X`, and each function `f` becomes `f__v`, calling the
`__v` form of its parts. Nothing else changes, so both forms compute the same value by construction
(tests/test_verdicts.py checks it over every shipped policy). It is made only when asked for
(evaluator/verdicts.py), so a run that shows reasons never pays for it.
"""

from __future__ import annotations

import ast

import attrs

from ..dsl.data import frozen
from .plan import CompiledExpr, CompiledRule, Plan

SUFFIX = "__v"


class _Untraced(ast.NodeTransformer):
    def __init__(self, functions: set[str]):
        self.functions = functions

    def visit_Call(self, node: ast.Call):
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id == "_r" and len(node.args) == 3:
            return node.args[2]  # the recorded value itself
        if isinstance(node.func, ast.Name) and node.func.id in self.functions:
            node.func = ast.Name(node.func.id + SUFFIX, ast.Load())  # a deeply nested part: its verdict form
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef):
        self.generic_visit(node)
        node.name += SUFFIX
        return node


def untraced_functions(plan: Plan) -> dict[str, object]:
    """Generated function name -> its verdict form `f__v(c, t)` (t is unused), in the plan's own namespace
    of constants and runtime."""
    sample = _any_function(plan)
    if sample is None:
        return {}
    namespace = sample.__globals__
    tree = ast.parse(plan.source)
    functions = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    tree = ast.fix_missing_locations(_Untraced(functions).visit(tree))
    filename = namespace["__name__"] + " verdicts"
    names = {name: value for name, value in namespace.items() if name not in functions}
    exec(compile(tree, filename, "exec"), names)  # noqa: S102 - the plan's own generated code, untraced
    return {name: names[name + SUFFIX] for name in functions}


def _any_function(plan: Plan):
    return next((e.function for e in _expressions(plan)), None)


@frozen
class Clause:
    """A clause in verdict form: its function `f(c, t)` and whether it reads no fact (computed once per run)."""

    function: object = attrs.field(eq=False, repr=False)
    constant: bool
    key: int  # the clause's identity within the plan, for the run's table of constant values


@frozen
class VerdictBlock:
    keyword: str  # exclude | exempt
    condition: Clause


@frozen
class VerdictItem:
    value: Clause
    condition: Clause | None


@frozen
class VerdictRule:
    rule: CompiledRule
    applies: Clause | None
    in_force_from: Clause | None
    until: Clause | None
    require: Clause | None
    subject: Clause | None
    due: Clause | None
    excludes: tuple[Clause, ...]
    exempts: tuple[Clause, ...]
    items: tuple[VerdictItem, ...]


@frozen
class VerdictPlan:
    """A plan's clauses in verdict form; `plan` keeps everything else (names, calendar, levels, severities)."""

    plan: Plan
    scope: Clause | None
    scope_excludes: tuple[Clause, ...]
    definitions: dict  # name -> Clause
    rules: tuple[VerdictRule, ...]  # the facility rules, in the plan's order
    operator_rules: bool  # the plan has rules `for operator` (judged by the full evaluation)
    aggregates: bool  # some clause or definition aggregates over an operator's facilities (needs its members)


def verdict_plan(plan: Plan) -> VerdictPlan:
    untraced = untraced_functions(plan)

    def clause(expr: CompiledExpr | None) -> Clause | None:
        if expr is None:
            return None
        return Clause(untraced[expr.function.__name__], expr.constant, id(expr))

    def rule(r: CompiledRule) -> VerdictRule:
        return VerdictRule(
            rule=r, applies=clause(r.applies), in_force_from=clause(r.in_force_from), until=clause(r.until),
            require=clause(r.require), subject=clause(r.subject), due=clause(r.due),
            excludes=tuple(clause(b.condition) for b in r.blocks if b.keyword == "exclude"),
            exempts=tuple(clause(b.condition) for b in r.blocks if b.keyword == "exempt"),
            items=tuple(VerdictItem(clause(i.value), clause(i.condition)) for i in r.items))

    return VerdictPlan(
        plan=plan, scope=clause(plan.scope),
        scope_excludes=tuple(clause(b.condition) for b in plan.scope_blocks),
        definitions={name: clause(expr) for name, expr in plan.definitions.items()},
        rules=tuple(rule(r) for r in plan.rules if not r.for_operator),
        operator_rules=any(r.for_operator for r in plan.rules),
        aggregates=any(info.kind == "aggregate" for expr in _expressions(plan) for info in expr.nodes))


def _expressions(plan: Plan) -> list[CompiledExpr]:
    found = [plan.scope, *(b.condition for b in plan.scope_blocks), *plan.definitions.values()]
    for r in plan.rules:
        found += [r.applies, r.in_force_from, r.until, r.require, r.subject, r.due, *(b.condition for b in r.blocks)]
        found += [e for i in r.items for e in (i.value, i.condition)]
    return [e for e in found if e is not None]
