"""Which reporting period a rule reads: the policy's calendar, the latest period ended as of the date, or --period."""

from __future__ import annotations

import datetime

import attrs

from . import runtime
from .facts import Facility, Period
from .plan import Plan

NO_PERIOD: dict = {}


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
        return NO_PERIOD
    values = {path: fact.value for path, fact in period.facts.items()}
    values["start"] = period.start
    values["end"] = period.end
    return values


def earlier_periods(facility: Facility, plan: Plan, chosen: Period | None):
    """k -> the period of the same calendar k years before the chosen one (None if absent)."""
    by_start = {p.start: p for p in candidate_periods(facility, plan)}

    def back(k: int) -> Period | None:
        if chosen is None:
            return None
        try:
            start = chosen.start.replace(year=chosen.start.year - k)
        except ValueError:
            return None
        return by_start.get(start)

    return back


def expected_label(plan: Plan, as_of: datetime.date) -> str:
    """The label of the latest period of the plan's calendar ending on or before as_of."""
    current = runtime.fiscal_year(as_of, plan.fiscal_start)
    ends = runtime.end_of_fiscal_year(current, plan.fiscal_start)
    last_complete = current if as_of >= ends else current - 1
    return f"FY{last_complete}" if period_kind(plan) == "fiscal" else str(last_complete)


@attrs.frozen
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
