"""Which reporting period a rule reads: the policy's calendar, the latest period ended as of the date, or --period."""

from __future__ import annotations

import datetime

from ..dsl.data import frozen
from . import runtime
from .facts import Facility, Period
from .plan import Plan

NO_PERIOD: dict = {}
_ONE_DAY = datetime.timedelta(days=1)


def period_kind(plan: Plan) -> str:
    return "fiscal" if plan.calendar == "fiscal-year" else "calendar"


def _matches_calendar(period: Period, plan: Plan) -> bool:
    month, day = plan.fiscal_start
    start = period.start
    if start.month != month or start.day != day:  # most periods are told apart here, without making dates
        return False
    end = period.end
    if month == 1 and day == 1:  # a calendar year: ends on 31 December of the same year, no date to make
        return end.day == 31 and end.month == 12 and end.year == start.year
    return end == datetime.date(start.year + 1, month, day) - _ONE_DAY


def candidate_periods(facility: Facility, plan: Plan) -> list[Period]:
    return [p for p in facility.periods if _matches_calendar(p, plan)]


def normalise_label(label: str) -> str:
    """'fy 2024', 'FY2024' and ' FY2024 ' name the same period."""
    return "".join(label.split()).upper()


def choose_period(facility: Facility, plan: Plan, as_of: datetime.date, label: str | None) -> Period | None:
    if label is not None:
        wanted = normalise_label(label)
        return next((p for p in candidate_periods(facility, plan) if normalise_label(p.label) == wanted), None)
    # the latest period of the plan's calendar ended by as_of (the first such, on a tie), in one pass that
    # makes a date only for a period that would be chosen: every facility of every run comes here
    month, day = plan.fiscal_start
    chosen = None
    for period in facility.periods:
        start, end = period.start, period.end
        if start.month != month or start.day != day or end > as_of or (chosen is not None and end <= chosen.end):
            continue
        if _matches_calendar(period, plan):
            chosen = period
    return chosen


class FactValues:
    """The values of a table of facts as the generated code reads them, ``get(path, U)``, without copying
    the table: a plan reads a handful of a facility's facts, and copying them all cost more than judging."""

    __slots__ = ("facts",)

    def __init__(self, facts: dict):
        self.facts = facts

    def get(self, path: str, default):
        fact = self.facts.get(path)
        return default if fact is None else fact.value


class PeriodValues(FactValues):
    """A period's facts, and its bounds as `start` and `end` (which its label gives, not a fact)."""

    __slots__ = ("start", "end")

    def __init__(self, period: Period):
        self.facts, self.start, self.end = period.facts, period.start, period.end

    def get(self, path: str, default):
        if path == "start":
            return self.start
        if path == "end":
            return self.end
        fact = self.facts.get(path)
        return default if fact is None else fact.value


def period_values(period: Period | None):
    return NO_PERIOD if period is None else PeriodValues(period)


class EarlierPeriods:
    """k -> the period of the same calendar k years before the chosen one (None if absent); the
    facility's periods are looked through only when a plan reads an earlier period (period[-k])."""

    __slots__ = ("facility", "plan", "chosen", "by_start")

    def __init__(self, facility: Facility, plan: Plan, chosen: Period | None):
        self.facility, self.plan, self.chosen, self.by_start = facility, plan, chosen, None

    def __call__(self, k: int) -> Period | None:
        chosen = self.chosen
        if chosen is None:
            return None
        try:
            start = chosen.start.replace(year=chosen.start.year - k)
        except ValueError:
            return None
        if self.by_start is None:
            self.by_start = {p.start: p for p in candidate_periods(self.facility, self.plan)}
        return self.by_start.get(start)


earlier_periods = EarlierPeriods


def expected_label(plan: Plan, as_of: datetime.date) -> str:
    """The label of the latest period of the plan's calendar ending on or before as_of."""
    current = runtime.fiscal_year(as_of, plan.fiscal_start)
    ends = runtime.end_of_fiscal_year(current, plan.fiscal_start)
    last_complete = current if as_of >= ends else current - 1
    return f"FY{last_complete}" if period_kind(plan) == "fiscal" else str(last_complete)


@frozen
class LabelPeriod:
    """The period an operator-level rule judges: a label and its bounds."""

    label: str
    start: datetime.date
    end: datetime.date


def label_period(plan: Plan, label: str) -> LabelPeriod | None:
    digits = "".join(ch for ch in label if ch.isdigit())
    if len(digits) != 4:
        return None
    month, day = plan.fiscal_start
    start = datetime.date(int(digits), month, day)
    end = datetime.date(int(digits) + 1, month, day) - datetime.timedelta(days=1)
    return LabelPeriod(label, start, end)
