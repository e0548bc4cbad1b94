"""Runtime helpers of generated plan code: three-valued (Kleene) logic over canonical values."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dcpolicy.dsl.types import Duration
from dcpolicy.evaluator import runtime as rt

U = rt.UNKNOWN
TRUTH = st.sampled_from([True, False, U])

# Kleene's strong three-valued logic: order False < UNKNOWN < True; and = min, or = max.
_RANK = {False: 0, id(U): 1, True: 2}


def rank(v) -> int:
    return _RANK[id(v)] if v is U else _RANK[v]


def unrank(r: int):
    return {0: False, 1: U, 2: True}[r]


def thunk(value, calls: list | None = None):
    def f():
        if calls is not None:
            calls.append(value)
        return value
    return f


# ---------------------------------------------------------------- and / or / not
@given(TRUTH, TRUTH)
def test_and_is_kleene_minimum(a, b):
    assert rt.and_(a, thunk(b)) is unrank(min(rank(a), rank(b)))


@given(TRUTH, TRUTH)
def test_or_is_kleene_maximum(a, b):
    assert rt.or_(a, thunk(b)) is unrank(max(rank(a), rank(b)))


@pytest.mark.parametrize(("a", "b", "expected"), [
    (False, U, False), (U, False, False),   # false and unknown = false, either side
    (True, U, U), (U, True, U), (U, U, U),  # unknown and true = unknown
    (True, True, True),
])
def test_and_table(a, b, expected):
    assert rt.and_(a, thunk(b)) is expected


@pytest.mark.parametrize(("a", "b", "expected"), [
    (True, U, True), (U, True, True),       # true or unknown = true, either side
    (False, U, U), (U, False, U), (U, U, U),
    (False, False, False),
])
def test_or_table(a, b, expected):
    assert rt.or_(a, thunk(b)) is expected


@given(TRUTH, TRUTH)
def test_and_or_commute(a, b):
    assert rt.and_(a, thunk(b)) is rt.and_(b, thunk(a))
    assert rt.or_(a, thunk(b)) is rt.or_(b, thunk(a))


@given(TRUTH, TRUTH)
def test_de_morgan(a, b):
    assert rt.not_(rt.and_(a, thunk(b))) is rt.or_(rt.not_(a), thunk(rt.not_(b)))
    assert rt.not_(rt.or_(a, thunk(b))) is rt.and_(rt.not_(a), thunk(rt.not_(b)))


@given(TRUTH)
def test_short_circuit_skips_right_side(b):
    calls: list = []
    assert rt.and_(False, thunk(b, calls)) is False
    assert rt.or_(True, thunk(b, calls)) is True
    assert calls == []


def test_not_unknown_is_unknown():
    assert rt.not_(U) is U
    assert rt.not_(True) is False and rt.not_(False) is True


# ---------------------------------------------------------------- member / tiered
@given(st.lists(st.sampled_from(["a", "b", "c", U]), max_size=4))
def test_member_unknown_element_is_unknown(options):
    assert rt.member(U, tuple(thunk(o) for o in options)) is U


@given(st.sampled_from(["a", "b", "c"]), st.lists(st.sampled_from(["a", "b", "c", U]), max_size=5))
def test_member_three_valued(element, options):
    got = rt.member(element, tuple(thunk(o) for o in options))
    if element in options:
        assert got is True  # a match decides, whatever else is unknown
    elif U in options:
        assert got is U
    else:
        assert got is False


@given(st.lists(TRUTH, max_size=4), st.integers(0, 100))
def test_tiered_propagates_unknown_condition(conditions, otherwise):
    branches = tuple((thunk(c), thunk(i)) for i, c in enumerate(conditions))
    got = rt.tiered(branches, thunk(otherwise))
    expected = otherwise
    for index, c in enumerate(conditions):
        if c is U:
            expected = U
            break
        if c is True:
            expected = index
            break
    assert got is expected or got == expected


def test_tiered_unknown_value_of_chosen_tier():
    assert rt.tiered(((thunk(True), thunk(U)),), thunk(1)) is U
    assert rt.tiered(((thunk(False), thunk(U)),), thunk(1)) == 1


# ---------------------------------------------------------------- comparisons and arithmetic
NUMBERS = st.floats(min_value=1e-6, max_value=1e9, allow_nan=False, allow_infinity=False)


@given(NUMBERS)
def test_comparisons_with_unknown_are_unknown(x):
    for op in (rt.lt, rt.le, rt.gt, rt.ge, rt.eq, rt.ne):
        assert op(U, x) is U and op(x, U) is U


@given(NUMBERS)
def test_equality_survives_unit_conversion_noise(x):
    # a figure converted to canonical units and back, e.g. MW -> kW -> MW
    noisy = x * 1000.0 / 1000.0 * (1 + 1e-13)
    assert rt.le(noisy, x) is True and rt.ge(noisy, x) is True
    assert rt.lt(noisy, x) is False and rt.gt(noisy, x) is False
    assert rt.eq(noisy, x) is True


def test_le_at_limit_after_conversion():
    assert rt.le(1.5 * 1000.0, 1500.0) is True
    assert rt.le(8.19e6 / 6.3e6, 1.3) is True  # 1.2999999999999998
    assert rt.lt(8.19e6 / 6.3e6, 1.3) is False
    assert rt.gt(1.3000001, 1.3) is True


@given(st.sampled_from([rt.add, rt.sub, rt.mul, rt.div, rt.power, rt.minimum, rt.maximum]), NUMBERS)
def test_arithmetic_propagates_unknown(op, x):
    assert op(U, x) is U and op(x, U) is U


def test_division_by_zero_is_unknown():
    assert rt.div(1.0, 0.0) is U


def test_first_known_and_dates():
    assert rt.first_known(thunk(U), thunk(U), thunk(3.0)) == 3.0
    assert rt.first_known(thunk(U)) is U
    assert rt.make_date(2025, 2, 30) is U
    assert rt.year(U) is U


# ---------------------------------------------------------------- fiscal years
@pytest.mark.parametrize(("day", "fy"), [
    (datetime.date(2029, 3, 31), 2028), (datetime.date(2029, 4, 1), 2029), (datetime.date(2029, 1, 1), 2028),
])
def test_fiscal_year_april(day, fy):
    assert rt.fiscal_year(day, (4, 1)) == fy


@given(st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2150, 12, 31)),
       st.sampled_from([(1, 1), (4, 1), (7, 1), (10, 1)]))
def test_fiscal_year_bounds_contain_the_day(day, start):
    fy = rt.fiscal_year(day, start)
    assert rt.start_of_fiscal_year(fy, start) <= day <= rt.end_of_fiscal_year(fy, start)
    assert rt.end_of_fiscal_year(fy, start) + datetime.timedelta(days=1) == rt.start_of_fiscal_year(fy + 1, start)


# ---------------------------------------------------------------- aggregates
def test_weighted_mean_with_where():
    members = [{"v": 1.5, "w": 15.0, "full": True}, {"v": 3.0, "w": 30.0, "full": False}]
    got = rt.aggregate("weighted_mean", members, lambda m: m["v"], lambda m: m["w"], lambda m: m["full"])
    assert got == pytest.approx(1.5)
    got = rt.aggregate("weighted_mean", members, lambda m: m["v"], lambda m: m["w"], None)
    assert got == pytest.approx(2.5)


def test_aggregate_unknown_member_value_is_unknown():
    members = [1.0, U]
    assert rt.aggregate("sum", members, lambda m: m, None, None) is U
    assert rt.aggregate("mean", [], lambda m: m, None, None) is U
    assert rt.aggregate("count", [], lambda m: m, None, None) == 0.0


def test_any_all_unknown_that_does_not_matter():
    assert rt.aggregate("any", [U, True], lambda m: m, None, None) is True
    assert rt.aggregate("all", [U, False], lambda m: m, None, None) is False


def test_any_all_unknown_that_matters():
    assert rt.aggregate("any", [U, False], lambda m: m, None, None) is U
    assert rt.aggregate("all", [U, True], lambda m: m, None, None) is U


# ---------------------------------------------------------------- values with no answer are unknown, never a crash
@pytest.mark.parametrize("call", [
    lambda: rt.power(-8.0, 1 / 3),  # would be complex
    lambda: rt.power(10.0, 1e6),  # overflows
    lambda: rt.start_of_fiscal_year(1e12, (4, 1)),
    lambda: rt.end_of_fiscal_year(9999, (4, 1)),
    lambda: rt.make_date(2025, 2, 30),
    lambda: rt.make_date(float("inf"), 1, 1),
    lambda: rt.add(datetime.date(9999, 6, 1), Duration(12, 0)),
    lambda: rt.sub(datetime.date(1, 6, 1), Duration(12, 0)),
    lambda: rt.div(1.0, 0.0),
])
def test_operations_without_an_answer_are_unknown(call):
    assert call() is rt.UNKNOWN


def test_durations_add_subtract_and_negate_as_the_checker_allows():
    grace = rt.add(Duration(12, 0), Duration(6, 0))  # 1 year + 6 months
    assert grace == Duration(18, 0) and str(grace) == "1 year 6 months"
    assert rt.sub(Duration(12, 0), Duration(0, 3)) == Duration(12, -3)
    assert rt.neg(Duration(18, 0)) == Duration(-18, 0) and str(Duration(-18, 0)) == "-1 year -6 months"
    assert rt.add(datetime.date(2024, 1, 31), grace) == datetime.date(2025, 7, 31)
    assert rt.add(datetime.date(2024, 3, 31), rt.neg(Duration(1, 0))) == datetime.date(2024, 2, 29)
    assert rt.add(Duration(1, 0), U) is U


@pytest.mark.parametrize("value, digits, expected", [
    (0.125, 2, 0.13), (98.95, 1, 99.0), (98.85, 1, 98.9), (2.5, 0, 3.0), (-2.5, 0, -3.0), (1.2345, 3, 1.235),
    (99.04999, 1, 99.0),
])
def test_round_is_half_away_from_zero_on_the_decimal_value(value, digits, expected):
    assert rt.round_(value, digits) == expected


def test_arithmetic_that_overflows_is_unknown_not_infinite():
    assert rt.mul(1e200, 1e200) is rt.UNKNOWN
    assert rt.add(1.7e308, 1.7e308) is rt.UNKNOWN
    assert rt.div(1e300, 1e-300) is rt.UNKNOWN
    assert rt.le(rt.mul(1e200, 1e200), 1.3) is rt.UNKNOWN  # never a pass on an infinite PUE
    assert rt.mul(2.0, 3.0) == 6.0
