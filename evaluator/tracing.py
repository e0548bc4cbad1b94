"""Traces of evaluated clauses, and what they tell: missing facts that matter, and the deciding comparison."""

from __future__ import annotations

from .plan import CompiledExpr
from .results import ClauseTrace, DefinitionTrace, MemberFact
from .values import NOT_EVALUATED, is_unknown

COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")
# Functions whose known arguments may still give no value: what `missing` says instead of a fact
NOT_COMPUTABLE = {"ln": "the logarithm of a number that is not above 0",
                  "either": "the law states two figures that do not agree here"}


def run_clause(expr: CompiledExpr, context, label: str, traces: list):
    """Evaluate one clause, append its trace (with the provenance of every fact it read), return its value."""
    if expr.constant:
        return _constant_clause(expr, context, label, traces)
    values = [NOT_EVALUATED] * len(expr.nodes)  # CompiledExpr.run, inlined: every clause of every rule comes here
    value = expr.function(context, values)
    definitions = _definitions_read(expr, values, context) if expr.definition_slots else ()
    if not context.provenance:  # nobody will show where the facts came from (--trace none or reasons)
        traces.append(ClauseTrace(label, expr.nodes, tuple(values), definitions, {}, {}))
        return value
    members = _members(expr, values, context) if context.record_members else {}
    traces.append(ClauseTrace(label, expr.nodes, tuple(values), definitions, _sources(expr, values, context),
                              members))
    return value


def _constant_clause(expr: CompiledExpr, context, label: str, traces: list):
    """A clause that reads no fact (`from 2027-07-01`): evaluated once per run, its trace shared by every
    facility (it has no provenance to record). The definitions it read are the context's too, as if run."""
    key = (id(expr), label)
    found = context.shared.get(key)
    if found is None:
        value, values = expr.run(context)
        trace = ClauseTrace(label, expr.nodes, tuple(values), _definitions_read(expr, values, context), {}, {})
        found = context.shared[key] = (value, trace)
    else:
        for definition in found[1].definitions:
            context.d(definition.name)
    traces.append(found[1])
    return found[0]


def _sources(expr: CompiledExpr, values, context) -> dict:
    sources = {}
    for slot in expr.fact_slots:
        if values[slot] is not NOT_EVALUATED:
            where = context.where(expr.nodes[slot].path)
            if where is not None:
                sources[slot] = where
    return sources


def _members(expr: CompiledExpr, values, context) -> dict:
    """For each aggregate evaluated: every member's facts it reads, with their values and provenance."""
    found = {}
    for slot, info in enumerate(expr.nodes):
        if info.kind == "aggregate" and values[slot] is not NOT_EVALUATED:
            members = context.all_members if info.everyone else context.members
            found[slot] = tuple(MemberFact(m.name, path, m.lookup(path), m.where(path))
                                for m in members for path in info.reads)
    return found


def _definitions_read(expr: CompiledExpr, values, context) -> tuple:
    slots = expr.definition_slots
    if len(slots) == 1:  # the common case (`pue <= 1.5`): one definition that reads no other
        name = expr.nodes[slots[0]].path
        trace = _definition_trace(name, context) if values[slots[0]] is not NOT_EVALUATED else None
        if trace is None:
            return ()
        if not context.plan.definitions[name].definition_slots:
            return _alone(name, trace, context)
    found: list = []
    _visit_definitions(expr, values, context, found, set())
    return tuple(found)


# Module-level, not nested: a recursive nested function is a reference cycle (function -> cell ->
# function), garbage the cyclic collector would have to find after every clause.
def _visit_definitions(compiled: CompiledExpr, slots, context, found: list, seen: set) -> None:
    nodes = compiled.nodes
    for slot in compiled.definition_slots:
        name = nodes[slot].path
        if slots[slot] is not NOT_EVALUATED and name not in seen:
            seen.add(name)
            trace = _definition_trace(name, context)
            if trace is not None:
                found.append(trace)
                _visit_definitions(context.plan.definitions[name], trace.values, context, found, seen)


def _alone(name: str, trace: DefinitionTrace, context) -> tuple:
    """`(trace,)`, one tuple however many clauses read the definition (per run for a constant one)."""
    table = context.shared if context.plan.definitions[name].constant else context.dtraces
    key = ("alone", name)
    found = table.get(key)
    if found is None or found[0] is not trace:
        found = table[key] = (trace,)
    return found


def _definition_trace(name: str, context) -> DefinitionTrace | None:
    """The trace of a definition the context evaluated, made once per context (once per run if constant)."""
    trace = context.dtraces.get(name)
    if trace is not None:
        return trace
    inner_values = context.dtrace.get(name)
    if inner_values is None:
        return None
    inner = context.plan.definitions[name]
    if inner.constant:
        trace = context.shared.get(("trace", name))
        if trace is None:
            trace = context.shared[("trace", name)] = DefinitionTrace(name, inner.nodes, tuple(inner_values))
    elif context.provenance:
        members = _members(inner, inner_values, context) if context.record_members else {}
        trace = DefinitionTrace(name, inner.nodes, tuple(inner_values), _sources(inner, inner_values, context), members)
    else:
        trace = DefinitionTrace(name, inner.nodes, tuple(inner_values))
    context.dtraces[name] = trace
    return trace


