"""Shared pieces of the plain-Python references (issue 12 item 8): three-valued logic, periods, verdicts.

Written from docs/language.md ("How a rule is evaluated") and the facility contract
(/work/shared/contracts/facility-v1.md, "Which period a rule reads"), not from the evaluator: `None`
is an unknown value, and the verdict of a rule follows the contract's steps in plain `if`s.
"""

from __future__ import annotations

import calendar
import datetime
import random

import attrs

U = None  # an unknown value


# ---------------------------------------------------------------- three-valued logic (Kleene)
def AND(*values):
    if any(v is False for v in values):
        return False
    return U if any(v is U for v in values) else True


def OR(*values):
    if any(v is True for v in values):
        return True
    return U if any(v is U for v in values) else False


def NOT(value):
    return U if value is U else not value


def cmp(left, op: str, right):
    """A comparison; unknown when either side is. Two figures that differ by at most one part in a
    billion are equal (docs/language.md, "Comparisons": the law's limits are exact, unit conversion and
    division leave float noise)."""
    if left is U or right is U:
        return U
    if isinstance(left, (datetime.date, str)) or abs(left) == float("inf") or abs(right) == float("inf"):
        same = left == right
    else:
        same = abs(left - right) <= 1e-9 * max(abs(left), abs(right)) or abs(left - right) <= 1e-12
    return {"<=": left < right or same, "<": left < right and not same, ">=": left > right or same,
            ">": left > right and not same, "==": same}[op]


def div(a, b):
    return U if a is U or b is U or b == 0 else a / b


def first_known(*values):
    return next((v for v in values if v is not U), U)


def plus_years(day, years: int):
    """`date + N years`: the same day N years on, 29 February becoming 28 February (language.md)."""
    if day is U:
        return U
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def plus_months(day, months: int):
    if day is U:
        return U
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# ---------------------------------------------------------------- facilities as the references read them
def get(tree: dict | None, path: str):
    """A field of the generated facility (dotted path); unknown when absent. Quantities are `Q`."""
    node = tree
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return U
        node = node[part]
    return node.value if isinstance(node, Q) else node


def flag(tree: dict | None, path: str) -> bool:
    """A flag: false when absent (facility contract v1, "Values")."""
    return bool(get(tree, path))


@attrs.frozen
class Q:
    """A quantity as the generator writes it: `value` in the unit the reference computes in, `text` as
    the YAML says it (the same amount in that or another unit)."""

    value: float
    text: str


def judged_period(facility: dict, as_of: datetime.date, fiscal_start: tuple[int, int] = (1, 1)):
    """The latest period of the calendar (calendar years, or fiscal years from `fiscal_start`) that ends
    on or before `as_of`, as (start, end, figures); None when there is none (contract, "Which period")."""
    best = None
    for entry in facility.get("periods", []):
        start, end = period_bounds(entry["period"], fiscal_start)
        if start is None or end > as_of:
            continue
        if best is None or end > best[1]:
            best = (start, end, entry)
    return best


def period_bounds(label, fiscal_start):
    """The bounds of a period label when it is one of the calendar's periods, else (None, None)."""
    text = str(label)
    fiscal = text.startswith("FY")
    year = int(text[2:] if fiscal else text)
    if fiscal:
        start = datetime.date(year, 4, 1)
        end = datetime.date(year + 1, 3, 31)
    else:
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    wanted = datetime.date(year, *fiscal_start)
    if start != wanted:
        return None, None
    return start, end


# ---------------------------------------------------------------- the verdict of one rule
@attrs.frozen
class Outcome:
    verdict: str
    projection: bool = False
    level: str | None = None  # a band's level

    def __str__(self) -> str:
        return self.verdict + (" (projection)" if self.projection else "") + (f" {self.level}" if self.level else "")


ALWAYS = datetime.date.min  # a rule without a `from`: in force on every date


