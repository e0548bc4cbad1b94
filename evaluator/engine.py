"""Evaluation: a pure function of (plans, facilities, as-of date, period choice) → Run.

The order of decisions for one rule (docs/language.md, "How a rule is evaluated"):
scope → rule exclusions → applies → in force (from / until) → period → requirement →
reliefs. A missing fact makes the dependent expression unknown; a rule whose decision
depends on it is ``unknown`` and names the missing fields, never a silent pass or fail.
"""

from __future__ import annotations

import datetime
import gc

import attrs

from dcpolicy.dsl import units

from . import runtime
from .context import Context
from .plan import CompiledExpr, CompiledRule, Plan
from .facts import Facility, LoadedInput, Period
from .results import (NO_DUTY_APPLIES, ClauseTrace, Evaluation, Gap, GapLever, OperatorEvaluation, Relief, RuleResult,
                      Run, evaluation_status)

U = runtime.UNKNOWN
_NO_PERIOD: dict = {}


# ---------------------------------------------------------------- periods
def period_kind(plan: Plan) -> str:
    return "fiscal" if plan.calendar == "fiscal-year" else "calendar"


def _matches_calendar(period: Period, plan: Plan) -> bool:
    month, day = plan.fiscal_start
    start = datetime.date(period.start.year, month, day)
    end = datetime.date(period.start.year + 1, month, day) - datetime.timedelta(days=1)
    return period.start == start and period.end == end


def candidate_periods(facility: Facility, plan: Plan) -> list[Period]:
    return [p for p in facility.periods if _matches_calendar(p, plan)]


def normalise_label(label: str) -> str:
    """'fy 2024', 'FY2024' and ' FY2024 ' name the same period."""
    return "".join(label.split()).upper()


def choose_period(facility: Facility, plan: Plan, as_of: datetime.date, label: str | None) -> Period | None:
    candidates = candidate_periods(facility, plan)
    if label is not None:
        wanted = normalise_label(label)
        return next((p for p in candidates if normalise_label(p.label) == wanted), None)
    ended = [p for p in candidates if p.end <= as_of]
    return max(ended, key=lambda p: p.end) if ended else None


def period_values(period: Period | None) -> dict:
    if period is None:
        return _NO_PERIOD
    values = {path: fact.value for path, fact in period.facts.items()}  # flag defaults included (dsl/schema.py)
    values["start"] = period.start
    values["end"] = period.end
    return values


def _earlier_periods(facility: Facility, plan: Plan, chosen: Period | None):
    by_start = {p.start: p for p in candidate_periods(facility, plan)}

    def back(k: int) -> dict:
        if chosen is None:
            return _NO_PERIOD
        try:
            start = chosen.start.replace(year=chosen.start.year - k)
        except ValueError:
            return _NO_PERIOD
        return period_values(by_start.get(start))

    return back


def expected_label(plan: Plan, as_of: datetime.date) -> str:
    """The label of the latest period of the plan's calendar ending on or before as_of."""
    current = runtime.fiscal_year(as_of, plan.fiscal_start)
    ends = runtime.end_of_fiscal_year(current, plan.fiscal_start)
    last_complete = current if as_of >= ends else current - 1
    return f"FY{last_complete}" if period_kind(plan) == "fiscal" else str(last_complete)


# ---------------------------------------------------------------- evaluation
class _Subject:
    """One facility prepared for one plan: its context and chosen period."""

    def __init__(self, plan: Plan, facility: Facility, period: Period | None):
        self.facility = facility
        self.period = period
        flags = {path: fact.value for path, fact in facility.facts.items()}
        self.context = Context(plan, flags, period_values(period), _earlier_periods(facility, plan, period), [],
                               facility.id)


def evaluate(plans: list[Plan], loaded: LoadedInput, as_of: datetime.date, period_label: str | None = None) -> Run:
    # Evaluation allocates many small, long-lived trace tuples; the cyclic collector re-scans them
    # over and over (measured: two thirds of evaluation time at 2,000 facilities). Nothing here
    # needs collecting mid-run, so pause it and let it run once afterwards.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _evaluate(plans, loaded, as_of, period_label)
    finally:
        if was_enabled:
            gc.enable()


