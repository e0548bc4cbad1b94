"""Verdicts alone over chosen plans: each plan judges the facilities it governs; operators' rules in full.

As evaluator/home.py's `evaluate_chosen` does for full results: a plan chosen everywhere judges every
facility, one chosen at home only those its territory contains. The facility rules are judged by
evaluator/verdicts.py; a plan's few `for operator` rules by the full evaluation (evaluator/engine.py,
with the plan's facility rules left out), so an operator's verdicts are exactly what `policy eval` gives.
"""

from __future__ import annotations

import datetime

import attrs

from ..dsl.data import frozen
from .engine import evaluate
from .facts import LoadedInput
from .home import governs
from .status import evaluation_status
from .verdict_code import VerdictPlan
from .verdicts import FacilityVerdicts, judge


@frozen
class Verdicts:
    """What `policy eval --format verdicts` shows: every facility's verdicts, then every operator's results."""

    as_of: datetime.date
    facilities: tuple[FacilityVerdicts, ...]  # input order, then plan order
    operators: tuple  # results.OperatorEvaluation, plan order then operator order


def judge_chosen(chosen: list[tuple[VerdictPlan, bool]], loaded: LoadedInput, as_of: datetime.date,
                 period: str | None = None, widen: frozenset = frozenset()) -> Verdicts:
    """`chosen`: (plan in verdict form, judges every facility) pairs, in the run's jurisdiction order."""
    by_pair = {}
    operators = []
    for index, (plan, everywhere) in enumerate(chosen):
        members = loaded.facilities if everywhere else tuple(f for f in loaded.facilities if governs(plan.plan, f))
        if not members:
            continue
        subset = LoadedInput(tuple(members), loaded.sources)
        by_pair.update(((v.facility, index), v) for v in judge([plan], subset, as_of, period, widen))
        if plan.operator_rules:
            only = attrs.evolve(plan.plan, rules=tuple(r for r in plan.plan.rules if r.for_operator))
            for operator in evaluate([only], subset, as_of, period, provenance=False).operators:
                operators.append(attrs.evolve(operator, status=evaluation_status(True, operator.results, widen)))
    found = tuple(by_pair[(f.id, i)] for f in loaded.facilities for i in range(len(chosen)) if (f.id, i) in by_pair)
    return Verdicts(as_of, found, tuple(operators))
