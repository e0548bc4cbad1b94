"""Explanations: rebuild the tree of steps of a rule from its flat trace values."""

from __future__ import annotations

import datetime

from dcpolicy.dsl import units
from dcpolicy.dsl.types import Duration
from dcpolicy.evaluator.values import NOT_EVALUATED, UNKNOWN
from dcpolicy.evaluator.results import ClauseTrace, Evaluation, RuleResult

MARKS = {True: "✓", False: "✗"}


def show(value, info=None) -> str:
    if value is UNKNOWN:
        return "unknown"
    if value is NOT_EVALUATED:
        return "not evaluated"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        if info is not None and info.type_kind == "number":
            return units.format_quantity(float(value), info.dimension)
        return units.format_number(float(value))
    if isinstance(value, (datetime.date, Duration)):
        return str(value) if isinstance(value, Duration) else value.isoformat()
    return str(value)


def json_value(value):
    if value is None or value is UNKNOWN:
        return None
    if value is NOT_EVALUATED:
        return "not evaluated"
    if isinstance(value, bool) or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return round(value, 10)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def provenance(path: str, evaluation: Evaluation | None) -> str | None:
    """Where a fact came from: 'examples/fra-3.yaml:14:15' (or how it was derived)."""
    if evaluation is None or path is None:
        return None
    root, _, field = path.partition(".")
    table = evaluation.facts if root == "facility" else evaluation.period_facts if root == "period" else {}
    fact = table.get(field)
    if fact is None:
        return None
    if fact.derived:
        return f"derived: {fact.derived}"
    if fact.span is None:
        return "default"
    return f"{fact.span.file}:{fact.span.line}:{fact.span.column}"


def clause_tree(trace: ClauseTrace, evaluation: Evaluation | None) -> dict:
    """A JSON-ready tree of steps for one clause."""
    definitions = {name: (expr, values) for name, expr, values in trace.definitions}

    def node(expr, values, slot: int, expanded: set) -> dict:
        info = expr.nodes[slot]
        step = {
            "expression": info.text,
            "value": json_value(values[slot]),
            "span": {"file": info.span.file, "line": info.span.line, "column": info.span.column},
        }
        if info.type_kind == "number" and not info.dimension.is_dimensionless:
            step["unit"] = info.dimension.canonical_unit
        if values[slot] is UNKNOWN:
            step["unknown"] = True
        if info.kind == "fact":
            step["fact"] = info.path
            where = provenance(info.path, evaluation)
            if where:
                step["source"] = where
        children = [node(expr, values, child, expanded) for child in info.children
                    if values[child] is not NOT_EVALUATED]
        if info.kind == "definition" and info.path in definitions and info.path not in expanded:
            inner, inner_values = definitions[info.path]
            children.append(node(inner, inner_values, 0, expanded | {info.path}))
            step["definition"] = info.path
        if children:
            step["steps"] = children
        return step

    return {"clause": trace.label, **node(trace.expr, trace.values, 0, set())}


def _line_for(info, value, evaluation) -> str:
    text = f"{info.text} = {show(value, info)}"
    if info.kind == "fact":
        where = provenance(info.path, evaluation)
        if where:
            text += f"   [{where}]"
    return text


def explain_lines(result: RuleResult, evaluation: Evaluation | None, as_of: datetime.date) -> list[str]:
    """The tree of steps as indented text lines, as in the README's example."""
    verdict = result.verdict.upper() + (" (projection)" if result.projection else "")
    lines = [f"{result.rule}  {verdict}  {result.title}   ({result.citation})"]
    notes = ([result.severity] if result.severity != "mandatory" else []) + (
        [result.legal_status] if result.legal_status else [])
    if notes:  # a target or a proposed rule never reads as a duty of law in force
        lines[0] += f"  [{', '.join(notes)}]"
    for quote in result.quotes:
        lines.append(f"  law says  \u201c{quote}\u201d")
    if result.period:
        kind = evaluation.period_kind if evaluation else ""
        lines.append(f"  period    {result.period}" + (f" ({'fiscal' if kind == 'fiscal' else 'calendar'} year)" if kind else ""))
    for trace in result.trace:
        root = trace.expr.root
        value = trace.values[0]
        mark = MARKS.get(value, "?") if isinstance(value, bool) or value is UNKNOWN else ""
        if trace.label == "in force":
            lines.append(f"  in force  from {show(value)}; evaluated as of {as_of.isoformat()}   "
                         f"{MARKS.get(isinstance(value, datetime.date) and as_of >= value, '?')}")
            continue
        label = trace.label if len(trace.label) <= 8 else trace.label
        lines.append(f"  {label:<9} {root.text}   → {show(value, root)} {mark}".rstrip())
        _explain_nodes(trace, evaluation, lines, indent=14)
    if result.relief:
        lines.append(f"  {result.relief.keyword:<9} {result.relief.because} ({result.relief.citation})")
    if result.missing:
        lines.append(f"  missing   {', '.join(result.missing)}")
    if result.gap:
        lines.append(f"  gap       {result.gap.text}")
    lines.append(f"  reason    {result.reason}")
    return lines


def _explain_nodes(trace: ClauseTrace, evaluation, lines: list[str], indent: int) -> None:
    """Show the facts and definitions a clause read, each once, with their values."""
    shown: set[str] = set()
    pad = " " * indent

    def facts_of(expr, values):
        for info, value in zip(expr.nodes, values):
            if value is NOT_EVALUATED:
                continue
            if info.kind in ("fact", "aggregate") and info.text not in shown:
                shown.add(info.text)
                lines.append(pad + _line_for(info, value, evaluation))

    for name, expr, values in trace.definitions:
        root = expr.root
        value = show(values[0], root)
        lines.append(pad + (f"{name} = {value}" if root.text == value or root.kind == "literal"
                            else f"{name} = {root.text} = {value}"))
    facts_of(trace.expr, trace.values)
    for _, expr, values in trace.definitions:
        facts_of(expr, values)
