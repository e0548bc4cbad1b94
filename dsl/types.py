"""Static types of policy expressions."""

from __future__ import annotations

import datetime

from .data import frozen
from . import units
from .units import Dimension


@frozen
class Type:
    kind: str  # number | bool | date | duration | text | error
    dimension: Dimension = units.NUMBER
    values: tuple[str, ...] = ()  # allowed values of an enumerated text

    def __str__(self) -> str:
        if self.kind == "number":
            if self.dimension.is_dimensionless:
                return "a number"
            name = self.dimension.name
            return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"
        return {"bool": "true/false", "date": "a date", "duration": "a duration", "text": "a text", "records": "a list of records",
                "error": "an erroneous value"}[self.kind]

    @property
    def is_error(self) -> bool:
        return self.kind == "error"


NUMBER = Type("number")
BOOL = Type("bool")
DATE = Type("date")
DURATION = Type("duration")
TEXT = Type("text")
ERROR = Type("error")


def quantity(dimension: Dimension) -> Type:
    return Type("number", dimension)


def of_fact(fact) -> Type:
    """The type of a fact of the facility contract (a dsl.schema.FactType)."""
    if fact.kind == "quantity":
        return quantity(fact.dimension)
    if fact.kind in ("ratio", "number", "integer"):
        return NUMBER
    if fact.kind == "flag":
        return BOOL
    if fact.kind == "date":
        return DATE
    if fact.kind == "enum":
        return Type("text", values=fact.values)
    return TEXT


@frozen
class Duration:
    """A calendar duration: whole months (years are 12) plus days."""

    months: int
    days: int

    def add_to(self, day: datetime.date, sign: int = 1) -> datetime.date:
        total = day.year * 12 + (day.month - 1) + sign * self.months
        year, month = divmod(total, 12)
        month += 1
        last = (datetime.date(year + (month == 12), month % 12 + 1, 1) - datetime.timedelta(days=1)).day
        moved = datetime.date(year, month, min(day.day, last))
        return moved + datetime.timedelta(days=sign * self.days)

    # The checker lets durations add, subtract and negate (`1 year + 6 months`); the plan does it here.
    def __add__(self, other: Duration) -> Duration:
        if not isinstance(other, Duration):
            return NotImplemented
        return Duration(self.months + other.months, self.days + other.days)

    def __sub__(self, other: Duration) -> Duration:
        if not isinstance(other, Duration):
            return NotImplemented
        return Duration(self.months - other.months, self.days - other.days)

    def __neg__(self) -> Duration:
        return Duration(-self.months, -self.days)

    def __str__(self) -> str:
        parts = []
        sign = -1 if self.months < 0 else 1  # -18 months is "-1 year -6 months", not "-2 years 6 months"
        years, months = (sign * part for part in divmod(abs(self.months), 12))
        if years:
            parts.append(f"{years} year{'s' if abs(years) != 1 else ''}")
        if months:
            parts.append(f"{months} month{'s' if abs(months) != 1 else ''}")
        if self.days or not parts:
            parts.append(f"{self.days} day{'s' if abs(self.days) != 1 else ''}")
        return " ".join(parts)


DURATION_UNITS = {"year": (12, 0), "years": (12, 0), "month": (1, 0), "months": (1, 0),
                  "day": (0, 1), "days": (0, 1)}