def _evaluate(plans, loaded, as_of, period_label) -> Run:
    evaluations: list[Evaluation] = []
    operators: list[OperatorEvaluation] = []
    per_plan = []
    for plan in plans:
        per_plan.append(_evaluate_plan(plan, loaded, as_of, period_label))
    # contract order: input (facility) order, then jurisdiction order
    for index in range(len(loaded.facilities)):
        for facility_evaluations, _ in per_plan:
            evaluations.append(facility_evaluations[index])
    for _, operator_evaluations in per_plan:
        operators.extend(operator_evaluations)
    return Run(as_of, tuple(evaluations), tuple(operators))


def _operator_key(facility: Facility) -> str:
    return facility.operator_id or f"{facility.id} (no operator_id)"


def _evaluate_plan(plan: Plan, loaded: LoadedInput, as_of, period_label):
    subjects = [_Subject(plan, f, choose_period(f, plan, as_of, period_label)) for f in loaded.facilities]
    for subject in subjects:
        subject.context.period_asked = period_label
    groups: dict[str, list[_Subject]] = {}
    for subject in subjects:
        groups.setdefault(_operator_key(subject.facility), []).append(subject)
    for members in groups.values():  # the scope may aggregate over the operator's facilities
        everyone = [m.context for m in members]
        for subject in members:
            subject.context.members = subject.context.all_members = everyone
    scope_states = [_scope_state(plan, s) for s in subjects]
    # a facility whose scope cannot be decided stays a member, as "perhaps in scope" (never silently dropped)
    in_scope = {id(s) for s, state in zip(subjects, scope_states) if state[0] is not False}
    for subject, state in zip(subjects, scope_states):
        if state[0] is U:
            subject.context.in_scope = U
            subject.context.scope_missing = tuple(_missing(state[2], subject.context))
    for members in groups.values():  # `all_members` stays: aggregates `including out-of-scope` read it
        contexts = [m.context for m in members if id(m) in in_scope]
        for subject in members:
            subject.context.members = contexts
            subject.context.memo.clear()
            subject.context.dtrace.clear()
    evaluations = [
        _evaluate_facility(plan, subject, state, as_of) for subject, state in zip(subjects, scope_states)
    ]
    operator_rules = [r for r in plan.rules if r.for_operator]
    operator_evaluations = []
    if operator_rules:
        for operator, members in groups.items():
            included = [m for m in members if id(m) in in_scope]
            operator_evaluations.append(_evaluate_operator(plan, operator, members, included, operator_rules,
                                                           as_of, period_label))
    return evaluations, operator_evaluations


def _scope_state(plan: Plan, subject: _Subject):
    """(True | False | U, reason, traces) for the jurisdiction's scope."""
    if plan.scope is None:
        return True, None, ()
    traces = []
    value = _run(plan.scope, subject.context, "scope", traces)
    for block in plan.scope_blocks:
        excluded = _run(block.condition, subject.context, "exclude", traces)
        if excluded is True:
            return False, f"out of scope: {block.because} ({block.cite})" if block.cite else \
                f"out of scope: {block.because}", tuple(traces)
        if excluded is U and value is not False:
            value = U
    if value is False:
        return False, f"out of scope: {plan.scope_title} ({plan.scope_citation}) — " \
                      f"{plan.scope.root.text} is false", tuple(traces)
    if value is U:
        missing = _missing(traces, subject.context)
        return U, f"scope cannot be decided: missing {', '.join(missing)}", tuple(traces)
    return True, None, tuple(traces)


def _run(expr: CompiledExpr, context, label: str, traces: list):
    value, values = expr.run(context)
    definitions = _definitions_read(expr, values, context)
    traces.append(ClauseTrace(label, expr, tuple(values), definitions))
    return value


def _definitions_read(expr: CompiledExpr, values, context) -> tuple:
    found: list = []
    seen: set[str] = set()

    def visit(compiled: CompiledExpr, slots):
        for info, value in zip(compiled.nodes, slots):
            if info.kind == "definition" and value is not runtime.NOT_EVALUATED and info.path not in seen:
                seen.add(info.path)
                inner = context.plan.definitions[info.path]
                inner_values = context.dtrace.get(info.path)
                if inner_values is not None:
                    found.append((info.path, inner, tuple(inner_values)))
                    visit(inner, inner_values)

    visit(expr, values)
    return tuple(found)


