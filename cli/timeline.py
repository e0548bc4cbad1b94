"""`policy timeline`: year by year, the obligations in force per regime and the first year each is missed.

The figures against each obligation, the first year each would be missed on the latest figures, and a
chart of the PUE limits (terminal and SVG).

Each year is one evaluation as of 31 December (the chosen period: that year's figures while the file
has them, the latest ones after: a projection). Everything shown is read from those Runs.
"""

from __future__ import annotations

import datetime
import json

from ..dsl.data import frozen
from ..evaluator.themes import rule_themes
from . import site_words as words

DUTY_SEVERITIES = ("mandatory", "target", "advisory")
DEFAULT_YEARS = 8


@frozen
class RuleLine:
    regime: str
    rule: str
    title: str
    severity: str
    legal_status: str | None
    results: tuple  # RuleResult | None, one per year
    first_in_force: int | None
    first_missed: int | None


@frozen
class LimitSeries:
    """A regime's binding PUE limit per year (the lowest of its PUE limits in force that apply)."""

    regime: str
    severity: str  # mandatory | target
    limits: tuple  # float | None per year
    rules: tuple  # the rule ids that set the limit, per year (None where no limit)


@frozen
class FacilityTimeline:
    facility: str
    name: str
    years: tuple[int, ...]
    lines: tuple[RuleLine, ...]
    pue: tuple  # the facility's PUE per year (float | None)
    series: tuple[LimitSeries, ...]
    periods: tuple  # the period judged per year (label | None), from the first evaluation


def years_between(first: int | None, last: int | None, as_of: datetime.date) -> tuple[int, ...]:
    from .evaluate import LATEST

    start = first if first is not None else as_of.year
    end = min(last if last is not None else start + DEFAULT_YEARS - 1, LATEST.year)  # a look ahead stops there
    if end < start:
        from .api import UsageError

        raise UsageError(f"--to {end} is before --from {start}")
    if end - start > 60:
        from .api import UsageError

        raise UsageError(f"--from {start} --to {end} spans {end - start + 1} years; ask for at most 61")
    return tuple(range(start, end + 1))


def build_timelines(evaluated, runs_by_year: dict[int, object]) -> list[FacilityTimeline]:
    themes: dict[str, str] = {}
    for plan in evaluated.plans:
        themes.update(rule_themes(plan))
    years = tuple(sorted(runs_by_year))
    order = [p.code for p in evaluated.plans]
    out = []
    for facility in evaluated.loaded.facilities:
        per_year = [{e.jurisdiction: e for e in runs_by_year[y].evaluations if e.facility == facility.id}
                    for y in years]
        regimes = [code for code in order if any(code in by_regime for by_regime in per_year)]
        lines, series = [], []
        for regime in regimes:
            results_by_rule: dict[str, list] = {}
            for index, by_regime in enumerate(per_year):
                evaluation = by_regime.get(regime)
                for result in (evaluation.results if evaluation else ()):
                    results_by_rule.setdefault(result.rule, [None] * len(years))[index] = result
            for rule, results in results_by_rule.items():
                known = [r for r in results if r is not None]
                if known[0].severity not in DUTY_SEVERITIES or all(r.verdict == "not_applicable" for r in known):
                    continue
                lines.append(_line(regime, rule, years, results))
            series.extend(_limit_series(regime, years, results_by_rule, themes))
        pue = tuple(_facility_pue(by_regime.values()) for by_regime in per_year)
        periods = tuple(next((e.period for e in by_regime.values()), None) for by_regime in per_year)
        out.append(FacilityTimeline(facility.id, facility.name, years, tuple(lines), pue, tuple(series), periods))
    return out


def _line(regime, rule, years, results) -> RuleLine:
    first = next(r for r in results if r is not None)
    in_force = [y for y, r in zip(years, results) if r is not None and r.verdict not in ("not_in_force",
                                                                                        "not_applicable")]
    missed = [y for y, r in zip(years, results) if r is not None and r.verdict == "fail"]
    return RuleLine(regime, rule, first.title, first.severity, first.legal_status, tuple(results),
                    in_force[0] if in_force else None, missed[0] if missed else None)


def _pue_limit(result):
    comparison = result.decision.comparison
    if comparison is None or comparison.operator not in ("<=", "<") or result.verdict not in ("pass", "fail", "exempt"):
        return None
    value = comparison.right.value
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _limit_series(regime, years, results_by_rule, themes) -> list[LimitSeries]:
    series = []
    for severity in ("mandatory", "target"):
        limits, rules = [], []
        for index in range(len(years)):
            candidates = [(limit, rule) for rule, results in results_by_rule.items()
                          if themes.get(rule) == "PUE limit" and results[index] is not None
                          and results[index].severity == severity
                          and (limit := _pue_limit(results[index])) is not None]
            best = min(candidates) if candidates else (None, None)
            limits.append(best[0])
            rules.append(best[1])
        if any(limit is not None for limit in limits):
            series.append(LimitSeries(regime, severity, tuple(limits), tuple(rules)))
    return series


