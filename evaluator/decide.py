"""The decision procedure for one rule (docs/language.md, "How a rule is evaluated").

exclusions → applies → in force (from / until) → period → requirement → reliefs. Each verdict
comes with a ``Decision`` saying, as data, what decided it; nothing here is phrased for people.
"""

from __future__ import annotations

import datetime

import attrs

from .plan import CompiledRule
from .results import Comparison, Decision, Gap, GapLever, Relief, RuleResult, Shown
from .tracing import deciding, deciding_records, missing_facts, run_clause, subtree
from .values import NOT_EVALUATED, Bounds, U, known

_MISSING_PERIOD = "period (no reporting period of this calendar ends on or before the evaluation date)"


def evaluate_rule(rule: CompiledRule, context, period, as_of: datetime.date) -> RuleResult:
    traces: list = []
    exclusion_undecided = False
    for block in rule.blocks:  # an exclusion that holds decides; an undecidable one waits for `applies`
        if block.keyword != "exclude":
            continue
        excluded = run_clause(block.condition, context, "exclude", traces)
        if excluded is True:
            return rule_result(rule, "not_applicable", Decision("excluded", because=block.because, citation=block.cite),
                           period, None, traces, relief=Relief("exclude", block.cite, block.because))
        exclusion_undecided |= excluded is U
    if rule.applies is not None:
        applies = run_clause(rule.applies, context, "applies", traces)
        if applies is False:
            return rule_result(rule, "not_applicable", _not_applies(traces[-1]), period, None, traces)
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
            return rule_result(rule, "not_in_force", Decision("not_in_force", date=in_force, as_of=as_of), period,
                           in_force, traces)
    if rule.until is not None:
        until = run_clause(rule.until, context, "until", traces)
        if until is not U and as_of > until:
            return rule_result(rule, "not_applicable", Decision("ended", date=until), period, in_force, traces)
    projection = bool(rule.reads_period and period is not None and in_force is not None and period.end < in_force)
    if rule.kind == "band":
        result = _band(rule, context, period, in_force, traces)
    elif rule.kind == "report":
        result = _report(rule, context, period, in_force, traces)
    elif rule.require is None:  # an encouragement (advisory, checked): it addresses the facility, nothing to judge
        result = rule_result(rule, "info", Decision("info", title=rule.title), period, in_force, traces)
    else:
        result = _requirement(rule, context, period, in_force, traces)
    if projection and rule.kind == "report" and result.due is not None and result.due >= in_force:
        projection = False  # a report on a period before the in-force date but due after it is owed, not projected
    return attrs.evolve(result, projection=True) if projection else result


def rule_result(rule, verdict, decision, period, in_force, traces=(), **extra) -> RuleResult:
    return RuleResult(
        rule=rule.rule_id, title=rule.title, citation=rule.citation, severity=rule.severity, verdict=verdict,
        decision=decision, period=period.label if period is not None else None, in_force_from=in_force,
        legal_status=rule.legal_status, quotes=rule.quotes, trace=tuple(traces),
        period_end=period.end if period is not None else None, **extra,
    )


def unknown_decision(traces, context, what: str, period, failure: Decision | None = None) -> tuple[Decision, tuple]:
    """The decision of an unknown outcome and the missing facts (plain paths) it names."""
    missing = missing_facts(traces, context)
    detailed = missing_facts(traces, context, annotate=True)
    if period is None and any(m.startswith("period") for m in missing):
        asked = context.period_asked if context is not None else None
        absent = f"period {asked} (not among the facility's periods)" if asked else _MISSING_PERIOD
        missing = [absent] + missing
        detailed = [absent] + detailed
    decision = Decision("unknown", undecided=what, missing=tuple(detailed),
                        comparison=failure.comparison if failure else None,
                        expression=failure.expression if failure else None,
                        records=failure.records if failure else None)
    return decision, tuple(missing)