def _missing(traces, context=None, annotate: bool = False) -> list[str]:
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
        definitions = {name: (expr, values) for name, expr, values in trace.definitions}
        if runtime.is_unknown(trace.values[0]):
            _walk_undecided(trace.expr, trace.values, 0, definitions, set(), context, annotate, add)
    return missing


def _walk_undecided(expr, values, slot, definitions, expanded, context, annotate, add) -> None:
    info = expr.nodes[slot]
    if info.kind == "fact":
        add(info.path)
        return
    if info.kind == "aggregate":
        for entry in _missing_in_members(info, context, annotate):
            add(entry)
        return
    if info.kind == "definition":
        if info.path in definitions and info.path not in expanded:
            inner, inner_values = definitions[info.path]
            if runtime.is_unknown(inner_values[0]):
                _walk_undecided(inner, inner_values, 0, definitions, expanded | {info.path}, context, annotate, add)
        return
    for child in info.children:
        if runtime.is_unknown(values[child]):
            _walk_undecided(expr, values, child, definitions, expanded, context, annotate, add)


def _missing_in_members(info, context, annotate: bool) -> list[str]:
    members = (context.all_members if info.everyone else context.members) if context is not None else []
    found = []
    for path in info.reads:
        lacking = [m.name for m in members if runtime.is_unknown(m.lookup(path))]
        if lacking:
            found.append(f"{path} (facility {', '.join(lacking)})" if annotate else path)
    if not info.everyone:  # members whose scope is undecided: the facts that would decide it
        for path in dict.fromkeys(p for m in members for p in m.scope_missing):
            lacking = [m.name for m in members if path in m.scope_missing]
            entry = f"{path} (facility {', '.join(lacking)}, for the scope)" if annotate else path
            if entry not in found:
                found.append(entry)
    return found or [f"a fact of the operator's facilities for {info.text}"]


def _evaluate_facility(plan: Plan, subject: _Subject, scope_state, as_of) -> Evaluation:
    in_scope, scope_reason, scope_traces = scope_state
    period = subject.period
    results = []
    for rule in plan.rules:
        if rule.for_operator:
            continue
        if in_scope is False:
            results.append(_result(rule, "not_applicable", scope_reason, period, None, trace=scope_traces))
        elif in_scope is U:
            results.append(_result(rule, "unknown", scope_reason, period, None, missing=tuple(_missing(scope_traces)),
                                   trace=scope_traces))
        else:
            results.append(evaluate_rule(rule, subject.context, period, as_of, plan))
    status = _status(in_scope, results)
    facility = subject.facility
    return Evaluation(
        jurisdiction=plan.code, facility=facility.id, facility_name=facility.name,
        source_file=facility.source.path, source_sha256=facility.source.sha256,
        policy_file=plan.file, policy_sha256=plan.sha256, status=status,
        period=period.label if period else None, period_kind=period_kind(plan), results=tuple(results),
        scope_reason=scope_reason or _no_duty_reason(status), facts=facility.facts,
        period_facts=period.facts if period else {}, in_scope=None if in_scope is U else in_scope,
    )


def _status(in_scope, results) -> str:
    """Counts the law in force: proposed rules and projections are reported beside it (results.py)."""
    return evaluation_status(None if in_scope is U else in_scope, results)


def _no_duty_reason(status: str) -> str | None:
    """The scope holds, yet no duty applies: the status says out_of_scope, and this says why."""
    return NO_DUTY_APPLIES if status == "out_of_scope" else None


def _evaluate_operator(plan, operator, members, included, rules, as_of, period_label) -> OperatorEvaluation:
    labels = {m.period.label for m in included if m.period is not None}
    if period_label is not None:
        label = normalise_label(period_label)
    else:
        label = max(labels, key=lambda text: (len(text), text)) if labels else expected_label(plan, as_of)
    everyone = []  # every facility of the operator; `contexts` are those in the jurisdiction's scope
    for member in members:
        chosen = choose_period(member.facility, plan, as_of, label)
        flags = {path: fact.value for path, fact in member.facility.facts.items()}
        member_context = Context(plan, flags, period_values(chosen),
                                 _earlier_periods(member.facility, plan, chosen), [], member.facility.id)
        member_context.in_scope = member.context.in_scope
        member_context.scope_missing = member.context.scope_missing
        everyone.append(member_context)
    kept = {id(m) for m in included}
    contexts = [c for m, c in zip(members, everyone) if id(m) in kept]
    context = Context(plan, {}, _NO_PERIOD, lambda k: _NO_PERIOD, contexts)
    context.all_members = everyone
    for member_context in everyone:
        member_context.members = contexts
        member_context.all_members = everyone
    pseudo_period = _label_period(plan, label)
    results = tuple(evaluate_rule(rule, context, pseudo_period, as_of, plan) for rule in rules)
    status = _status(True, results)
    return OperatorEvaluation(plan.code, operator, tuple(m.facility.id for m in members), label,
                              plan.file, plan.sha256, results, status=status, scope_reason=_no_duty_reason(status))


