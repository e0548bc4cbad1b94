"""Explanations: the tree of steps of a rule, rebuilt from its flat trace values, as JSON or text."""

from __future__ import annotations

import datetime
import math

from ..evaluator.results import ClauseTrace, Evaluation, RuleResult
from ..evaluator.values import NOT_EVALUATED, UNKNOWN, Bounds

from .phrasing import gap_text, reason, record_fields, show, show_fact

MARKS = {True: "✓", False: "✗"}


def json_value(value):
    if value is None or value is UNKNOWN or isinstance(value, Bounds):
        return None
    if value is NOT_EVALUATED:
        return "not evaluated"
    if isinstance(value, bool) or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):  # an infinite or NaN figure is not a value JSON can hold: unknown
        return round(value, 10) if math.isfinite(value) else None
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def bounds_json(value: Bounds) -> dict:
    ends = {}
    if value.lo != float("-inf"):
        ends["at_least"] = round(value.lo, 10)
    if value.hi != float("inf"):
        ends["at_most"] = round(value.hi, 10)
    return ends


def clause_tree(trace: ClauseTrace, evaluation: Evaluation | None = None) -> dict:
    """A JSON-ready tree of steps for one clause. Built with a stack of its own rather than by recursion,
    so no nesting the input can reach (expressions, definitions inside definitions) meets Python's
    recursion limit (issue 12)."""
    definitions = {d.name: d for d in trace.definitions}
    definition_members = {id(d.nodes): d.members for d in trace.definitions}
    root: list[dict] = []
    # Each entry: the node table, its values and sources, the slot, the definitions already opened on the
    # way down (a definition is shown inside itself once), and the list the step is appended to. Children
    # are pushed in reverse, so each list receives its steps in order.
    stack = [(trace.nodes, trace.values, trace.sources, 0, frozenset(), root)]
    while stack:
        nodes, values, sources, slot, expanded, siblings = stack.pop()
        info = nodes[slot]
        value = values[slot]
        step = {
            "expression": info.text,
            "value": json_value(value),
            "span": {"file": info.span.file, "line": info.span.line, "column": info.span.column},
        }
        if info.type_kind == "number" and not info.dimension.is_dimensionless:
            step["unit"] = info.dimension.canonical_unit
        if value is UNKNOWN or isinstance(value, Bounds):
            step["unknown"] = True
        if isinstance(value, Bounds):
            step["bounds"] = bounds_json(value)
        if info.kind == "fact":
            step["fact"] = info.path
            if slot in sources:
                step["source"] = sources[slot]
        if info.kind == "records" and hasattr(value, "outcomes"):  # what each record gave (evaluator/quantify.py)
            step["records"] = records_json(value)
        members = (trace.members if nodes is trace.nodes else definition_members.get(id(nodes), {})).get(slot)
        if members:
            step["members"] = members_json(members)
        children = [(nodes, values, sources, child, expanded) for child in info.children
                    if values[child] is not NOT_EVALUATED]
        inner = definitions.get(info.path) if info.kind == "definition" else None
        if inner is not None and info.path not in expanded:
            children.append((inner.nodes, inner.values, inner.sources, 0, expanded | {info.path}))
            step["definition"] = info.path
        if children:
            step["steps"] = []
            stack.extend((*child, step["steps"]) for child in reversed(children))
        siblings.append(step)
    return {"clause": trace.label, **root[0]}


def records_json(value) -> list[dict]:
    """What each record of a quantifier gave, as a step of the tree shows it."""
    return [{"id": o.id, "selected": json_value(o.selected), "holds": json_value(o.holds),
             "fields": {f: json_value(v) for f, v in o.read}} for o in value.outcomes]


def members_json(members) -> list[dict]:
    """The facts each member of an aggregate supplied, as a step of the tree shows them."""
    return [{"facility": m.facility, "fact": m.path, "value": json_value(m.value),
             **({"source": m.source} if m.source else {})} for m in members]


def _line_for(info, value, source: str | None) -> str:
    text = f"{info.text} = {show(value, info)}"
    if info.kind == "fact" and source:
        text += f"   [{source}]"
    return text


def trace_lines(result: RuleResult, evaluation: Evaluation | None, as_of: datetime.date, trace: str) -> list[str]:
    """--trace in text: "full" the tree of steps (--explain), "reasons" one line per clause, "none" nothing."""
    if trace == "full":
        return explain_lines(result, evaluation, as_of)
    if trace == "reasons":
        return clause_lines(result)
    return []


