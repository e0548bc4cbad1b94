"""Helpers the generated plan code calls: three-valued logic over canonical values.

UNKNOWN stands for "a fact this needs is missing". Every operation propagates it, except
where logic decides without it: ``False and UNKNOWN`` is False, ``True or UNKNOWN`` is True.
NOT_EVALUATED marks trace slots of sub-expressions that short-circuiting skipped.
"""

from __future__ import annotations

import datetime
import math

from .values import NOT_EVALUATED, UNKNOWN, Bounds, U, is_unknown, known  # noqa: F401 (re-exported: the plan's vocabulary)
from .values import bounded as _bounded
from .values import interval as _interval

_INF = math.inf


def _finite(result):
    """A figure too large for a float (1e308 and beyond) is no figure at all: unknown, never a verdict."""
    if type(result) is float and (result - result) != 0.0:  # inf - inf and nan - nan are nan
        return U
    return result


def add(a, b):
    if a is U or b is U:
        return U
    if type(a) is Bounds or type(b) is Bounds:
        return _combine(a, b, lambda x, y: (x[0] + y[0], x[1] + y[1]))
    try:
        if isinstance(a, datetime.date):
            return b.add_to(a)
        if isinstance(b, datetime.date):
            return a.add_to(b)
    except (ValueError, OverflowError):  # a date beyond year 9999: no such day to compare with
        return U
    return _finite(a + b)


def sub(a, b):
    if a is U or b is U:
        return U
    if type(a) is Bounds or type(b) is Bounds:
        return _combine(a, b, lambda x, y: (x[0] - y[1], x[1] - y[0]))
    if isinstance(a, datetime.date):
        try:
            return b.add_to(a, -1)
        except (ValueError, OverflowError):
            return U
    return _finite(a - b)


def _times(x, y):
    return 0.0 if x == 0 or y == 0 else x * y  # 0 × ∞ is 0 here: an endpoint of exactly nothing


def _product(x, y):
    ends = (_times(x[0], y[0]), _times(x[0], y[1]), _times(x[1], y[0]), _times(x[1], y[1]))
    return min(ends), max(ends)


def _combine(a, b, operation):
    """Interval arithmetic on numbers and Bounds; UNKNOWN when either side is not a number."""
    left, right = _interval(a), _interval(b)
    if left is None or right is None:
        return U
    return _bounded(*operation(left, right))


def mul(a, b):
    if a is U or b is U:
        return U
    if type(a) is Bounds or type(b) is Bounds:
        return _combine(a, b, _product)
    return _finite(a * b)


def div(a, b):
    if a is U or b is U or b == 0:
        return U
    if type(a) is Bounds or type(b) is Bounds:
        right = _interval(b)
        if right is None or right[0] <= 0 <= right[1]:  # the divisor may be zero: no bound
            return U
        inverse = (1 / right[1], 1 / right[0])
        return _combine(a, Bounds(*inverse), _product)
    return _finite(a / b)


def power(a, b):
    if a is U or b is U or type(a) is Bounds or type(b) is Bounds:
        return U
    try:
        result = float(a) ** float(b)
    except (OverflowError, ZeroDivisionError, ValueError):
        return U
    return U if isinstance(result, complex) else result


def neg(a):
    if a is U:
        return U
    if type(a) is Bounds:
        return Bounds(-a.hi, -a.lo)
    return -a


_EPSILON = 1e-9


def _near(a, b) -> bool:
    """Canonical-unit conversion leaves float noise (1.5 MW = 1500.0000000002 kW); limits are exact in law."""
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(a, b, rel_tol=_EPSILON, abs_tol=1e-12)
    return a == b


def _lt(a, b) -> bool:
    return a < b and not _near(a, b)


def _le(a, b) -> bool:
    return a < b or _near(a, b)


def _decide(a, b, true_when, false_when):
    """A comparison involving Bounds: decided when every value within the bounds agrees."""
    left, right = _interval(a), _interval(b)
    if left is None or right is None:
        return U
    if true_when(left, right):
        return True
    if false_when(left, right):
        return False
    return U