def _unknown(rule, period, in_force, traces, what: str, context, failure: Decision | None = None,
             **figures) -> RuleResult:
    decision, missing = unknown_decision(traces, context, what, period, failure)
    return rule_result(rule, "unknown", decision, period, in_force, traces, missing=missing, **figures)


def _not_applies(trace) -> Decision:
    """`applies` is false: the part of it that decided, with up to two of the facts it read."""
    found = deciding(trace, whole_when_all_matter=True)
    nodes, values, slot = found if found is not None else (trace.nodes, trace.values, 0)
    facts = tuple(Shown(nodes[i], values[i]) for i in subtree(nodes, slot)
                  if nodes[i].kind == "fact" and values[i] is not NOT_EVALUATED)[:2]
    return Decision("not_applies", condition=nodes[slot].text, facts=facts)


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


def _figures(found) -> dict:
    """value, limit and unit of a result: the two sides of the deciding comparison, where known."""
    if found is None:
        return {"value": None, "limit": None, "unit": None}
    nodes, values, index = found
    left, right = nodes[index].children
    return {"value": values[left] if known(values[left]) else None,
            "limit": values[right] if known(values[right]) else None,
            "unit": nodes[left].dimension.canonical_unit or None}


def _requirement(rule, context, period, in_force, traces) -> RuleResult:
    met = run_clause(rule.require, context, "require", traces)
    found = deciding(traces[-1])
    comparison = _comparison(found, met, context)
    figures = _figures(found)
    expression = rule.require.root.text
    records = deciding_records(traces[-1]) if comparison is None else None  # a quantifier over records decided it
    if met is True:
        return rule_result(rule, "pass", Decision("met", comparison=comparison, expression=expression,
                                                  records=records), period, in_force, traces, **figures)
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
            return rule_result(rule, "exempt", decision, period, in_force, traces,
                           relief=Relief("exempt", block.cite, block.because), **figures)
        undecided |= holds is U
    if met is U:
        what = "the requirement or a relief" if undecided else "the requirement"
        return _unknown(rule, period, in_force, traces, what, context, **figures)
    if undecided:
        return _unknown(rule, period, in_force, traces, "whether a relief applies", context, failure, **figures)
    gap = _gap(comparison, context) if comparison is not None and not isinstance(comparison.left.value, Bounds) \
        else None
    return rule_result(rule, "fail", failure, period, in_force, traces, gap=gap, **figures)


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
            return rule_result(rule, "pass", Decision("band", level=level, subject=shown), period, in_force, traces,
                           value=level.label)
    if isinstance(subject, Bounds):
        return _unknown(rule, period, in_force, traces, "the band", context)
    return rule_result(rule, "unknown", Decision("band_none", subject=shown), period, in_force, traces)


def _report(rule, context, period, in_force, traces) -> RuleResult:
    if period is None:  # contract: no usable period is `unknown`, never a verdict on absent figures
        return rule_result(rule, "unknown", Decision("report_no_period", period_asked=context.period_asked), period,
                       in_force, traces, missing=("period",))
    due = None
    if rule.due is not None:
        due = run_clause(rule.due, context, "due", traces)
        due = due if known(due) else None
    items = []
    missing = []
    for item in rule.items:
        required = True
        if item.condition is not None:
            required = run_clause(item.condition, context, f"when {item.name}", traces)
        if required is False:
            continue
        value = run_clause(item.value, context, f"item {item.name}", traces)
        present = known(value)
        items.append((item.name, item.title, item.public, present))
        if not present or required is U:
            missing.append(item.name)
    if missing:
        return rule_result(rule, "fail", Decision("report_incomplete", missing=tuple(missing)), period, in_force,
                       traces, missing=tuple(missing), due=due, items=tuple(items))
    return rule_result(rule, "pass", Decision("report_complete", count=len(items)), period, in_force, traces, due=due,
                   items=tuple(items))

