"""The values evaluation produces besides plain numbers, dates, texts and booleans.

UNKNOWN stands for "a fact this needs is missing"; NOT_EVALUATED marks trace slots of
sub-expressions that short-circuiting skipped; Bounds is an unknown number known to lie within
an interval (partial knowledge). Results carry these; renderers read them from here, never
from the runtime.
"""

from __future__ import annotations

class _Marker:
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name

    def __reduce__(self):
        return self.name


UNKNOWN = _Marker("UNKNOWN")
NOT_EVALUATED = _Marker("NOT_EVALUATED")
U = UNKNOWN


class Bounds:
    """An unknown number known to lie in [lo, hi]: partial knowledge.

    A missing fact is still unknown, but the facility contract bounds it (an energy is never
    negative, a ratio lies in [0, 1]); a sum over members some of which are missing is at least
    the sum of the known ones. Comparisons decide as soon as the bounds do, so partial knowledge
    settles a threshold without guessing (docs/language.md, "Missing facts and partial knowledge").
    """

    __slots__ = ("lo", "hi")

    def __init__(self, lo: float, hi: float):
        self.lo, self.hi = lo, hi

    def __repr__(self) -> str:
        return f"Bounds({self.lo!r}, {self.hi!r})"

    def __eq__(self, other) -> bool:
        return type(other) is Bounds and self.lo == other.lo and self.hi == other.hi

    def __hash__(self) -> int:
        return hash((self.lo, self.hi))

    def __reduce__(self):
        return (Bounds, (self.lo, self.hi))


def is_unknown(value) -> bool:
    """True for UNKNOWN and for a bounded unknown number."""
    return value is U or type(value) is Bounds


def known(value) -> bool:
    return value is not U and type(value) is not Bounds


def interval(value):
    """(lo, hi) of a number or Bounds; None for UNKNOWN or anything that is not a number."""
    kind = type(value)
    if kind is Bounds:
        return value.lo, value.hi
    if kind is float or kind is int:
        return value, value
    return None


def bounded(lo, hi):
    """The narrowest value for [lo, hi]: UNKNOWN when nothing is known (NaN from inf - inf included)."""
    if lo != lo or hi != hi or (lo == -float("inf") and hi == float("inf")):
        return UNKNOWN
    return Bounds(lo, hi)
