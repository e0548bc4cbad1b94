"""Report deadlines of periods the file has no figures for yet, from each policy's own `due` expression.

A report's due date follows from its period (e.g. 31 March after the calendar year), so the report of
the next period is due on a known day before any of its figures exist. To ask the policy rather than
repeat its dates, the facility gets the next periods of the policy's calendar carrying the latest
period's figures (as projections do: whether a report is owed may depend on them, e.g. Japan's
1,500 kl threshold), and the report rules are judged on them; only their `due` is read from that Run.
"""

from __future__ import annotations

import datetime

import attrs

from ..dsl.data import frozen
from ..dsl.diagnostics import Span
from ..dsl.schema import PERIOD_FIELDS
from .facts import Fact, LoadedInput, Period
from .periods import candidate_periods, period_kind
from .plan import Plan

MAX_PERIODS_AHEAD = 5


@frozen
class Upcoming:
    """A report due for a period to come: which facility, which rule, which period, by when."""

    facility: str
    jurisdiction: str
    rule: str
    title: str
    severity: str
    legal_status: str | None
    period: str
    due: datetime.date


def _period(plan: Plan, start_year: int, latest: Period | None, file: str) -> Period:
    month, day = plan.fiscal_start
    start = datetime.date(start_year, month, day)
    end = datetime.date(start_year + 1, month, day) - datetime.timedelta(days=1)
    label = f"FY{start_year}" if period_kind(plan) == "fiscal" else str(start_year)
    facts = dict(latest.facts) if latest is not None else {
        path: Fact(ftype.default, None, None) for path, ftype in PERIOD_FIELDS.items() if ftype.default is not None}
    return Period(label, period_kind(plan), start, end, facts, latest.span if latest else Span.point(file, 1, 1))


def reports_ahead(plan: Plan, loaded: LoadedInput, facilities, through: datetime.date) -> list[Upcoming]:
    """The reports of the periods after each facility's last one whose due date falls on or before `through`."""
    from .engine import evaluate

    reports = [r for r in plan.rules if r.kind == "report" and not r.for_operator]
    if not reports:
        return []
    upcoming = []
    for facility in facilities:
        known = candidate_periods(facility, plan)
        latest = max(known, key=lambda p: p.start) if known else None
        next_year = latest.start.year + 1 if latest else through.year - 1
        for year in range(next_year, next_year + MAX_PERIODS_AHEAD):
            period = _period(plan, year, latest, facility.source.path)
            if period.start > through:
                break
            extended = attrs.evolve(facility, periods=tuple(facility.periods) + (period,))
            run = evaluate([plan], LoadedInput((extended,), loaded.sources), through, period.label)
            for evaluation in run.evaluations:
                for result in evaluation.results:
                    if result.rule in {r.rule_id for r in reports} and result.due and result.due <= through \
                            and result.period == period.label:
                        upcoming.append(Upcoming(facility.id, plan.code, result.rule, result.title,
                                                 result.severity, result.legal_status, period.label, result.due))
    return upcoming