def _facility_pue(evaluations):
    """The facility's PUE as the rules read it that year (the left side of a PUE comparison)."""
    for evaluation in evaluations:
        for result in evaluation.results:
            comparison = result.decision.comparison
            if comparison is not None and comparison.left.node.text == "pue":
                value = comparison.left.value
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    return float(value)
    return None


# ---------------------------------------------------------------- text and JSON
def timeline_text(timeline: FacilityTimeline, width: int) -> str:
    from .charts import terminal_chart
    from .grid import wrap

    years = timeline.years
    rule_width = max([len(line.rule.split(".", 1)[1]) + 2 for line in timeline.lines] + [12])
    cell = 5 if rule_width + 12 + 5 * len(years) + 13 <= width else 4
    head = ("obligation".ljust(rule_width) + " severity   " + "".join(words.year_label(y, cell).ljust(cell)
                                                                         for y in years) + " first missed")
    out = [words.timeline_head(timeline.facility, timeline.name, years), "", head.rstrip(), "─" * min(len(head), width)]
    current = None
    for line in timeline.lines:
        if line.regime != current:
            current = line.regime
            periods = [next((r.period for other in timeline.lines if other.regime == current
                             for r in [other.results[i]] if r is not None and r.period), None)
                       for i in range(len(years))]
            out.append(f"{current} (figures)".ljust(rule_width) + " " * 12
                       + "".join(words.period_short(p, cell).ljust(cell) for p in periods).rstrip())
        marks = "".join(words.year_mark(r).ljust(cell) for r in line.results)
        out.append(f"  {line.rule.split('.', 1)[1]}".ljust(rule_width) + f" {words.severity_short(line)}"
                   + " " + marks + " " + words.first_missed(line))
    out.append("")
    out.extend(wrap(words.TIMELINE_LEGEND, width, "  "))
    figures = [words.figures_line(line, years) for line in timeline.lines if line.first_missed is not None]
    for text in figures:
        out.extend(wrap(text, width, "    "))
    out.append("")
    out.extend(terminal_chart(timeline, width) if timeline.series else [words.no_chart()])
    return "\n".join(out) + "\n"


def timeline_json(timelines, as_of) -> str:
    document = {"format": "dcpolicy/timeline/1", "as_of": as_of.isoformat(), "facilities": [
        {"facility": t.facility, "years": list(t.years), "periods": list(t.periods),
         "pue": list(t.pue),
         "rules": [{"rule": line.rule, "severity": line.severity, "legal_status": line.legal_status,
                    "verdicts": [r.verdict if r else None for r in line.results],
                    "projection": [bool(r and r.projection) for r in line.results],
                    "first_in_force": line.first_in_force, "first_missed": line.first_missed}
                   for line in t.lines],
         "pue_limits": [{"regime": s.regime, "severity": s.severity, "limits": list(s.limits),
                         "rules": list(s.rules)} for s in t.series]}
        for t in timelines]}
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


# ---------------------------------------------------------------- the command
def add_arguments(parser) -> None:
    from .views import add_options

    add_options(parser, formats=("text", "json", "svg", "html"))
    parser.add_argument("--from", dest="first_year", type=int, metavar="YEAR",
                        help="first year (default: the year of --as-of)")
    parser.add_argument("--to", dest="last_year", type=int, metavar="YEAR",
                        help=f"last year (default: {DEFAULT_YEARS} years from --from)")


def check_years(args) -> None:
    """--from and --to, where a command takes them: years dcpolicy judges (UsageError otherwise)."""
    from .evaluate import check_year

    check_year("--from", getattr(args, "first_year", None))
    check_year("--to", getattr(args, "last_year", None))


def timelines_of(evaluated, request, first_year, last_year) -> list[FacilityTimeline]:
    years = years_between(first_year, last_year, request.as_of)
    runs = {y: evaluated.at(datetime.date(y, 12, 31), request.period, request.fail_on) for y in years}
    return build_timelines(evaluated, runs)


def build(evaluated, request, args) -> str:
    from .width import output_width

    check_years(args)
    timelines = timelines_of(evaluated, request, args.first_year, args.last_year)
    if args.format == "json":
        return timeline_json(timelines, request.as_of)
    if args.format == "html":
        from .report import page

        return page(evaluated, request, ("timeline", "audit"), timelines=timelines)
    if args.format == "svg":
        from .charts import svg_chart

        if len(timelines) != 1:
            from .api import UsageError

            raise UsageError("--format svg draws one facility's chart; give one facility file")
        return svg_chart(timelines[0])
    width = output_width(args.width)
    return "\n".join(timeline_text(t, width) for t in timelines)


def run(args) -> int:
    from .views import run_view

    return run_view(args, "timeline", build)
