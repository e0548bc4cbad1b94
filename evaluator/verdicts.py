"""Verdicts alone: each facility's verdict per rule and its status, without reasons, figures or traces.

What a register sweep, a CI gate or a what-if over many dates asks first is "which rules fail where";
the reasons are wanted for the few that do. This judges with the plan's verdict form
(evaluator/verdict_code.py) along exactly the decision procedure of evaluator/decide.py and the
scope handling of evaluator/engine.py, and makes one small object per facility and plan: a rule's
verdict is one of a handful of values, so its `RuleVerdict` is shared, not made per result.
tests/test_verdicts.py checks verdicts, projections and statuses against the full evaluation
over every shipped policy. Rules `for operator` are not judged here (the full evaluation judges them).
"""

from __future__ import annotations

import datetime
import gc

from ..dsl.data import frozen
from .context import Context
from .facts import Facility, LoadedInput
from .periods import NO_PERIOD, FactValues, choose_period, earlier_periods, period_values
from .status import evaluation_status
from .values import U, Bounds, known
from .verdict_code import Clause, VerdictPlan, VerdictRule


@frozen
class RuleVerdict:
    """One rule's verdict, with what the status reads of the rule (evaluator/status.py)."""

    rule: str
    severity: str
    legal_status: str | None
    verdict: str
    projection: bool = False


@frozen
class FacilityVerdicts:
    jurisdiction: str
    facility: str
    status: str
    in_scope: bool | None  # None: the scope cannot be decided
    results: tuple[RuleVerdict, ...]  # the plan's facility rules, in its order
    verdicts: tuple[str, ...]  # each result's verdict, in the same order (one tuple per combination, shared)


class _Facts(Context):
    """What the verdict form reads: a facility's facts in one period, definitions computed once each."""

    __slots__ = ("clauses", "facility")

    def __init__(self, plan: VerdictPlan, facility: Facility, period, shared: dict):
        self.name = facility.id
        self.facility = facility
        self.F = FactValues(facility.facts)
        self.P = period_values(period)
        self.period = period
        self.plan = plan.plan
        self.periods_back = None  # made when a clause reads period[-k]
        self.fiscal_start = plan.plan.fiscal_start
        self.clauses = plan.definitions
        self.memo = {}
        self.shared = shared
        self.in_scope = True
        self.scope_missing = ()
        self.record = None
        self.members = self.all_members = ()

    def back(self, k: int) -> dict:
        if self.P is NO_PERIOD:
            return NO_PERIOD
        if self.periods_back is None:
            self.periods_back = earlier_periods(self.facility, self.plan, self.period)
        return period_values(self.periods_back(k))

    def d(self, name: str):
        memo = self.memo
        if name in memo:
            return memo[name]
        value = memo[name] = _run(self.clauses[name], self)
        return value


def _run(clause: Clause, facts: _Facts):
    if not clause.constant:
        return clause.function(facts, None)
    shared = facts.shared
    key = clause.key
    if key in shared:
        return shared[key]
    value = shared[key] = clause.function(facts, None)
    return value


def judge(plans: list[VerdictPlan], loaded: LoadedInput, as_of: datetime.date, period_label: str | None = None,
          widen: frozenset = frozenset()) -> list[FacilityVerdicts]:
    """Every facility under every plan, in input order then plan order (as evaluator/engine.py orders them);
    statuses also count the set-aside results `widen` opts in (status.py, --fail-on proposed,projection)."""
    was_enabled = gc.isenabled()
    gc.disable()  # as in engine.evaluate: nothing made here needs collecting mid-run
    try:
        per_plan = [_judge_plan(plan, loaded.facilities, as_of, period_label, widen) for plan in plans]
    finally:
        if was_enabled:
            gc.enable()
    return [found[index] for index in range(len(loaded.facilities)) for found in per_plan]


def _judge_plan(plan: VerdictPlan, facilities, as_of, period_label, widen) -> list[FacilityVerdicts]:
    shared: dict = {}  # constant clauses' values, once per run; and the RuleVerdicts, one per outcome
    base = plan.plan
    subjects = [_Facts(plan, f, choose_period(f, base, as_of, period_label), shared) for f in facilities]
    groups: dict[str, list[_Facts]] = {}  # an operator's facilities, for the aggregates that read them
    for subject, facility in zip(subjects, facilities) if plan.aggregates else ():
        groups.setdefault(facility.operator_id or f"{facility.id} (no operator_id)", []).append(subject)
    for members in groups.values():  # the scope may aggregate over the operator's facilities
        for subject in members:
            subject.members = subject.all_members = members
    if plan.scope is None:
        states = [True] * len(subjects)
    else:
        states = [_scope(plan, s) for s in subjects]
        excluded = set()
        for subject, state in zip(subjects, states):
            if state is U:
                subject.in_scope = U  # an aggregate counts it as "perhaps a member" (engine.py)
            elif state is False:
                excluded.add(id(subject))
        for members in groups.values():  # `all_members` stays: aggregates `including out-of-scope` read it
            included = [m for m in members if id(m) not in excluded]
            for subject in members:
                subject.members = included
                subject.memo.clear()
    found = [_judge_facility(plan, subject, state, as_of, shared, widen) for subject, state in zip(subjects, states)]
    for subject in subjects:  # contexts name each other as members: untie them
        subject.members = subject.all_members = ()
    return found


