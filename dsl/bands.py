"""Band levels as plain data: one labelled interval of a band's subject, and whether a value is in it."""

from __future__ import annotations

import math

import attrs

from .data import frozen
from . import units
from .diagnostics import Span


@frozen
class BandLevel:
    label: str
    low: float | None  # None: -inf
    low_inclusive: bool
    high: float | None  # None: +inf
    high_inclusive: bool
    span: Span = attrs.field(eq=False)

    def contains(self, value: float) -> bool:
        # bounds are exact in law; unit conversion leaves float noise, so equality is "within 1e-9"
        def near(bound):
            return math.isclose(value, bound, rel_tol=1e-9, abs_tol=1e-12)

        above = self.low is None or (near(self.low) and self.low_inclusive) or (value > self.low and not near(self.low))
        below = self.high is None or (near(self.high) and self.high_inclusive) or (
            value < self.high and not near(self.high))
        return above and below

    def describe(self, subject: str, unit: str = "") -> str:
        """The interval in words of its subject, e.g. ``1.2 <= pue < 1.3``."""
        def fmt(v):
            return units.format_number(v) + (f" {unit}" if unit else "")
        parts = []
        if self.low is not None:
            parts.append(f"{fmt(self.low)} {'<=' if self.low_inclusive else '<'} {subject}")
        else:
            parts.append(subject)
        if self.high is not None:
            parts.append(f"{'<=' if self.high_inclusive else '<'} {fmt(self.high)}")
        return " ".join(parts)
