"""Every sentence a person reads about a result: reasons, gaps and how values are shown.

The engine decides and records what decided (``Decision``, ``Gap``); this module alone puts it
in words, for every renderer (table, summary, Markdown, JSON's `reason`, explanations, policy test).
"""

from __future__ import annotations

import datetime

from ..dsl import units
from ..dsl.diagnostics import visible
from ..dsl.types import Duration
from ..evaluator.results import Comparison, Decision, Gap, RuleResult
from ..evaluator.values import NOT_EVALUATED, UNKNOWN, Bounds

NO_DUTY_APPLIES = "out of scope: no duty of the regime applies (every mandatory and target rule is not applicable)"
_METRICS = {"pue", "erf", "ref", "wue", "cer", "cue"}
_FAILS = {"<=": "is above the limit", "<": "is not below the limit", ">=": "is below the minimum",
          ">": "does not exceed", "==": "is not equal to", "!=": "must differ from"}


# ---------------------------------------------------------------- values
def show(value, info=None) -> str:
    """A value as explanations show it, in readable units where its node has a dimension."""
    if value is UNKNOWN:
        return "unknown"
    if value is NOT_EVALUATED:
        return "not evaluated"
    if isinstance(value, Bounds):
        return show_bounds(value, info)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        if info is not None and info.type_kind == "number":
            return units.format_quantity(float(value), info.dimension)
        return units.format_number(float(value))
    if isinstance(value, (datetime.date, Duration)):
        return str(value) if isinstance(value, Duration) else value.isoformat()
    return visible(str(value))  # text from an input file: on one line, no control character acts on a terminal


def show_fact(path: str, value) -> str:
    """A fact's value by its path (facility.x, period[-k].x), in the unit the schema gives it."""
    from ..dsl import schema

    root, _, field = path.partition(".")
    fact_type = schema.lookup("facility" if root == "facility" else "period", field)
    if fact_type is not None and fact_type.kind == "quantity" and isinstance(value, (int, float)) \
            and not isinstance(value, bool):
        return units.format_quantity(float(value), fact_type.dimension)
    return show(value)


def show_bounds(value: Bounds, info) -> str:
    def end(x):
        return units.format_quantity(x, info.dimension) if info is not None else units.format_number(x)

    if value.hi == float("inf"):
        return f"at least {end(value.lo)} (not all known)"
    if value.lo == float("-inf"):
        return f"at most {end(value.hi)} (not all known)"
    return f"between {end(value.lo)} and {end(value.hi)} (not all known)"


def metric_name(text: str) -> str:
    return text.upper() if text in _METRICS else text


def _display(value, info, percent: bool, decimals: int | None = None, points: bool = False) -> str:
    if percent and isinstance(value, (int, float)):
        shown = value * 100 if decimals is None else round(value * 100, max(decimals - 2, 0))
        return f"{units.format_number(round(shown, 6))}" + (" points" if points else " %")
    if decimals is not None and isinstance(value, float) and info.dimension.is_dimensionless:
        return units.format_number(round(value, decimals))
    return show(value, info)


def _decimals_to_tell_apart(value, limit) -> int | None:
    """The fewest decimals (at least 3) at which a value reads differently from its limit."""
    if not isinstance(value, (int, float)) or not isinstance(limit, (int, float)):
        return None
    for decimals in range(3, 10):
        if value == limit or round(value, decimals) != round(limit, decimals):
            return decimals
    return None


# ---------------------------------------------------------------- reasons
def reason(result: RuleResult) -> str:
    """The contract's `reason`: one sentence saying why the verdict is what it is."""
    text = decision_text(result.decision, result)
    if result.projection:
        text = (f"projection: figures of period {result.period} (ended {result.period_end.isoformat()}) predate "
                f"the rule (in force from {result.in_force_from.isoformat()}); ") + text
    return text


def scope_reason(decision: Decision | None) -> str | None:
    return decision_text(decision, None) if decision is not None else None


