"""The decision procedure for one rule (docs/language.md, "How a rule is evaluated").

exclusions → applies → in force (from / until) → period → requirement → reliefs. Each verdict
comes with a ``Decision`` saying, as data, what decided it; nothing here is phrased for people.
"""

from __future__ import annotations

import datetime

from .plan import CompiledRule
from .results import Comparison, Decision, Gap, GapLever, Relief, RuleResult, Shown
from .tracing import deciding, deciding_records, missing_both, run_clause, same_value_key, subtree
from .values import NOT_EVALUATED, Bounds, U, known

_PERIOD = ("period",)
_MISSING_PERIOD = "period (no reporting period of this calendar ends on or before the evaluation date)"


def evaluate_rule(rule: CompiledRule, context, period, as_of: datetime.date) -> RuleResult:
    traces: list = []
    shared = context.shared
    exclusion_undecided = False
    for block in rule.blocks:  # an exclusion that holds decides; an undecidable one waits for `applies`
        if block.keyword != "exclude":
            continue
        excluded = run_clause(block.condition, context, "exclude", traces)
        if excluded is True:
            key = ("excluded", id(block))
            decision, relief = shared.get(key) or shared.setdefault(key, (
                Decision("excluded", because=block.because, citation=block.cite),
                Relief("exclude", block.cite, block.because)))
            return _result(rule, "not_applicable", decision, period, None, traces, relief=relief)
        exclusion_undecided |= excluded is U
    if rule.applies is not None:
        applies = run_clause(rule.applies, context, "applies", traces)
        if applies is False:
            return _result(rule, "not_applicable", _not_applies(traces[-1], shared), period, None, traces)
        if applies is U:
            return _unknown(rule, period, None, traces, "whether the rule applies", context)
    if exclusion_undecided:
        return _unknown(rule, period, None, traces, "whether an exclusion applies", context)
    in_force = None
    if rule.in_force_from is not None:
        in_force = run_clause(rule.in_force_from, context, "in force", traces)
        if in_force is U:
            return _unknown(rule, period, None, traces, "when the rule comes into force", context)
        if as_of < in_force:
            key = ("not_in_force", in_force, as_of)  # dates: equal ones are the same date
            decision = shared.get(key) or shared.setdefault(key, Decision("not_in_force", date=in_force, as_of=as_of))
            return _result(rule, "not_in_force", decision, period, in_force, traces)
    if rule.until is not None:
        until = run_clause(rule.until, context, "until", traces)
        if until is not U and as_of > until:
            key = ("ended", until)
            decision = shared.get(key) or shared.setdefault(key, Decision("ended", date=until))
            return _result(rule, "not_applicable", decision, period, in_force, traces)
    projection = bool(rule.reads_period and period is not None and in_force is not None and period.end < in_force)
    if rule.kind == "band":
        result = _band(rule, context, period, in_force, traces)
    elif rule.kind == "report":
        result = _report(rule, context, period, in_force, traces)
    elif rule.require is None:  # an encouragement (advisory, checked): it addresses the facility, nothing to judge
        key = ("info", id(rule))
        decision = shared.get(key) or shared.setdefault(key, Decision("info", title=rule.title))
        result = _result(rule, "info", decision, period, in_force, traces)
    else:
        result = _requirement(rule, context, period, in_force, traces)
    if projection and rule.kind == "report" and result.due is not None and result.due >= in_force:
        projection = False  # a report on a period before the in-force date but due after it is owed, not projected
    return _projected(result) if projection else result


def rule_result(rule, verdict, decision, period, in_force, traces=(), **extra) -> RuleResult:
    return _result(rule, verdict, decision, period, in_force, traces, **extra)


def _result(rule, verdict, decision, period, in_force, traces, missing=(), value=None, limit=None, unit=None,
            relief=None, gap=None, due=None, items=()) -> RuleResult:
    """A RuleResult, its fields given in order (measured: a third cheaper than by name, for every result)."""
    if period is None:
        label = end = None
    else:
        label, end = period.label, period.end
    return RuleResult(rule.rule_id, rule.title, rule.citation, rule.severity, verdict, decision, label, in_force,
                      rule.legal_status, value, limit, unit, missing, False, end, relief, gap, due, items, rule.quotes,
                      tuple(traces))


def _projected(r: RuleResult) -> RuleResult:
    """The same result, set aside as a projection."""
    return RuleResult(r.rule, r.title, r.citation, r.severity, r.verdict, r.decision, r.period, r.in_force_from,
                      r.legal_status, r.value, r.limit, r.unit, r.missing, True, r.period_end, r.relief, r.gap, r.due,
                      r.items, r.quotes, r.trace)


