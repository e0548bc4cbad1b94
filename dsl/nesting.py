"""Nesting limits measured without recursion: how deep an expression goes, alone and through its definitions.

Every later stage (checker, formatter, compiler, plan, explanations) walks expressions recursively, so a
policy nested thousands of levels deep would exhaust Python's stack. Rather than let any stage fail, the
depth is measured here, with explicit stacks, before those stages run: the parser rejects an expression
deeper than MAX_NESTING (E106); the checker rejects a definition deeper than that once the definitions
it uses are counted in (E106.through_definitions) and cycles among definitions of any length (E503), and
types the definitions in the order found here, each after those it uses, so that no stage follows a
chain of references or a cycle recursively.
"""

from __future__ import annotations

from . import ast
from .diagnostics import Diagnostic
from .messages import E106, E503

# Levels of one expression, counting each operator, parenthesis, call and leaf on the deepest path;
# language.md documents it. Every recursive stage stays far below Python's stack limit at this depth.
MAX_NESTING = 100


def depth(expr) -> int:
    """The number of nodes on the longest path from ``expr`` down to a leaf."""
    deepest = 0
    stack = [(expr, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in ast.children(node))
    return deepest


def expressions(policy: ast.Policy):
    """(expression, where) for every expression written in a policy, definitions first."""
    for definition in policy.definitions:
        yield definition.expr, f'definition "{definition.name}"'
    for declaration in policy.declarations:
        label = "the scope" if declaration.kind == "scope" else f'{declaration.kind} "{declaration.name}"'
        for clause in declaration.clauses:
            if not isinstance(clause.value, str):
                yield clause.value, f'{label}, "{clause.keyword}"'
        for block in declaration.blocks:
            yield block.condition, f'{label}, "{block.keyword}"'
        for level in declaration.levels:
            for bound in (level.low, level.high):
                if bound.value is not None:
                    yield bound.value, f"{label}, level {level.label}"
        for item in declaration.items:
            yield item.value, f"{label}, item {item.name}"
            if item.condition is not None:
                yield item.condition, f"{label}, item {item.name}"


def too_deep(policy: ast.Policy) -> list[Diagnostic]:
    """E106 for each expression nested more than MAX_NESTING levels (the parser's check)."""
    found = []
    for expr, _where in expressions(policy):
        levels = depth(expr)
        if levels > MAX_NESTING:
            found.append(E106.at(expr.span, depth=levels, limit=MAX_NESTING))
    return found


def _references(expr, names) -> list[tuple[str, int]]:
    """(definition name, the level at which it is read) for every definition ``expr`` reads."""
    found = []
    stack = [(expr, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, ast.Ref) and node.root in names and node.offset is None and len(node.parts) == 1:
            found.append((node.root, level))
        stack.extend((child, level + 1) for child in ast.children(node))
    return found


def _cycle_text(cycle: list[str]) -> str:
    """``a -> b -> a``; a long cycle by its first and last steps and its length."""
    if len(cycle) <= 8:
        return " -> ".join(cycle)
    return " -> ".join(cycle[:3]) + " -> … -> " + " -> ".join(cycle[-2:]) + f" ({len(cycle) - 1} definitions)"


def definition_problems(definitions: dict[str, ast.Definition]
                        ) -> tuple[list[Diagnostic], set[str], list[str], set[str]]:
    """Cycles among definitions and expressions too deep through them.

    Returns the diagnostics, the definitions that must not be typed (in a cycle, deeper than the limit
    or using such a definition), the others in an order where each comes after those it uses, and the
    definitions that other definitions use.
    """
    names = set(definitions)
    uses = {name: _references(d.expr, names) for name, d in definitions.items()}
    diagnostics: list[Diagnostic] = []
    bad: set[str] = set()
    total: dict[str, int] = {}  # name -> depth with the definitions it uses written out in place
    order: list[str] = []
    state: dict[str, int] = {}  # 1 on the current path, 2 finished
    for root in definitions:
        if root in state:
            continue
        path = [root]
        state[root] = 1
        pending = [iter(uses[root])]
        while pending:
            step = next(pending[-1], None)
            if step is not None:
                used, _level = step
                if state.get(used) == 1:  # a cycle: report it once, where it closes, as the typer did
                    cycle = path[path.index(used):] + [used]
                    if not bad.issuperset(cycle[:-1]):
                        diagnostics.append(E503.at(definitions[used].span, cycle=_cycle_text(cycle)))
                    bad.update(cycle[:-1])
                elif used not in state:
                    state[used] = 1
                    path.append(used)
                    pending.append(iter(uses[used]))
                continue
            name = path.pop()
            pending.pop()
            state[name] = 2
            if name in bad or any(used in bad for used, _ in uses[name]):
                bad.add(name)
                continue
            levels = max([depth(definitions[name].expr)] + [level + total[used] for used, level in uses[name]])
            total[name] = levels
            if levels > MAX_NESTING:
                bad.add(name)
                diagnostics.append(E106.through_definitions.at(definitions[name].span, depth=levels,
                                                               limit=MAX_NESTING))
                continue
            order.append(name)
    return diagnostics, bad, order, {used for found in uses.values() for used, _level in found}