def lt(a, b):
    if a is U or b is U:
        return U
    if type(a) is Bounds or type(b) is Bounds:
        return _decide(a, b, lambda x, y: _lt(x[1], y[0]), lambda x, y: _le(y[1], x[0]))
    return a < b and not _near(a, b)


def le(a, b):
    if a is U or b is U:
        return U
    if type(a) is Bounds or type(b) is Bounds:
        return _decide(a, b, lambda x, y: _le(x[1], y[0]), lambda x, y: _lt(y[1], x[0]))
    return a < b or _near(a, b)


def gt(a, b):
    return lt(b, a)


def ge(a, b):
    return le(b, a)


def eq(a, b):
    if a is U or b is U:
        return U
    if type(a) is Bounds or type(b) is Bounds:
        return _decide(a, b, lambda x, y: False, lambda x, y: _lt(x[1], y[0]) or _lt(y[1], x[0]))
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
    if a is U or type(a) is Bounds:
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


def _extreme(values, pick):
    if any(v is U for v in values):
        return U
    if any(type(v) is Bounds for v in values):
        ends = [_interval(v) for v in values]
        if any(e is None for e in ends):
            return U
        return _bounded(pick(e[0] for e in ends), pick(e[1] for e in ends))
    return pick(values)


def minimum(*values):
    return _extreme(values, min)


def maximum(*values):
    return _extreme(values, max)


def absolute(a):
    if a is U:
        return U
    if type(a) is Bounds:
        if a.lo >= 0:
            return a
        if a.hi <= 0:
            return Bounds(-a.hi, -a.lo)
        return Bounds(0.0, max(-a.lo, a.hi))
    return abs(a)


def round_(a, digits):
    """Round half away from zero on the decimal value (四捨五入, commercial rounding), not
    Python's round-half-to-even on the binary float: round(0.125, 2) is 0.13."""
    if a is U or digits is U or type(digits) is Bounds:
        return U
    if type(a) is Bounds:  # rounding is monotone: round the ends
        ends = [e if math.isinf(e) else round_(e, digits) for e in (a.lo, a.hi)]
        return U if U in ends else _bounded(*ends)
    from decimal import ROUND_HALF_UP, Decimal, InvalidOperation  # only a policy that rounds needs it

    try:
        quantum = Decimal(1).scaleb(-int(digits))
        return float(Decimal(repr(float(a))).quantize(quantum, rounding=ROUND_HALF_UP))
    except (ValueError, OverflowError, InvalidOperation):
        return U


def first_known(*thunks):
    """The first known value; when none is known, what the bounded unknowns say together."""
    seen = []
    for thunk in thunks:
        value = thunk()
        if value is not U and type(value) is not Bounds:
            return value
        seen.append(value)
    if all(type(v) is Bounds for v in seen):
        return _bounded(min(v.lo for v in seen), max(v.hi for v in seen))
    return U


def record(t, slot, value):
    """`_r` in generated code: put a node's value in its trace slot and pass it on."""
    t[slot] = value
    return value


from .aggregates import aggregate  # noqa: E402,F401 (the plan calls _rt.aggregate)


def __getattr__(name: str):
    """`_rt.quantify` and `_rt.holds`, the plan's quantifiers over records, from evaluator/quantify.py when a plan
    first calls one: a policy without `every`/`some` never imports that module (nor makes its classes)."""
    if name in ("quantify", "holds"):
        from . import quantify as quantifiers

        globals().update(quantify=quantifiers.quantify, holds=quantifiers.holds)
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def ln(x):
    """The natural logarithm; of zero or a negative number there is none: unknown, never an error."""
    if x is U or type(x) is Bounds:
        return U
    return math.log(x) if x > 0 else U


def either(a, b):
    """A limit the law states two ways that do not agree (5 tons, 18 kW): the range between them, so that
    a comparison decides only where both figures give the same answer."""
    if a is U or b is U or type(a) is Bounds or type(b) is Bounds:
        return U
    return a if a == b else Bounds(min(a, b), max(a, b))