def clause_lines(result: RuleResult) -> list[str]:
    """--trace reasons in text, as in JSON: each evaluated clause with its expression as written, its value
    and where it is in the policy; then the reason."""
    lines = [_head(result)]
    for trace in result.trace:
        root, value = trace.root, trace.values[0]
        mark = MARKS.get(value, "?") if isinstance(value, bool) or value is UNKNOWN else ""
        lines.append(f"  {trace.label:<9} {root.text}   → {show(value, root)} {mark}".rstrip()
                     + f"   [{root.span.file}:{root.span.line}:{root.span.column}]")
    lines.append(f"  reason    {reason(result)}")
    return lines


def _head(result: RuleResult) -> str:
    verdict = result.verdict.upper() + (" (projection)" if result.projection else "")
    head = f"{result.rule}  {verdict}  {result.title}   ({result.citation})"
    notes = ([result.severity] if result.severity != "mandatory" else []) + (
        [result.legal_status] if result.legal_status else [])
    if notes:  # a target or a proposed rule never reads as a duty of law in force
        head += f"  [{', '.join(notes)}]"
    return head


def explain_lines(result: RuleResult, evaluation: Evaluation | None, as_of: datetime.date) -> list[str]:
    """The tree of steps as indented text lines, as in the README's example."""
    lines = [_head(result)]
    for quote in result.quotes:
        lines.append(f"  law says  \u201c{quote}\u201d")
    if result.period:
        kind = evaluation.period_kind if evaluation else ""
        lines.append(f"  period    {result.period}" + (f" ({'fiscal' if kind == 'fiscal' else 'calendar'} year)" if kind else ""))
    for trace in result.trace:
        root = trace.root
        value = trace.values[0]
        mark = MARKS.get(value, "?") if isinstance(value, bool) or value is UNKNOWN else ""
        if trace.label == "in force":
            in_force = isinstance(value, datetime.date) and result.verdict != "not_in_force"
            shown = MARKS[in_force] if isinstance(value, datetime.date) else "?"
            lines.append(f"  in force  from {show(value)}; evaluated as of {as_of.isoformat()}   {shown}")
            continue
        lines.append(f"  {trace.label:<9} {root.text}   → {show(value, root)} {mark}".rstrip())
        _explain_nodes(trace, lines, indent=14)
    if result.relief:
        lines.append(f"  {result.relief.keyword:<9} {result.relief.because} ({result.relief.citation})")
    if result.missing:
        lines.append(f"  missing   {', '.join(result.missing)}")
    if result.gap:
        lines.append(f"  gap       {gap_text(result.gap)}")
    lines.append(f"  reason    {reason(result)}")
    return lines


def _explain_nodes(trace: ClauseTrace, lines: list[str], indent: int) -> None:
    """Show the facts and definitions a clause read, each once, with their values and where they came from."""
    shown: set[str] = set()
    pad = " " * indent

    def facts_of(nodes, values, sources, members):
        for slot, (info, value) in enumerate(zip(nodes, values)):
            if value is NOT_EVALUATED:
                continue
            if info.kind == "records" and hasattr(value, "outcomes"):  # each record: what it read, how it fared
                for o in value.outcomes:
                    got = "not selected" if o.selected is False else MARKS.get(o.holds, "?")
                    read = record_fields(info.path, o)
                    lines.append(f"{pad}{info.path}[{o.id}]: {read}   → {got}")
            if info.kind in ("fact", "aggregate") and info.text not in shown:
                shown.add(info.text)
                lines.append(pad + _line_for(info, value, sources.get(slot)))
                for member in members.get(slot, ()):
                    where = f"   [{member.source}]" if member.source else ""
                    lines.append(f"{pad}  {member.facility}: {member.path} = {show_fact(member.path, member.value)}{where}")

    for definition in trace.definitions:
        root = definition.nodes[0]
        value = show(definition.values[0], root)
        lines.append(pad + (f"{definition.name} = {value}" if root.text == value or root.kind == "literal"
                            else f"{definition.name} = {root.text} = {value}"))
    facts_of(trace.nodes, trace.values, trace.sources, trace.members)
    for definition in trace.definitions:
        facts_of(definition.nodes, definition.values, definition.sources, definition.members)
