"""Helpers the generated plan code calls: three-valued logic over canonical values.

UNKNOWN stands for "a fact this needs is missing". Every operation propagates it, except
where logic decides without it: ``False and UNKNOWN`` is False, ``True or UNKNOWN`` is True.
NOT_EVALUATED marks trace slots of sub-expressions that short-circuiting skipped.
"""

from __future__ import annotations

import datetime
import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


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


def add(a, b):
    if a is U or b is U:
        return U
    try:
        if isinstance(a, datetime.date):
            return b.add_to(a)
        if isinstance(b, datetime.date):
            return a.add_to(b)
    except (ValueError, OverflowError):  # a date beyond year 9999: no such day to compare with
        return U
    return a + b


def sub(a, b):
    if a is U or b is U:
        return U
    if isinstance(a, datetime.date):
        try:
            return b.add_to(a, -1)
        except (ValueError, OverflowError):
            return U
    return a - b


def mul(a, b):
    return U if a is U or b is U else a * b


def div(a, b):
    if a is U or b is U or b == 0:
        return U
    return a / b


def power(a, b):
    if a is U or b is U:
        return U
    try:
        result = float(a) ** float(b)
    except (OverflowError, ZeroDivisionError, ValueError):
        return U
    return U if isinstance(result, complex) else result


def neg(a):
    return U if a is U else -a


_EPSILON = 1e-9


def _near(a, b) -> bool:
    """Canonical-unit conversion leaves float noise (1.5 MW = 1500.0000000002 kW); limits are exact in law."""
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(a, b, rel_tol=_EPSILON, abs_tol=1e-12)
    return a == b


def lt(a, b):
    return U if a is U or b is U else (a < b and not _near(a, b))


def le(a, b):
    return U if a is U or b is U else (a < b or _near(a, b))


def gt(a, b):
    return U if a is U or b is U else (a > b and not _near(a, b))


def ge(a, b):
    return U if a is U or b is U else (a > b or _near(a, b))


def eq(a, b):
    if a is U or b is U:
        return U
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return _near(a, b)
    return a == b


def ne(a, b):
    result = eq(a, b)
    return U if result is U else not result


def not_(a):
    return U if a is U else not a


def and_(a, right):
    if a is False:
        return False
    b = right()
    if b is False:
        return False
    if a is U or b is U:
        return U
    return True


def or_(a, right):
    if a is True:
        return True
    b = right()
    if b is True:
        return True
    if a is U or b is U:
        return U
    return False


def member(a, options):
    if a is U:
        return U
    saw_unknown = False
    for option in options:
        value = option()
        if value is U:
            saw_unknown = True
        elif eq(a, value) is True:
            return True
    return U if saw_unknown else False


def tiered(branches, otherwise):
    for condition, value in branches:
        decided = condition()
        if decided is U:
            return U
        if decided:
            return value()
    return otherwise()


def fiscal_year(day, start):
    if day is U:
        return U
    month, dom = start
    return day.year if (day.month, day.day) >= (month, dom) else day.year - 1


def start_of_fiscal_year(year, start):
    if year is U:
        return U
    try:
        return datetime.date(int(year), start[0], start[1])
    except (ValueError, OverflowError):
        return U


def end_of_fiscal_year(year, start):
    if year is U:
        return U
    try:
        return datetime.date(int(year) + 1, start[0], start[1]) - datetime.timedelta(days=1)
    except (ValueError, OverflowError):
        return U


def year(day):
    return U if day is U else day.year


def make_date(y, m, d):
    if U in (y, m, d):
        return U
    try:
        return datetime.date(int(y), int(m), int(d))
    except (ValueError, OverflowError):
        return U


def minimum(*values):
    return U if any(v is U for v in values) else min(values)


def maximum(*values):
    return U if any(v is U for v in values) else max(values)


def absolute(a):
    return U if a is U else abs(a)


def round_(a, digits):
    """Round half away from zero on the decimal value (四捨五入, commercial rounding), not
    Python's round-half-to-even on the binary float: round(0.125, 2) is 0.13."""
    if a is U or digits is U:
        return U
    try:
        quantum = Decimal(1).scaleb(-int(digits))
        return float(Decimal(repr(float(a))).quantize(quantum, rounding=ROUND_HALF_UP))
    except (ValueError, OverflowError, InvalidOperation):
        return U


def first_known(*thunks):
    for thunk in thunks:
        value = thunk()
        if value is not U:
            return value
    return U


def aggregate(kind, members, value, weight, where):
    """Aggregate over the operator's member contexts; any unknown that matters makes the result unknown."""
    if kind in ("any", "all"):
        return _any_all(kind == "any", members, value, where)
    values, weights = [], []
    for m in members:
        if where is not None:
            keep = where(m)
            if keep is U:
                return U
            if not keep:
                continue
        v = value(m)
        if v is U:
            return U
        values.append(v)
        if weight is not None:
            w = weight(m)
            if w is U:
                return U
            weights.append(w)
    if kind == "count":
        return float(len(values))
    if not values:
        return U
    if kind == "sum":
        return float(sum(values))
    if kind == "mean":
        return sum(values) / len(values)
    if kind == "weighted_mean":
        total = sum(weights)
        return U if total == 0 else sum(v * w for v, w in zip(values, weights)) / total
    if kind == "minimum":
        return min(values)
    if kind == "maximum":
        return max(values)
    raise ValueError(kind)


def _any_all(is_any: bool, members, value, where):
    """Kleene any/all: one member that settles the answer decides, even beside unknown ones."""
    settles = is_any
    saw_unknown = False
    for m in members:
        keep = True if where is None else where(m)
        if keep is False:
            continue
        v = value(m)
        if keep is True and v is settles:
            return settles
        if keep is U or v is U:
            saw_unknown = True
    return U if saw_unknown else (not settles)
