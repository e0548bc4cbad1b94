"""Traces of evaluated clauses, and what they tell: missing facts that matter, and the deciding comparison."""

from __future__ import annotations

import datetime
import math

from .plan import CompiledExpr
from .results import ClauseTrace, DefinitionTrace, MemberFact
from .values import NOT_EVALUATED, Bounds, U, is_unknown

COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")
# Functions whose known arguments may still give no value: what `missing` says instead of a fact
NOT_COMPUTABLE = {"ln": "the logarithm of a number that is not above 0",
                  "either": "the law states two figures that do not agree here"}


def run_clause(expr: CompiledExpr, context, label: str, traces: list):
    """Evaluate one clause, append its trace (with the provenance of every fact it read), return its value."""
    if expr.constant:
        return _constant_clause(expr, context, label, traces)
    nodes = expr.nodes
    values = [NOT_EVALUATED] * len(nodes)  # CompiledExpr.run, inlined: every clause of every rule comes here
    value = expr.function(context, values)
    if expr.definition_slots:
        definitions = _definitions_read(expr, values, context)
    elif len(values) == 1 and not context.provenance and type(value) is not float:
        # a bare fact (`applies facility.x`, `item facility.name`): one trace per value and run, as
        # facilities share few values of such facts (figures, which they rarely share, are not looked up)
        key = same_value_key(value)
        if key is not None:
            traces.append(_bare(expr, label, value, key, context.shared))
            return value
        definitions = ()
    else:
        definitions = ()
    if not context.provenance:  # nobody will show where the facts came from (--trace none or reasons)
        traces.append(ClauseTrace(label, nodes, tuple(values), definitions, {}, {}))
        return value
    members = _members(expr, values, context) if context.record_members else {}
    traces.append(ClauseTrace(label, nodes, tuple(values), definitions, _sources(expr, values, context), members))
    return value


def _bare(expr: CompiledExpr, label: str, value, key, shared: dict) -> ClauseTrace:
    """The trace of a one-node clause without provenance, shared by the facilities whose value there is the
    same (`same_value_key`)."""
    key = (id(expr), label, key)
    found = shared.get(key)
    if found is None:
        found = shared[key] = ClauseTrace(label, expr.nodes, (value,), (), {}, {})
    return found


def same_value_key(value):
    """A key equal for two values only if every result and every renderer shows them the same (so one
    object may stand for both), or None: 1, 1.0 and True are equal but shown apart; so are 0.0 and -0.0."""
    kind = type(value)
    if kind is float:
        if value != value:
            return None
        return (kind, value, math.copysign(1.0, value)) if value == 0.0 else (kind, value)
    if kind is str or kind is int or kind is datetime.date:
        return (kind, value)
    if value is True or value is False or value is None or value is U or value is NOT_EVALUATED:
        return (None, id(value))
    return None  # Bounds, durations, records: not shared


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
    nodes = expr.nodes
    for slot in expr.fact_slots:
        if values[slot] is not NOT_EVALUATED:
            where = context.where(nodes[slot].path)
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
    """The traces of the definitions a clause read, in first-use order, each once: depth first through the
    definitions they read in turn. Each definition's own list is made once per context (`_closure`)."""
    nodes = expr.nodes
    found = ()
    for slot in expr.definition_slots:
        if values[slot] is not NOT_EVALUATED:
            closure = _closure(nodes[slot].path, context)
            if not found:
                found = closure
            elif closure and closure is not found:
                found = _merged(found, closure)
    return found


def _merged(first: tuple, more: tuple) -> tuple:
    """`first`, then what of `more` it lacks (a context has one trace per definition: identity tells them apart)."""
    extra = None
    for trace in more:
        for seen in first:
            if seen is trace:
                break
        else:
            if extra is None:
                extra = list(first)
            extra.append(trace)
    return first if extra is None else tuple(extra)


def _closure(name: str, context) -> tuple:
    """The definition's trace, then those of the definitions it read, depth first, each once: () if the
    context has not evaluated it. Kept per context once every definition it read has a trace here (a constant
    definition read through another constant one may be evaluated here only later: until then, not kept)."""
    found = context.closures.get(name)
    if found is not None:
        return found
    trace = _definition_trace(name, context)
    if trace is None:
        return ()
    inner = context.plan.definitions[name]
    found = (trace,)
    complete = True
    values = trace.values
    nodes = inner.nodes
    for slot in inner.definition_slots:
        if values[slot] is not NOT_EVALUATED:
            more = _closure(nodes[slot].path, context)
            if not more:
                complete = False
            elif more is not found:
                found = _merged(found, more)
    if complete:
        if len(found) == 1 and inner.constant:  # one tuple per run, however many facilities read it
            shared = context.shared.get(("alone", name))
            if shared is None or shared[0] is not trace:
                shared = context.shared[("alone", name)] = found
            found = shared
        context.closures[name] = found
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
        trace = DefinitionTrace(name, inner.nodes, tuple(inner_values), {}, {})
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
    plain, detailed = missing_both(traces, context)
    return detailed if annotate else plain