def decision_text(d: Decision, result: RuleResult | None) -> str:
    step = d.step
    # the steps most results end in come first (a register's output phrases one per rule and facility)
    if step == "not_applies":
        shown = ", ".join(f"{s.node.text} = {show(s.value, s.node)}" for s in d.facts)
        return f"does not apply: {d.condition}" + (f" ({shown})" if shown else "") + " is false"
    if step == "unknown":
        what = d.undecided + (f" ({_requirement_text(d, holds=False)})" if d.comparison or d.expression else "")
        detail = ", ".join(d.missing) if d.missing else "a value that could not be computed"
        return f"cannot decide {what}: missing {detail}"
    if step in ("met", "failed"):
        return _requirement_text(d, holds=step == "met")
    if step == "band":
        name = metric_name(d.subject.node.text)
        return (f"{name} {show(d.subject.value, d.subject.node)} is in level {d.level.label} "
                f"({d.level.describe(name)})")
    cited = f" ({d.citation})" if d.citation else ""
    if step == "scope_excluded":
        return f"out of scope: {d.because}{cited}"
    if step == "scope_false":
        return f"out of scope: {d.title} ({d.citation}) — {d.condition} is false"
    if step == "scope_unknown":
        return f"scope cannot be decided: missing {', '.join(d.missing)}"
    if step == "no_duty":
        return NO_DUTY_APPLIES
    if step == "excluded":
        return f"excluded: {d.because}{cited}"
    if step == "not_in_force":
        return f"in force from {d.date.isoformat()}; evaluated as of {d.as_of.isoformat()}"
    if step == "ended":
        return f"no longer in force after {d.date.isoformat()}"
    if step == "exempt":
        relief = f"exempt: {d.because}{cited}"
        if d.requirement_undecided:
            return f"{relief}; the requirement ({d.expression}) need not be decided"
        return f"{_requirement_text(d, holds=False)}, but {relief}"
    if step == "band_none":
        return f"{show(d.subject.value, d.subject.node)} falls in no level"
    if step == "report_no_period":
        why = (f"the facility has no figures for period {d.period_asked}" if d.period_asked else
               "no reporting period of this calendar ends on or before the evaluation date")
        return f"cannot judge the report: {why}"
    if step in ("report_incomplete", "report_complete"):
        due = f"; due {result.due.isoformat()}" if result is not None and result.due else ""
        period = f" for {result.period}" if result is not None and result.period is not None else ""
        if step == "report_incomplete":
            return f"report{period} incomplete: missing {', '.join(d.missing)}{due}"
        return f"all {d.count} items available{period}{due}"
    if step == "info":
        return f"encouraged: {d.title}"
    raise ValueError(step)


def _requirement_text(d: Decision, holds: bool) -> str:
    if d.comparison is None and d.records is not None and d.records.value is holds:
        return records_text(d.expression, d.records)
    if d.comparison is None:
        return f"{d.expression} holds" if holds else f"{d.expression} does not hold"
    return comparison_text(d.comparison)


def records_text(expression: str, found) -> str:
    """A quantifier's answer with the records that gave it: "every room in … where …: fails for computer room
    cr-2 (room.cooling_system.full_load_oat_db 12.8 degC is below the minimum 18.3333 degC; …)"."""
    from ..dsl.records import RECORD_LISTS

    lst = RECORD_LISTS.get(found.path.partition(".")[2])
    singular = lst.singular if lst is not None else "record"
    head = found.head or expression
    total = len(found.outcomes)
    if found.value is True:
        if found.kind == "some":
            return f"{head}: holds for {_ids(singular, found.holding)}"
        if not found.holding:
            return f"{head}: holds, no {singular} is selected (of {total})"
        return f"{head}: holds for each {singular} selected ({_ids(singular, found.holding, bare=True)})"
    failing = found.failing
    if found.kind == "some":
        checked = f" (checked: {_ids(singular, failing, bare=True)})" if failing else ""
        return f"{head}: holds for no {singular}{checked}"
    details = "; ".join((f"{o.id}: " if len(failing) > 1 else "") + record_fields(found.path, o)
                        for o in failing if o.read)
    return f"{head}: fails for {_ids(singular, failing)}" + (f" ({details})" if details else "")


