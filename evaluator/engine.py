"""Evaluation: a pure function of (plans, facilities, as-of date, period choice) → Run.

For each jurisdiction: prepare one context per facility, decide the scope, judge every
facility rule (evaluator/decide.py) and every operator rule (evaluator/operators.py), and give
each evaluation its status (evaluator/status.py). A missing fact makes the dependent expression
unknown; a rule whose decision depends on it is ``unknown`` and names the missing fields.
"""

from __future__ import annotations

import datetime
import gc

from .context import Context
from .decide import evaluate_rule, rule_result
from .facts import Facility, LoadedInput, Period
from .operators import evaluate_operator
from .periods import choose_period, earlier_periods, period_kind
from .plan import Plan
from .results import Decision, Evaluation, OperatorEvaluation, Run
from .status import evaluation_status
from .tracing import missing_facts, run_clause
from .values import U


class _Subject:
    """One facility prepared for one plan: its context and chosen period."""

    def __init__(self, plan: Plan, facility: Facility, period: Period | None):
        self.facility = facility
        self.period = period
        self.context = Context(plan, facility, period, earlier_periods(facility, plan, period))


def evaluate(plans: list[Plan], loaded: LoadedInput, as_of: datetime.date, period_label: str | None = None,
             provenance: bool = True) -> Run:
    """With `provenance` false, traces leave out where each fact came from (`sources`, `members`):
    verdicts, reasons and figures are the same; only the full trace (--explain) shows provenance."""
    # Evaluation allocates many small, long-lived trace tuples; the cyclic collector re-scans them
    # over and over (measured: two thirds of evaluation time at 2,000 facilities). Nothing here
    # needs collecting mid-run, so pause it and let it run once afterwards.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _evaluate(plans, loaded, as_of, period_label, provenance)
    finally:
        if was_enabled:
            gc.enable()


def _evaluate(plans, loaded, as_of, period_label, provenance=True) -> Run:
    evaluations: list[Evaluation] = []
    operators: list[OperatorEvaluation] = []
    per_plan = [_evaluate_plan(plan, loaded, as_of, period_label, provenance) for plan in plans]
    # contract order: input (facility) order, then jurisdiction order
    for index in range(len(loaded.facilities)):
        for facility_evaluations, _ in per_plan:
            evaluations.append(facility_evaluations[index])
    for _, operator_evaluations in per_plan:
        operators.extend(operator_evaluations)
    return Run(as_of, tuple(evaluations), tuple(operators))


def _operator_key(facility: Facility) -> str:
    return facility.operator_id or f"{facility.id} (no operator_id)"


def _evaluate_plan(plan: Plan, loaded: LoadedInput, as_of, period_label, provenance=True):
    subjects = [_Subject(plan, f, choose_period(f, plan, as_of, period_label)) for f in loaded.facilities]
    shared: dict = {}  # constant clauses and definitions, computed once for all the facilities
    for subject in subjects:
        subject.context.period_asked = period_label
        subject.context.provenance = provenance
        subject.context.shared = shared
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
            subject.context.scope_missing = tuple(missing_facts(state[2], subject.context))
    for members in groups.values():  # `all_members` stays: aggregates `including out-of-scope` read it
        contexts = [m.context for m in members if id(m) in in_scope]
        for subject in members:
            subject.context.members = contexts
            subject.context.memo.clear()
            subject.context.dtrace.clear()
            subject.context.dtraces.clear()
            subject.context.closures.clear()
    evaluations = [_evaluate_facility(plan, subject, state, as_of) for subject, state in zip(subjects, scope_states)]
    operator_rules = [r for r in plan.rules if r.for_operator]
    operator_evaluations = []
    if operator_rules:
        for operator, members in groups.items():
            included = [m for m in members if id(m) in in_scope]
            operator_evaluations.append(evaluate_operator(plan, operator, members, included, operator_rules,
                                                          as_of, period_label, provenance))
    for subject in subjects:  # contexts name each other as members: untie them so they are freed at once
        subject.context.members = subject.context.all_members = ()
    return evaluations, operator_evaluations


def _scope_state(plan: Plan, subject: _Subject):
    """(True | False | U, Decision or None, traces) for the jurisdiction's scope."""
    if plan.scope is None:
        return True, None, ()
    traces: list = []
    value = run_clause(plan.scope, subject.context, "scope", traces)
    for block in plan.scope_blocks:
        excluded = run_clause(block.condition, subject.context, "exclude", traces)
        if excluded is True:
            return False, Decision("scope_excluded", because=block.because, citation=block.cite), tuple(traces)
        if excluded is U and value is not False:
            value = U
    if value is False:
        return False, Decision("scope_false", title=plan.scope_title, citation=plan.scope_citation,
                               condition=plan.scope.root.text), tuple(traces)
    if value is U:
        missing = tuple(missing_facts(traces, subject.context))
        return U, Decision("scope_unknown", missing=missing), tuple(traces)
    return True, None, tuple(traces)


def _evaluate_facility(plan: Plan, subject: _Subject, scope_state, as_of) -> Evaluation:
    in_scope, scope, scope_traces = scope_state
    period = subject.period
    results = []
    for rule in plan.rules:
        if rule.for_operator:
            continue
        if in_scope is True:
            results.append(evaluate_rule(rule, subject.context, period, as_of))
        else:
            results.append(_scope_result(rule, in_scope, scope, scope_traces, period))
    decided_scope = None if in_scope is U else in_scope
    status = evaluation_status(decided_scope, results)
    facility = subject.facility
    if scope is None and status == "out_of_scope":
        shared = subject.context.shared  # one Decision for every facility no duty reaches
        scope = shared.get("no_duty") or shared.setdefault("no_duty", Decision("no_duty"))
    # fields in order: jurisdiction, facility, facility_name, source_file, source_sha256, policy_file,
    # policy_sha256, status, period, period_kind, results, scope, in_scope
    return Evaluation(plan.code, facility.id, facility.name, facility.source.path, facility.source.sha256, plan.file,
                      plan.sha256, status, period.label if period else None, period_kind(plan), tuple(results), scope,
                      decided_scope)


def _scope_result(rule, in_scope, scope: Decision, traces, period):
    """A rule of a facility the scope excludes (not_applicable) or cannot decide (unknown)."""
    if in_scope is False:
        return rule_result(rule, "not_applicable", scope, period, None, traces)
    return rule_result(rule, "unknown", scope, period, None, traces, missing=scope.missing)