class _LabelPeriod:
    """The period an operator-level rule judges: a label and its bounds."""

    def __init__(self, label: str, start: datetime.date, end: datetime.date):
        self.label, self.start, self.end = label, start, end


def _label_period(plan: Plan, label: str):
    digits = "".join(ch for ch in label if ch.isdigit())
    if len(digits) != 4:
        return None
    month, day = plan.fiscal_start
    start = datetime.date(int(digits), month, day)
    end = datetime.date(int(digits) + 1, month, day) - datetime.timedelta(days=1)
    return _LabelPeriod(label, start, end)


# ---------------------------------------------------------------- one rule
def evaluate_rule(rule: CompiledRule, context, period, as_of: datetime.date, plan: Plan) -> RuleResult:
    traces: list[ClauseTrace] = []
    exclusion_undecided = False
    for block in rule.blocks:  # an exclusion that holds decides; an undecidable one waits for `applies`
        if block.keyword != "exclude":
            continue
        excluded = _run(block.condition, context, "exclude", traces)
        if excluded is True:
            reason = f"excluded: {block.because}" + (f" ({block.cite})" if block.cite else "")
            return _result(rule, "not_applicable", reason, period, None, trace=traces,
                           relief=Relief("exclude", block.cite, block.because))
        exclusion_undecided |= excluded is U
    if rule.applies is not None:
        applies = _run(rule.applies, context, "applies", traces)
        if applies is False:
            return _result(rule, "not_applicable", f"does not apply: {_described(rule.applies, traces[-1])} is false",
                           period, None, trace=traces)
        if applies is U:
            return _unknown(rule, period, None, traces, "whether the rule applies", context)
    if exclusion_undecided:
        return _unknown(rule, period, None, traces, "whether an exclusion applies", context)
    in_force = None
    if rule.in_force_from is not None:
        in_force = _run(rule.in_force_from, context, "in force", traces)
        if in_force is U:
            return _unknown(rule, period, None, traces, "when the rule comes into force", context)
        if as_of < in_force:
            return _result(rule, "not_in_force", f"in force from {in_force.isoformat()}; evaluated as of "
                                                 f"{as_of.isoformat()}", period, in_force, trace=traces)
    if rule.until is not None:
        until = _run(rule.until, context, "until", traces)
        if until is not U and as_of > until:
            return _result(rule, "not_applicable", f"no longer in force after {until.isoformat()}", period,
                           in_force, trace=traces)
    projection = bool(rule.reads_period and period is not None and in_force is not None and period.end < in_force)
    if rule.kind == "band":
        result = _band(rule, context, period, in_force, traces)
    elif rule.kind == "report":
        result = _report(rule, context, period, in_force, traces)
    elif rule.require is None:  # an encouragement (advisory, checked): it addresses the facility, nothing to judge
        result = _result(rule, "info", f"encouraged: {rule.title}", period, in_force, trace=traces)
    else:
        result = _requirement(rule, context, period, in_force, traces)
    if projection and rule.kind == "report" and result.due is not None and result.due >= in_force:
        projection = False  # a report on a period before the in-force date but due after it is owed, not projected
    if projection:
        note = (f"projection: figures of period {period.label} (ended {period.end.isoformat()}) predate the rule "
                f"(in force from {in_force.isoformat()}); ")
        result = _evolve(result, projection=True, reason=note + result.reason)
    return result


def _evolve(result: RuleResult, **changes) -> RuleResult:
    return attrs.evolve(result, **changes)


def _result(rule, verdict, reason, period, in_force, trace=(), **extra) -> RuleResult:
    return RuleResult(
        rule=rule.rule_id, title=rule.title, citation=rule.citation, severity=rule.severity, verdict=verdict,
        reason=reason, period=period.label if period is not None else None, in_force_from=in_force,
        legal_status=rule.legal_status, quotes=rule.quotes, trace=tuple(trace), **extra,
    )