def unknown_decision(traces, context, what: str, period, failure: Decision | None = None) -> tuple[Decision, tuple]:
    """The decision of an unknown outcome and the missing facts (plain paths) it names."""
    missing, detailed = missing_both(traces, context)
    if period is None and any(m.startswith("period") for m in missing):
        asked = context.period_asked if context is not None else None
        absent = f"period {asked} (not among the facility's periods)" if asked else _MISSING_PERIOD
        missing = [absent] + missing
        detailed = [absent] + detailed
    missing = tuple(missing)
    detailed = missing if detailed == list(missing) else tuple(detailed)
    if failure is None:  # the same words for every facility missing the same facts: one Decision
        shared = context.shared if context is not None else {}
        key = ("unknown", what, detailed)
        decision = shared.get(key)
        if decision is None:
            decision = shared[key] = Decision("unknown", undecided=what, missing=detailed)
        return decision, decision.missing if detailed is missing else missing
    decision = Decision("unknown", undecided=what, missing=detailed, comparison=failure.comparison,
                        expression=failure.expression, records=failure.records)
    return decision, missing


def _unknown(rule, period, in_force, traces, what: str, context, failure: Decision | None = None,
             value=None, limit=None, unit=None) -> RuleResult:
    decision, missing = unknown_decision(traces, context, what, period, failure)
    return _result(rule, "unknown", decision, period, in_force, traces, missing, value, limit, unit)


def _not_applies(trace, shared: dict) -> Decision:
    """`applies` is false: the part of it that decided, with up to two of the facts it read."""
    found = deciding(trace, whole_when_all_matter=True)
    nodes, values, slot = found if found is not None else (trace.nodes, trace.values, 0)
    key = ("facts", id(nodes), slot)  # the fact slots under the deciding part: the same for every facility
    fact_slots = shared.get(key)
    if fact_slots is None:
        fact_slots = shared[key] = tuple(i for i in subtree(nodes, slot) if nodes[i].kind == "fact")
    shown = []
    key = ["not_applies", id(nodes), slot]  # facilities whose facts here have the same values share one Decision
    for i in fact_slots:
        if values[i] is not NOT_EVALUATED:
            shown.append(i)
            key.append(same_value_key(values[i]))
            if len(shown) == 2:
                break
    key = tuple(key) if None not in key else None
    decision = shared.get(key) if key is not None else None
    if decision is None:
        decision = Decision("not_applies", condition=nodes[slot].text,
                            facts=tuple(Shown(nodes[i], values[i]) for i in shown))
        if key is not None:
            shared[key] = decision
    return decision


def _comparison(found, met, context) -> Comparison | None:
    """The deciding comparison of a requirement (`deciding` of its trace), when both sides are known (or
    bounds settled it)."""
    if found is None:
        return None
    nodes, values, index = found
    left, right = nodes[index].children
    value, limit = values[left], values[right]
    if value is U or limit is U or type(limit) is Bounds or values[index] is not met or met is U:
        return None
    limit_node = nodes[right]
    if limit_node.kind == "literal":  # `<= 1.5`: the same for every facility, shown by one object
        key = ("shown", id(limit_node))
        shown = context.shared.get(key) or context.shared.setdefault(key, Shown(limit_node, limit))
    else:
        shown = Shown(limit_node, limit)
    return Comparison(nodes[index].op, Shown(nodes[left], value), shown, met)


def _requirement(rule, context, period, in_force, traces) -> RuleResult:
    met = run_clause(rule.require, context, "require", traces)
    trace = traces[-1]
    found = deciding(trace)
    comparison = _comparison(found, met, context)
    if found is None:  # value, limit and unit: the two sides of the deciding comparison, where known
        value = limit = unit = None
    else:
        nodes, values, index = found
        left, right = nodes[index].children
        value, limit = values[left], values[right]
        if value is U or type(value) is Bounds:
            value = None
        if limit is U or type(limit) is Bounds:
            limit = None
        unit = nodes[left].dimension.canonical_unit or None
    expression = rule.require.root.text
    # a quantifier over records decided it (only a clause that reads one, itself or through definitions)
    records = deciding_records(trace) if comparison is None and _quantifies(rule.require, context) else None
    if met is True:
        return _result(rule, "pass", Decision("met", comparison=comparison, expression=expression, records=records),
                       period, in_force, traces, (), value, limit, unit)
    failure = Decision("failed", comparison=comparison, expression=expression, records=records)
    undecided = False
    # A relief that holds decides whether the requirement fails or cannot be computed: the law says the
    # duty "does not apply". Only if none holds does an undecidable relief (or requirement) give unknown.
    for block in rule.blocks:
        if block.keyword != "exempt":
            continue
        holds = run_clause(block.condition, context, "exempt", traces)
        if holds is True:
            decision = Decision("exempt", because=block.because, citation=block.cite, expression=expression,
                                comparison=comparison if met is False else None, requirement_undecided=met is U,
                                records=records if met is False else None)
            return _result(rule, "exempt", decision, period, in_force, traces, (), value, limit, unit,
                           Relief("exempt", block.cite, block.because))
        undecided |= holds is U
    if met is U:
        what = "the requirement or a relief" if undecided else "the requirement"
        return _unknown(rule, period, in_force, traces, what, context, None, value, limit, unit)
    if undecided:
        return _unknown(rule, period, in_force, traces, "whether a relief applies", context, failure, value, limit,
                        unit)
    gap = _gap(comparison, context) if comparison is not None and not isinstance(comparison.left.value, Bounds) \
        else None
    return _result(rule, "fail", failure, period, in_force, traces, (), value, limit, unit, None, gap)


