"""Operator-level rules (`for operator`): judged once per operator over its facilities, for one period label."""

from __future__ import annotations

from .context import Context
from .decide import evaluate_rule
from .periods import choose_period, earlier_periods, expected_label, label_period, normalise_label
from .results import Decision, OperatorEvaluation
from .status import evaluation_status


def evaluate_operator(plan, operator: str, members, included, rules, as_of, period_label,
                      provenance: bool = True) -> OperatorEvaluation:
    """`members` are the operator's subjects (facility, period, context); `included` those in the
    jurisdiction's scope or perhaps in it (their context's `in_scope` is UNKNOWN)."""
    labels = {m.period.label for m in included if m.period is not None}
    if period_label is not None:
        label = normalise_label(period_label)
    else:
        label = max(labels, key=lambda text: (len(text), text)) if labels else expected_label(plan, as_of)
    everyone = []  # every facility of the operator; `contexts` are those in (or perhaps in) the scope
    for member in members:
        chosen = choose_period(member.facility, plan, as_of, label)
        member_context = Context(plan, member.facility, chosen, earlier_periods(member.facility, plan, chosen))
        member_context.in_scope = member.context.in_scope
        member_context.scope_missing = member.context.scope_missing
        everyone.append(member_context)
    kept = {id(m) for m in included}
    contexts = [c for m, c in zip(members, everyone) if id(m) in kept]
    context = Context(plan, members=contexts)
    context.all_members = everyone
    context.record_members = True
    context.provenance = provenance
    for member_context in everyone:
        member_context.members = contexts
        member_context.all_members = everyone
    pseudo_period = label_period(plan, label)
    results = tuple(evaluate_rule(rule, context, pseudo_period, as_of) for rule in rules)
    for member_context in everyone:  # untie the contexts that name each other, so they are freed at once
        member_context.members = member_context.all_members = ()
    status = evaluation_status(True, results)
    return OperatorEvaluation(plan.code, operator, tuple(m.facility.id for m in members), label,
                              plan.file, plan.sha256, results, status=status,
                              scope=Decision("no_duty") if status == "out_of_scope" else None)
