"""Aggregates over an operator's facilities (sum, mean, count, minimum, maximum, any, all), with partial knowledge."""

from __future__ import annotations

import math

from .values import U, known
from .values import bounded as _bounded
from .values import interval as _interval

_INF = math.inf


_ANYTHING = (-_INF, _INF)


def aggregate(kind, members, value, weight, where, within=None, everyone=False):
    """Aggregate over the operator's member contexts, with partial knowledge.

    Members whose value is unknown (or whose `where` is undecided) widen the result into Bounds
    instead of hiding what the known members already settle: a sum whose known part reaches a
    threshold is at least that much, because the contract bounds every unknown (energy ≥ 0).
    `within` is the range the compiler proved for the aggregated expression (None: unbounded).
    `everyone` (`including out-of-scope`): every member counts, so one whose scope is undecided is
    surely counted, not "perhaps" (jp: the whole DC business's energy, in the size test or not).
    """
    unknown_member = _ANYTHING if within is None else (within.lo, within.hi)
    if kind in ("any", "all"):
        return _any_all(kind == "any", members, value, where, everyone)
    surely: list = []  # values of members surely counted
    perhaps: list = []  # values of members whose `where` is undecided
    weights: list = []
    for m in members:
        keep = True if where is None else where(m)
        if keep is True and not everyone and getattr(m, "in_scope", True) is not True:  # scope undecided: perhaps
            keep = U
        if keep is False:
            continue
        v = 1.0 if kind == "count" else value(m)
        (surely if keep is True else perhaps).append(v)
        if weight is not None:
            weights.append(weight(m))
    if kind == "count":
        return float(len(surely)) if not perhaps else _bounded(float(len(surely)), float(len(surely) + len(perhaps)))
    if not surely:  # the set may be empty: no value
        return U
    if not perhaps and all(known(v) for v in surely) and all(known(w) for w in weights):
        return _exact(kind, surely, weights)
    if kind in ("mean", "weighted_mean"):
        return U
    sure = [_interval(v) or unknown_member for v in surely]
    unsure = [_interval(v) or unknown_member for v in perhaps]
    if kind == "sum":  # an undecided member adds nothing or its value
        return _bounded(sum(lo for lo, _ in sure) + sum(min(lo, 0.0) for lo, _ in unsure),
                        sum(hi for _, hi in sure) + sum(max(hi, 0.0) for _, hi in unsure))
    if kind == "maximum":
        return _bounded(max(lo for lo, _ in sure), max(hi for _, hi in sure + unsure))
    if kind == "minimum":
        return _bounded(min(lo for lo, _ in sure + unsure), min(hi for _, hi in sure))
    raise ValueError(kind)


def _exact(kind, values, weights):
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


def _any_all(is_any: bool, members, value, where, everyone=False):
    """Kleene any/all: one member that settles the answer decides, even beside unknown ones; a member
    that may or may not count matters only if its value could settle the answer."""
    settles = is_any
    saw_unknown = False
    for m in members:
        keep = True if where is None else where(m)
        if keep is True and not everyone and getattr(m, "in_scope", True) is not True:
            keep = U
        if keep is False:
            continue
        v = value(m)
        if keep is True and v is settles:
            return settles
        if v is settles or v is U:
            saw_unknown = True
    return U if saw_unknown else (not settles)