def _scope(plan: VerdictPlan, facts: _Facts):
    value = _run(plan.scope, facts)
    for block in plan.scope_excludes:
        excluded = _run(block, facts)
        if excluded is True:
            return False
        if excluded is U and value is not False:
            value = U
    return value if value is False or value is U else True


def _judge_facility(plan: VerdictPlan, facts: _Facts, in_scope, as_of, shared, widen) -> FacilityVerdicts:
    period = facts.period
    if in_scope is True:
        results = tuple([_verdict(rule, facts, period, as_of, shared) for rule in plan.rules])
    else:
        verdict = "not_applicable" if in_scope is False else "unknown"
        results = tuple([_shared_verdict(shared, rule.rule, verdict, False) for rule in plan.rules])
    decided = None if in_scope is U else in_scope
    # the RuleVerdicts are shared: one combination of them has one status, worked out once per run
    key = ("status", decided, *map(id, results))
    status = shared.get(key)
    if status is None:
        status = shared[key] = (evaluation_status(decided, results, widen), results,
                                tuple([r.verdict for r in results]))
    return FacilityVerdicts(plan.plan.code, facts.name, status[0], decided, status[1], status[2])


def _shared_verdict(shared: dict, rule, verdict: str, projection: bool) -> RuleVerdict:
    key = (id(rule), verdict, projection)
    found = shared.get(key)
    if found is None:
        found = shared[key] = RuleVerdict(rule.rule_id, rule.severity, rule.legal_status, verdict, projection)
    return found


def _verdict(v: VerdictRule, facts: _Facts, period, as_of, shared) -> RuleVerdict:
    """evaluator/decide.py `evaluate_rule`, step for step, keeping only the verdict and projection."""
    rule = v.rule
    exclusion_undecided = False
    for block in v.excludes:
        excluded = _run(block, facts)
        if excluded is True:
            return _shared_verdict(shared, rule, "not_applicable", False)
        exclusion_undecided |= excluded is U
    if v.applies is not None:
        applies = _run(v.applies, facts)
        if applies is False:
            return _shared_verdict(shared, rule, "not_applicable", False)
        if applies is U:
            return _shared_verdict(shared, rule, "unknown", False)
    if exclusion_undecided:
        return _shared_verdict(shared, rule, "unknown", False)
    in_force = None
    if v.in_force_from is not None:
        in_force = _run(v.in_force_from, facts)
        if in_force is U:
            return _shared_verdict(shared, rule, "unknown", False)
        if as_of < in_force:
            return _shared_verdict(shared, rule, "not_in_force", False)
    if v.until is not None:
        until = _run(v.until, facts)
        if until is not U and as_of > until:
            return _shared_verdict(shared, rule, "not_applicable", False)
    projection = bool(rule.reads_period and period is not None and in_force is not None and period.end < in_force)
    if rule.kind == "band":
        verdict = _band(v, facts)
    elif rule.kind == "report":
        verdict, due = _report(v, facts, period)
        if projection and due is not None and due >= in_force:
            projection = False  # owed, not projected (decide.py)
    elif v.require is None:
        verdict = "info"
    else:
        verdict = _requirement(v, facts)
    return _shared_verdict(shared, rule, verdict, projection)


def _requirement(v: VerdictRule, facts: _Facts) -> str:
    met = _run(v.require, facts)
    if met is True:
        return "pass"
    undecided = False
    for block in v.exempts:  # a relief that holds decides, whether the requirement fails or cannot be computed
        holds = _run(block, facts)
        if holds is True:
            return "exempt"
        undecided |= holds is U
    if met is U or undecided:
        return "unknown"
    return "fail"


def _band(v: VerdictRule, facts: _Facts) -> str:
    subject = _run(v.subject, facts)
    if subject is U:
        return "unknown"
    ends = (subject.lo, subject.hi) if isinstance(subject, Bounds) else (subject, subject)
    for level in v.rule.levels:
        if level.contains(ends[0]) and level.contains(ends[1]):
            return "pass"
    return "unknown"


def _report(v: VerdictRule, facts: _Facts, period) -> tuple[str, object]:
    if period is None:
        return "unknown", None
    due = None
    if v.due is not None:
        due = _run(v.due, facts)
        due = due if known(due) else None
    for item in v.items:
        required = True
        if item.condition is not None:
            required = _run(item.condition, facts)
        if required is False:
            continue
        if not known(_run(item.value, facts)) or required is U:
            return "fail", due
    return "pass", due