def missing_both(traces, context=None) -> tuple[list[str], list[str]]:
    """`missing_facts` plain and annotated, from one walk (they differ only where an aggregate read a fact)."""
    plain: list[str] = []
    detailed: list[str] = []
    for trace in traces:
        value = trace.values[0]
        if value is U or type(value) is Bounds:
            _walk_undecided(trace.nodes, trace.values, 0, trace.definitions, (), context, plain, detailed)
    return plain, detailed


def _add(found: list, entry: str) -> None:
    if entry not in found:
        found.append(entry)


def _walk_undecided(nodes, values, slot, definitions, expanded, context, plain, detailed) -> None:
    info = nodes[slot]
    kind = info.kind
    if kind == "fact":
        path = info.path
        if path not in plain:
            plain.append(path)
        if path not in detailed:
            detailed.append(path)
        return
    if kind == "operation":
        op = info.op
        if op in NOT_COMPUTABLE and not any(_unknown(values[c]) for c in info.children):
            entry = f"{info.text} ({NOT_COMPUTABLE[op]})"
            _add(plain, entry)
            _add(detailed, entry)
            return
        for child in info.children:
            value = values[child]
            if value is U or type(value) is Bounds:
                _walk_undecided(nodes, values, child, definitions, expanded, context, plain, detailed)
        return
    if kind == "definition":
        path = info.path
        inner = _named(definitions, path)
        if inner is not None and path not in expanded and _unknown(inner.values[0]):
            _walk_undecided(inner.nodes, inner.values, 0, definitions, expanded + (path,), context, plain, detailed)
        return
    if kind == "quantifier":  # the fields of the records that leave it open, each record named
        found = values[info.children[0]] if info.children else None
        for entry in _missing_in_records(found, info.path):
            if "." in entry or context is None or entry not in context.dtrace:
                _add(plain, entry)
                _add(detailed, entry)
            else:  # a definition the test read: the facts that left it open
                inner = context.plan.definitions[entry]
                _walk_undecided(inner.nodes, context.dtrace[entry], 0, (), (entry,), context, plain, detailed)
        return
    if info.op in NOT_COMPUTABLE and not any(_unknown(values[c]) for c in info.children):
        entry = f"{info.text} ({NOT_COMPUTABLE[info.op]})"
        _add(plain, entry)
        _add(detailed, entry)
        return
    if kind == "aggregate":
        for entry in _missing_in_members(info, context, False):
            _add(plain, entry)
        for entry in _missing_in_members(info, context, True):
            _add(detailed, entry)
        return
    for child in info.children:
        if _unknown(values[child]):
            _walk_undecided(nodes, values, child, definitions, expanded, context, plain, detailed)


def _unknown(value) -> bool:
    return value is U or type(value) is Bounds


def _named(definitions: tuple, name: str):
    """The trace of definition `name` among a clause's (a handful: a search costs less than a table)."""
    for trace in definitions:
        if trace.name == name:
            return trace
    return None


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
    found = _walk_deciding(trace.nodes, trace.values, 0, (), trace.definitions, False, "quantifier")
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
    nodes, values = trace.nodes, trace.values
    if nodes[0].op in COMPARISONS and values[0] is not NOT_EVALUATED:  # the common shape: `pue <= 1.5`
        return nodes, values, 0
    return _walk_deciding(nodes, values, 0, (), trace.definitions, whole_when_all_matter)


def _walk_deciding(nodes, values, slot, expanded, definitions, whole_when_all_matter, target="comparison"):
    info = nodes[slot]
    value = values[slot]
    if value is NOT_EVALUATED:
        return None
    if (info.op in COMPARISONS) if target == "comparison" else info.kind == target:
        return nodes, values, slot
    if info.kind == "definition":
        path = info.path
        inner = _named(definitions, path)
        if inner is not None and path not in expanded:
            return _walk_deciding(inner.nodes, inner.values, 0, expanded + (path,), definitions,
                                  whole_when_all_matter, target)
        return None
    op = info.op
    if op == "and" or op == "or":
        if value is (op == "or"):  # `or` held / `and` failed: the branch that settled it
            for child in info.children:
                if values[child] is value:
                    found = _walk_deciding(nodes, values, child, expanded, definitions, whole_when_all_matter, target)
                    if found is not None:
                        return found
            return None
        if value is U or type(value) is Bounds:
            for child in info.children:
                child_value = values[child]
                if child_value is U or type(child_value) is Bounds:
                    found = _walk_deciding(nodes, values, child, expanded, definitions, whole_when_all_matter, target)
                    if found is not None:
                        return found
            return None
        if whole_when_all_matter:
            return nodes, values, slot
    for child in info.children:
        if values[child] is not NOT_EVALUATED:
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