def rule(*, scope=True, excludes=(), applies=True, in_force=ALWAYS, as_of, require, exempts=(), period_end=None,
         reads_period=True) -> Outcome:
    """docs/language.md, "How a rule is evaluated": scope; exclusions; applies; in force; requirement;
    reliefs. `require` and `exempts` are functions, called only when the steps before let them decide;
    `period_end` is the end of the period read (None: none), for the projection mark."""
    if scope is False:
        return Outcome("not_applicable")
    if scope is U:
        return Outcome("unknown")
    if any(e is True for e in excludes):
        return Outcome("not_applicable")
    if applies is False:
        return Outcome("not_applicable")
    if applies is U or any(e is U for e in excludes):
        return Outcome("unknown")
    if in_force is U:
        return Outcome("unknown")
    if as_of < in_force:
        return Outcome("not_in_force")
    projection = bool(reads_period and period_end is not None and period_end < in_force)
    if require is None:  # an encouragement: nothing to check, it addresses the facility
        return Outcome("info", projection)
    met = require()
    if met is True:
        return Outcome("pass", projection)
    undecided = False
    for relief in exempts:
        holds = relief()
        if holds is True:
            return Outcome("exempt", projection)
        undecided |= holds is U
    if met is U or undecided:
        return Outcome("unknown", projection)
    return Outcome("fail", projection)


def band(value, levels, *, scope=True, applies=True, in_force=ALWAYS, as_of=None, period_end=None,
         reads_period=True) -> Outcome:
    """A classification: the first level (label, low, low_included, high, high_included) holding `value`."""
    if scope is not True or applies is not True:
        return Outcome("unknown" if U in (scope, applies) and False not in (scope, applies) else "not_applicable")
    if in_force is U:
        return Outcome("unknown")
    if as_of is not None and as_of < in_force:
        return Outcome("not_in_force")
    projection = bool(reads_period and period_end is not None and period_end < in_force)
    if value is U:
        return Outcome("unknown", projection)
    for label, low, low_in, high, high_in in levels:
        above = cmp(value, ">=" if low_in else ">", low)
        below = cmp(value, "<=" if high_in else "<", high)
        if above and below:
            return Outcome("pass", projection, level=label)
    return Outcome("unknown", projection)


# ---------------------------------------------------------------- generating facilities at the edges
class Edges:
    """A seeded generator that prefers the values the law draws lines at."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, *choices):
        return self.rng.choice(choices)

    def around(self, limit: float, spread: float, exact: float = 0.3, step: float = 0.0):
        """Exactly `limit` (probability `exact`), one `step` either side of it, or a random value
        within `spread` of it."""
        roll = self.rng.random()
        if roll < exact:
            return limit
        if step and roll < exact + 0.2:
            return limit + self.rng.choice((-step, step))
        return round(limit + self.rng.uniform(-spread, spread), 4)

    def day_around(self, day: datetime.date, spread_days: int = 800) -> datetime.date:
        """The day before, the day itself, the day after, or a random day near it."""
        roll = self.rng.random()
        if roll < 0.5:
            return day + datetime.timedelta(days=self.rng.choice((-1, 0, 0, 1)))
        return day + datetime.timedelta(days=self.rng.randint(-spread_days, spread_days))

    def maybe(self, value, p_missing: float = 0.1):
        """`value`, or absent (the key left out) with probability `p_missing`."""
        return MISSING if self.chance(p_missing) else value


def years(edges: Edges, as_of: datetime.date, fiscal: bool = False) -> list[int]:
    """The years of the periods to write: usually the one just ended, sometimes the one before it and
    the current one (a period ending on the as-of date itself is judged), sometimes none."""
    last = as_of.year - 1 if not fiscal else (as_of.year - 1 if as_of.month >= 4 else as_of.year - 2)
    chosen = [y for y, p in ((last - 1, 0.3), (last, 0.8), (last + 1, 0.3)) if edges.chance(p)]
    return chosen


MISSING = object()  # a key the generated facility leaves out


def prune(tree):
    """The generated tree without its MISSING entries (and without groups left empty)."""
    if isinstance(tree, dict):
        out = {}
        for key, value in tree.items():
            if value is MISSING:
                continue
            value = prune(value)
            if isinstance(value, dict) and not value:
                continue
            out[key] = value
        return out
    if isinstance(tree, list):
        return [prune(v) for v in tree]
    return tree


def energy_pair(edges: Edges, limits, it_kwh: float | None = None):
    """energy.total and energy.it (kWh) whose ratio is often exactly one of `limits`, or a hair either
    side of it; values written in kWh so that the ratio is the quotient of two exact numbers."""
    it = it_kwh or edges.pick(1000, 2000, 4000, 10000, 1_000_000, 3_000_000)
    roll = edges.rng.random()
    limit = edges.pick(*limits)
    if roll < 0.35:
        total = limit * it
    elif roll < 0.55:
        total = limit * it + edges.pick(-1, 1)
    else:
        total = it * edges.rng.uniform(1.0, 2.2)
    total = max(round(total, 3), it)
    return Q(float(total), f"{total} kWh"), Q(float(it), f"{it} kWh")