def _unknown(rule, period, in_force, traces, what: str, context=None) -> RuleResult:
    missing = _missing(traces, context)
    detailed = _missing(traces, context, annotate=True)
    if period is None and any(m.startswith("period") for m in missing):
        asked = context.period_asked if context is not None else None
        absent = f"period {asked} (not among the facility's periods)" if asked else \
            "period (no reporting period of this calendar ends on or before the evaluation date)"
        missing = [absent] + missing
        detailed = [absent] + detailed
    detail = ", ".join(detailed) if detailed else "a value that could not be computed"
    return _result(rule, "unknown", f"cannot decide {what}: missing {detail}", period, in_force,
                   trace=traces, missing=tuple(missing))


def _described(expr: CompiledExpr, trace: ClauseTrace) -> str:
    """The part of a clause that decided it, with up to two of the facts it read."""
    found = _deciding(trace, whole_when_all_matter=True)
    if found is not None:
        expr, values, slot = found
    else:
        values, slot = trace.values, 0
    facts = [(expr.nodes[i], values[i]) for i in _subtree(expr, slot)
             if expr.nodes[i].kind == "fact" and values[i] is not runtime.NOT_EVALUATED][:2]
    shown = ", ".join(f"{info.text} = {_show(value, info)}" for info, value in facts)
    return f"{expr.nodes[slot].text}" + (f" ({shown})" if shown else "")


def _subtree(expr: CompiledExpr, slot: int) -> list[int]:
    found, stack = [], [slot]
    while stack:
        index = stack.pop()
        found.append(index)
        stack.extend(reversed(expr.nodes[index].children))
    return sorted(found)


def _show(value, info) -> str:
    if value is U:
        return "unknown"
    if isinstance(value, runtime.Bounds):
        return _show_bounds(value, info)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and info.type_kind == "number":
        return units.format_quantity(value, info.dimension)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _show_bounds(value: runtime.Bounds, info) -> str:
    def end(x):
        return units.format_quantity(x, info.dimension)

    if value.hi == float("inf"):
        return f"at least {end(value.lo)} (not all known)"
    if value.lo == float("-inf"):
        return f"at most {end(value.hi)} (not all known)"
    return f"between {end(value.lo)} and {end(value.hi)} (not all known)"


_COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")


def _deciding(trace: ClauseTrace, whole_when_all_matter: bool = False):
    """(expression, values, slot) of the comparison that decided a clause: through an `or` that
    held, the branch that held; through an `and` that failed, the part that failed; through an
    undecided one, the undecided part; into definitions. None when no comparison decided it.
    With `whole_when_all_matter`, an `and` that held or an `or` that failed is itself the answer
    (every part of it decided), as a sentence that names one part would mislead."""
    definitions = {name: (expr, values) for name, expr, values in trace.definitions}

    def walk(expr, values, slot, expanded):
        info = expr.nodes[slot]
        value = values[slot]
        if value is runtime.NOT_EVALUATED:
            return None
        if info.op in _COMPARISONS:
            return expr, values, slot
        if info.kind == "definition":
            if info.path in definitions and info.path not in expanded:
                inner, inner_values = definitions[info.path]
                return walk(inner, inner_values, 0, expanded | {info.path})
            return None
        children = [c for c in info.children if values[c] is not runtime.NOT_EVALUATED]
        if info.op in ("and", "or"):
            if value is (info.op == "or"):  # `or` held / `and` failed: the branch that settled it
                children = [c for c in children if values[c] is value]
            elif runtime.is_unknown(value):
                children = [c for c in children if runtime.is_unknown(values[c])]
            elif whole_when_all_matter:
                return expr, values, slot
        for child in children:
            found = walk(expr, values, child, expanded)
            if found is not None:
                return found
        return None

    return walk(trace.expr, trace.values, 0, frozenset())


_METRICS = {"pue", "erf", "ref", "wue", "cer", "cue"}


def _metric_name(text: str) -> str:
    return text.upper() if text in _METRICS else text