def _ids(singular: str, outcomes, bare: bool = False) -> str:
    ids = ", ".join(o.id for o in outcomes)
    if bare:
        return ids
    return f"{singular} {ids}" if len(outcomes) == 1 else f"{singular}s {ids}"


def record_fields(path: str, outcome) -> str:
    """The fields a record's test read, with their values in readable units."""
    from ..dsl.records import RECORD_LISTS, field_type

    lst = RECORD_LISTS.get(path.partition(".")[2])
    shown = []
    for field, value in outcome.read:
        fact_type = field_type(lst, field) if lst is not None else None
        if fact_type is not None and fact_type.kind == "quantity" and isinstance(value, float):
            shown.append(f"{field} = {units.format_quantity(value, fact_type.dimension)}")
        else:
            shown.append(f"{field} = {show(value)}")
    shown += [f"{label} = {show_fact(label, value) if '.' in label else show(value)}" for label, value in outcome.outside]
    failed = [_compared_text(c) for c in outcome.compared if c.result is False]
    return "; ".join(failed + [", ".join(shown)]) if failed else ", ".join(shown)


def _compared_text(compared) -> str:
    """A record's failed comparison with its figures: "ups.efficiency 0.94 is below the minimum 0.943"."""
    def figure(value):
        if isinstance(value, float) and not compared.dimension.is_dimensionless:
            return units.format_quantity(value, compared.dimension)
        return show(value)

    return f"{compared.text} {figure(compared.left)} {_FAILS[compared.op]} {figure(compared.right)}"


def comparison_text(comparison: Comparison) -> str:
    value, limit = comparison.left.value, comparison.right.value
    left, right = comparison.left.node, comparison.right.node
    bounded = isinstance(value, Bounds)
    percent = "%" in right.text
    decimals = None if bounded else _decimals_to_tell_apart(value, limit)
    shown_value = show_bounds(value, left) if bounded else _display(value, left, percent, decimals)
    shown_limit = _display(limit, right, percent, decimals)
    if right.kind != "literal" and right.text != shown_limit:
        shown_limit += f" ({right.text})"
    name = metric_name(left.text)
    if comparison.holds:
        return f"{name} {shown_value} meets {comparison.operator} {shown_limit}"
    return f"{name} {shown_value} {_FAILS[comparison.operator]} {shown_limit}"


def comparison_figures(comparison: Comparison) -> tuple[str, str, str]:
    """(metric, value, limit) as a comparison shows them, e.g. ("PUE", "1.388", "1.5"), for compact views."""
    value, limit = comparison.left.value, comparison.right.value
    left, right = comparison.left.node, comparison.right.node
    percent = "%" in right.text
    if isinstance(value, Bounds):
        return metric_name(left.text), show_bounds(value, left), _display(limit, right, percent)
    decimals = _decimals_to_tell_apart(value, limit)
    return metric_name(left.text), _display(value, left, percent, decimals), _display(limit, right, percent, decimals)


# ---------------------------------------------------------------- gaps
def gap_text(gap: Gap) -> str:
    """"PUE must fall by 0.088 — about 1.88 GWh less period.energy.total at the same period.energy.it"."""
    scale = 100.0 if gap.percent else 1.0
    change, limit = gap.change / scale, gap.limit / scale
    metric = metric_name(gap.metric)
    direction = "fall" if change < 0 or (change == 0 and gap.operator == "<") else "rise"
    amount = _display(abs(change), gap.subject, gap.percent, _decimals_to_tell_apart(abs(change), 0.0), points=True)
    text = f"{metric} must {direction} by {'more than ' if gap.strict else ''}{amount}"
    if gap.strict and change == 0:
        where = "above" if direction == "rise" else "below"
        text = f"{metric} must {direction} {where} {_display(limit, gap.subject, gap.percent)}"
    if gap.lever is not None:
        more_or_less = "less" if gap.lever.change < 0 else "more"
        text += (f" — about {units.format_quantity(abs(gap.lever.change), gap.lever.dimension)} {more_or_less} "
                 f"{gap.lever.fact} at the same {gap.lever.held}")
    return text