def _quantifies(expr, context) -> bool:
    """Whether a clause reads a quantifier over records, itself or through the definitions it reads."""
    key = ("quantifies", id(expr))
    found = context.shared.get(key)
    if found is None:
        found = context.shared[key] = _reads_quantifier(expr, context.plan.definitions, set())
    return found


def _reads_quantifier(expr, definitions, seen: set) -> bool:
    for info in expr.nodes:
        if info.kind == "quantifier":
            return True
        if info.kind == "definition" and info.path not in seen and info.path in definitions:
            seen.add(info.path)
            if _reads_quantifier(definitions[info.path], definitions, seen):
                return True
    return False


def _gap(comparison: Comparison, context) -> Gap | None:
    value, limit, op = comparison.left.value, comparison.right.value, comparison.operator
    if not isinstance(value, (int, float)) or not isinstance(limit, (int, float)) or op not in ("<=", "<", ">=", ">"):
        return None
    subject = comparison.left.node
    percent = "%" in comparison.right.node.text
    lever = None
    if subject.kind == "definition":
        definition = context.plan.definitions.get(subject.path)
        values = context.dtrace.get(subject.path)
        if definition is not None and values is not None and definition.root.op == "/":
            top, bottom = definition.root.children
            numerator, denominator = values[top], values[bottom]
            top_info, bottom_info = definition.nodes[top], definition.nodes[bottom]
            if isinstance(numerator, (int, float)) and isinstance(denominator, (int, float)):
                lever = GapLever(top_info.text, limit * denominator - numerator,
                                 top_info.dimension.canonical_unit or None, bottom_info.text, top_info.dimension)
    unit = "points" if percent else (subject.dimension.canonical_unit or None)
    scale = 100.0 if percent else 1.0
    return Gap(metric=subject.text, operator=op, value=value * scale, limit=limit * scale,
               change=(limit - value) * scale, unit=unit, strict=op in ("<", ">"), lever=lever, percent=percent,
               subject=subject)


def _band(rule, context, period, in_force, traces) -> RuleResult:
    subject = run_clause(rule.subject, context, "of", traces)
    if subject is U:
        return _unknown(rule, period, in_force, traces, "the band", context)
    shown = Shown(rule.subject.root, subject)
    ends = (subject.lo, subject.hi) if isinstance(subject, Bounds) else (subject, subject)
    for level in rule.levels:  # levels are intervals: bounds inside one of them decide it
        if level.contains(ends[0]) and level.contains(ends[1]):
            return _result(rule, "pass", Decision("band", level=level, subject=shown), period, in_force, traces,
                           (), level.label)
    if isinstance(subject, Bounds):
        return _unknown(rule, period, in_force, traces, "the band", context)
    return _result(rule, "unknown", Decision("band_none", subject=shown), period, in_force, traces)


def _report(rule, context, period, in_force, traces) -> RuleResult:
    shared = context.shared
    if period is None:  # contract: no usable period is `unknown`, never a verdict on absent figures
        key = ("report_no_period", context.period_asked)
        decision = shared.get(key) or shared.setdefault(key, Decision("report_no_period",
                                                                      period_asked=context.period_asked))
        return _result(rule, "unknown", decision, period, in_force, traces, _PERIOD)
    due = None
    if rule.due is not None:
        due = run_clause(rule.due, context, "due", traces)
        due = due if known(due) else None
    items = []
    missing = []
    for item in rule.items:
        # per item and run: its clauses' labels and its two possible entries (present or not)
        when, label, entries = shared.get(id(item)) or shared.setdefault(id(item), (
            f"when {item.name}", f"item {item.name}",
            {p: (item.name, item.title, item.public, p) for p in (False, True)}))
        required = True
        if item.condition is not None:
            required = run_clause(item.condition, context, when, traces)
        if required is False:
            continue
        value = run_clause(item.value, context, label, traces)
        present = known(value)
        items.append(entries[present])
        if not present or required is U:
            missing.append(item.name)
    items = tuple(items)
    if missing:
        key = ("report_incomplete", tuple(missing))
        decision = shared.get(key) or shared.setdefault(key, Decision("report_incomplete", missing=key[1]))
        return _result(rule, "fail", decision, period, in_force, traces, decision.missing, due=due, items=items)
    key = ("report_complete", len(items))
    decision = shared.get(key) or shared.setdefault(key, Decision("report_complete", count=len(items)))
    return _result(rule, "pass", decision, period, in_force, traces, due=due, items=items)