def _display(value, info, percent: bool, decimals: int | None = None, points: bool = False) -> str:
    if percent and isinstance(value, (int, float)):
        shown = value * 100 if decimals is None else round(value * 100, max(decimals - 2, 0))
        return f"{units.format_number(round(shown, 6))}" + (" points" if points else " %")
    if decimals is not None and isinstance(value, float) and info.dimension.is_dimensionless:
        return units.format_number(round(value, decimals))
    return _show(value, info)


def _decimals_to_tell_apart(value, limit) -> int | None:
    """The fewest decimals (at least 3) at which a value reads differently from its limit."""
    if not isinstance(value, (int, float)) or not isinstance(limit, (int, float)):
        return None
    for decimals in range(3, 10):
        if value == limit or round(value, decimals) != round(limit, decimals):
            return decimals
    return None


_FAILS = {"<=": "is above the limit", "<": "is not below the limit", ">=": "is below the minimum",
          ">": "does not exceed", "==": "is not equal to", "!=": "must differ from"}


@attrs.frozen
class _Measure:
    """What the deciding comparison of a requirement says: its value and limit, in words and figures."""

    value: object = None
    limit: object = None
    unit: str | None = None
    reason: str | None = None
    gap: Gap | None = None


def _measure(trace: ClauseTrace, met, context) -> _Measure:
    found = _deciding(trace)
    if found is None:
        return _Measure()
    expr, values, index = found
    node = expr.nodes[index]
    left, right = node.children
    value, limit = values[left], values[right]
    left_info, right_info = expr.nodes[left], expr.nodes[right]
    unit = left_info.dimension.canonical_unit or None
    reason = gap = None
    bounded = isinstance(value, runtime.Bounds)  # partial knowledge that settled the comparison
    if (runtime.known(value) or bounded) and runtime.known(limit) and values[index] is met and met is not U:
        percent = "%" in right_info.text
        decimals = None if bounded else _decimals_to_tell_apart(value, limit)
        shown_value = _show_bounds(value, left_info) if bounded else _display(value, left_info, percent, decimals)
        shown_limit = _display(limit, right_info, percent, decimals)
        if right_info.kind not in ("literal",) and right_info.text != shown_limit:
            shown_limit += f" ({right_info.text})"
        name = _metric_name(left_info.text)
        if met is False:
            reason = f"{name} {shown_value} {_FAILS[node.op]} {shown_limit}"
            gap = None if bounded else _gap(node.op, value, limit, left_info, percent, context)
        else:
            reason = f"{name} {shown_value} meets {node.op} {shown_limit}"
    return _Measure(value if runtime.known(value) else None, limit if runtime.known(limit) else None,
                    unit, reason, gap)


def _requirement(rule, context, period, in_force, traces) -> RuleResult:
    met = _run(rule.require, context, "require", traces)
    measure = _measure(traces[-1], met, context)
    figures = {"value": measure.value, "limit": measure.limit, "unit": measure.unit}
    expr = rule.require
    if met is True:
        return _result(rule, "pass", measure.reason or f"{expr.root.text} holds", period, in_force, trace=traces,
                       **figures)
    failure = measure.reason or f"{expr.root.text} does not hold"
    undecided = False
    # A relief that holds decides whether the requirement fails or cannot be computed: the law says the
    # duty "does not apply". Only if none holds does an undecidable relief (or requirement) give unknown.
    for block in rule.blocks:
        if block.keyword != "exempt":
            continue
        holds = _run(block.condition, context, "exempt", traces)
        if holds is True:
            relief = f"exempt: {block.because}" + (f" ({block.cite})" if block.cite else "")
            reason = f"{failure}, but {relief}" if met is False else \
                f"{relief}; the requirement ({expr.root.text}) need not be decided"
            return _result(rule, "exempt", reason, period, in_force, trace=traces,
                           relief=Relief("exempt", block.cite, block.because), **figures)
        undecided |= holds is U
    if met is U:
        what = "the requirement or a relief" if undecided else "the requirement"
        return _evolve(_unknown(rule, period, in_force, traces, what, context), **figures)
    if undecided:
        result = _unknown(rule, period, in_force, traces, f"whether a relief applies ({failure})", context)
        return _evolve(result, **figures)
    return _result(rule, "fail", failure, period, in_force, trace=traces, gap=measure.gap, **figures)