# ---------------------------------------------------------------- what is missing
def missing_facts(traces, context=None, annotate: bool = False) -> list[str]:
    """The facts whose absence left an outcome open, e.g. `period.energy.it`; with `annotate`,
    a fact read by an aggregate also names the operator's facilities that lack it.

    Only facts that could still change the outcome count: the walk starts at each undecided
    clause and descends only into undecided sub-expressions, so a fact under a decided guard
    (`known(x) and …`) or a `first_known` fallback that was not needed is not missing.
    """
    missing: list[str] = []

    def add(entry: str) -> None:
        if entry not in missing:
            missing.append(entry)

    for trace in traces:
        definitions = {d.name: d for d in trace.definitions}
        if is_unknown(trace.values[0]):
            _walk_undecided(trace.nodes, trace.values, 0, definitions, set(), context, annotate, add)
    return missing


def _walk_undecided(nodes, values, slot, definitions, expanded, context, annotate, add) -> None:
    info = nodes[slot]
    if info.kind == "fact":
        add(info.path)
        return
    if info.kind == "quantifier":  # the fields of the records that leave it open, each record named
        found = values[info.children[0]] if info.children else None
        for entry in _missing_in_records(found, info.path):
            if "." in entry or context is None or entry not in context.dtrace:
                add(entry)
            else:  # a definition the test read: the facts that left it open
                inner = context.plan.definitions[entry]
                _walk_undecided(inner.nodes, context.dtrace[entry], 0, {}, frozenset({entry}), context, annotate, add)
        return
    if info.op in NOT_COMPUTABLE and not any(is_unknown(values[c]) for c in info.children):
        add(f"{info.text} ({NOT_COMPUTABLE[info.op]})")
        return
    if info.kind == "aggregate":
        for entry in _missing_in_members(info, context, annotate):
            add(entry)
        return
    if info.kind == "definition":
        inner = definitions.get(info.path)
        if inner is not None and info.path not in expanded and is_unknown(inner.values[0]):
            _walk_undecided(inner.nodes, inner.values, 0, definitions, expanded | {info.path}, context, annotate, add)
        return
    for child in info.children:
        if is_unknown(values[child]):
            _walk_undecided(nodes, values, child, definitions, expanded, context, annotate, add)


def _missing_in_records(found, path: str) -> list[str]:
    if found is None or not getattr(found, "outcomes", ()):
        return [path]  # the list itself is missing
    entries = [f"{path}[{o.id}].{field}" for o in found.undecided for field in o.missing]
    entries += [label for o in found.undecided for label in o.missing_outside if label not in entries]
    return entries or [f"{path}[{o.id}] (its test has no value though its fields are known: a limit the law "
                       "states two ways that disagree here, or a figure that cannot be computed)"
                       for o in found.undecided]


def deciding_records(trace):
    """What the quantifier that decided a clause found (quantify.Quantified), through and/or as `deciding`
    walks; None when no quantifier decided it."""
    definitions = {d.name: d for d in trace.definitions}
    found = _walk_deciding(trace.nodes, trace.values, 0, frozenset(), definitions, False, "quantifier")
    if found is None:
        return None
    nodes, values, slot = found
    return values[nodes[slot].children[0]] if nodes[slot].children else None


def _missing_in_members(info, context, annotate: bool) -> list[str]:
    members = (context.all_members if info.everyone else context.members) if context is not None else []
    found = []
    for path in info.reads:
        lacking = [m.name for m in members if is_unknown(m.lookup(path))]
        if lacking:
            found.append(f"{path} (facility {', '.join(lacking)})" if annotate else path)
    if not info.everyone:  # members whose scope is undecided: the facts that would decide it
        for path in dict.fromkeys(p for m in members for p in m.scope_missing):
            lacking = [m.name for m in members if path in m.scope_missing]
            entry = f"{path} (facility {', '.join(lacking)}, for the scope)" if annotate else path
            if entry not in found:
                found.append(entry)
    return found or [f"a fact of the operator's facilities for {info.text}"]


# ---------------------------------------------------------------- what decided
def deciding(trace: ClauseTrace, whole_when_all_matter: bool = False):
    """(nodes, values, slot) of the comparison that decided a clause: through an `or` that held, the
    branch that held; through an `and` that failed, the part that failed; through an undecided one,
    the undecided part; into definitions. None when no comparison decided it. With
    `whole_when_all_matter`, an `and` that held or an `or` that failed is itself the answer (every part
    of it decided), as a sentence that names one part would mislead."""
    definitions = {d.name: d for d in trace.definitions}
    return _walk_deciding(trace.nodes, trace.values, 0, frozenset(), definitions, whole_when_all_matter)


def _walk_deciding(nodes, values, slot, expanded, definitions, whole_when_all_matter, target="comparison"):
    info = nodes[slot]
    value = values[slot]
    if value is NOT_EVALUATED:
        return None
    if (info.op in COMPARISONS) if target == "comparison" else info.kind == target:
        return nodes, values, slot
    if info.kind == "definition":
        inner = definitions.get(info.path)
        if inner is not None and info.path not in expanded:
            return _walk_deciding(inner.nodes, inner.values, 0, expanded | {info.path}, definitions,
                                  whole_when_all_matter, target)
        return None
    children = [c for c in info.children if values[c] is not NOT_EVALUATED]
    if info.op in ("and", "or"):
        if value is (info.op == "or"):  # `or` held / `and` failed: the branch that settled it
            children = [c for c in children if values[c] is value]
        elif is_unknown(value):
            children = [c for c in children if is_unknown(values[c])]
        elif whole_when_all_matter:
            return nodes, values, slot
    for child in children:
        found = _walk_deciding(nodes, values, child, expanded, definitions, whole_when_all_matter, target)
        if found is not None:
            return found
    return None


def subtree(nodes, slot: int) -> list[int]:
    found, stack = [], [slot]
    while stack:
        index = stack.pop()
        found.append(index)
        stack.extend(reversed(nodes[index].children))
    return sorted(found)