def _gap(op, value, limit, left_info, percent, context) -> Gap | None:
    if not isinstance(value, (int, float)) or not isinstance(limit, (int, float)) or op not in ("<=", "<", ">=", ">"):
        return None
    change = limit - value  # the change of the metric that reaches the limit (strict: must go beyond it)
    strict = op in ("<", ">")
    direction = "fall" if change < 0 or (change == 0 and op == "<") else "rise"
    amount = _display(abs(change), left_info, percent, _decimals_to_tell_apart(abs(change), 0.0), points=True)
    metric = _metric_name(left_info.text)
    text = f"{metric} must {direction} by {'more than ' if strict else ''}{amount}"
    if strict and change == 0:
        text = f"{metric} must {direction} above {_display(limit, left_info, percent)}" if direction == "rise" else \
            f"{metric} must {direction} below {_display(limit, left_info, percent)}"
    lever = None
    if left_info.kind == "definition":
        definition = context.plan.definitions.get(left_info.path)
        values = context.dtrace.get(left_info.path)
        if definition is not None and values is not None and definition.root.op == "/":
            top, bottom = definition.root.children
            numerator, denominator = values[top], values[bottom]
            top_info, bottom_info = definition.nodes[top], definition.nodes[bottom]
            if isinstance(numerator, (int, float)) and isinstance(denominator, (int, float)):
                needed = limit * denominator - numerator
                lever = GapLever(top_info.text, needed, top_info.dimension.canonical_unit or None, bottom_info.text)
                more_or_less = "less" if needed < 0 else "more"
                text += (f" — about {units.format_quantity(abs(needed), top_info.dimension)} {more_or_less} "
                         f"{top_info.text} at the same {bottom_info.text}")
    unit = "points" if percent else (left_info.dimension.canonical_unit or None)
    scale = 100.0 if percent else 1.0
    return Gap(metric=metric, operator=op, value=value * scale, limit=limit * scale, change=change * scale,
               unit=unit, strict=strict, lever=lever, text=text)


def _band(rule, context, period, in_force, traces) -> RuleResult:
    subject = _run(rule.subject, context, "of", traces)
    if subject is U:
        return _unknown(rule, period, in_force, traces, "the band", context)
    info = rule.subject.root
    ends = (subject.lo, subject.hi) if isinstance(subject, runtime.Bounds) else (subject, subject)
    for level in rule.levels:  # levels are intervals: bounds inside one of them decide it
        if level.contains(ends[0]) and level.contains(ends[1]):
            name = _metric_name(info.text)
            reason = f"{name} {_show(subject, info)} is in level {level.label} ({level.describe(name)})"
            return _result(rule, "pass", reason, period, in_force, trace=traces, value=level.label,
                           unit=None, limit=None)
    if isinstance(subject, runtime.Bounds):
        return _unknown(rule, period, in_force, traces, "the band", context)
    return _result(rule, "unknown", f"{_show(subject, info)} falls in no level", period, in_force, trace=traces)


def _report(rule, context, period, in_force, traces) -> RuleResult:
    if period is None:  # contract: no usable period is `unknown`, never a verdict on absent figures
        asked = context.period_asked
        why = (f"the facility has no figures for period {asked}" if asked else
               "no reporting period of this calendar ends on or before the evaluation date")
        return _result(rule, "unknown", f"cannot judge the report: {why}", period, in_force, trace=traces,
                       missing=("period",))
    due = None
    if rule.due is not None:
        due = _run(rule.due, context, "due", traces)
        due = due if runtime.known(due) else None
    items = []
    missing = []
    for item in rule.items:
        required = True
        if item.condition is not None:
            required = _run(item.condition, context, f"when {item.name}", traces)
        if required is False:
            continue
        value = _run(item.value, context, f"item {item.name}", traces)
        present = runtime.known(value)
        items.append((item.name, item.title, item.public, present))
        if not present or required is U:
            missing.append(item.name)
    due_text = f"; due {due.isoformat()}" if due else ""
    period_text = f" for {period.label}" if period is not None else ""
    if missing:
        reason = f"report{period_text} incomplete: missing {', '.join(missing)}{due_text}"
        return _result(rule, "fail", reason, period, in_force, trace=traces, missing=tuple(missing), due=due,
                       items=tuple(items))
    reason = f"all {len(items)} items available{period_text}{due_text}"
    return _result(rule, "pass", reason, period, in_force, trace=traces, due=due, items=tuple(items))
