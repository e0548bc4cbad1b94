"""`policy priorities`: what to fix first: mandatory gaps by size and by deadline, and the coming deadlines.

The deadlines of the next months can also be written as an iCalendar (.ics) file (cli/ics.py).

Gaps come from the results' `Gap` (with its energy lever) over the years of a timeline: a rule that fails
now, or would fail on the latest figures once it is in force. Deadlines are the reports' `due` dates
(evaluator/deadlines.py for the periods still to come) and the in-force dates of rules that apply.
"""

from __future__ import annotations

import datetime
import json

from ..dsl.data import frozen
from . import site_words as words

DEFAULT_MONTHS = 12


@frozen
class GapItem:
    facility: str
    result: object  # RuleResult: fails, with its gap
    deadline: datetime.date  # when the rule bites: its in-force date, or the as-of date if it already does
    in_force: bool  # fails under the law in force now (else: would fail once in force)

    @property
    def energy(self) -> float:
        """The energy the gap's lever asks for (kWh, either way), 0 when it has none: the size it is ranked by."""
        lever = self.result.gap.lever if self.result.gap else None
        return abs(lever.change) if lever is not None and lever.dimension.name == "energy" else 0.0


@frozen
class Deadline:
    date: datetime.date
    facility: str
    rule: str
    kind: str  # due (a report) | in force (a rule comes into force)
    title: str
    detail: str  # the period of a report; for a rule, whether the latest figures would meet it


def add_arguments(parser) -> None:
    from .views import add_options

    add_options(parser, formats=("text", "markdown", "json", "ics"))
    parser.add_argument("--months", type=int, default=DEFAULT_MONTHS, metavar="N",
                        help=f"the coming deadlines of the next N months (default {DEFAULT_MONTHS})")
    parser.add_argument("--ics", metavar="FILE", help="also write the coming deadlines as an iCalendar file")


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def gaps(timelines, as_of: datetime.date, severities=("mandatory",)) -> list[GapItem]:
    """Each (facility, rule) that fails in some year of the timeline, at its first failing year."""
    items = []
    for timeline in timelines:
        for line in timeline.lines:
            if line.severity not in severities or line.first_missed is None:
                continue
            result = line.results[timeline.years.index(line.first_missed)]
            now = result.in_force_from is None or result.in_force_from <= as_of
            deadline = as_of if now else result.in_force_from
            items.append(GapItem(timeline.facility, result, deadline, now and not result.projection))
    return items


def by_size(items) -> list[GapItem]:
    return sorted(items, key=lambda g: (-g.energy, g.deadline, g.facility, g.result.rule))


def by_deadline(items) -> list[GapItem]:
    return sorted(items, key=lambda g: (g.deadline, -g.energy, g.facility, g.result.rule))


def deadlines(evaluated, timelines, as_of: datetime.date, through: datetime.date) -> list[Deadline]:
    from ..evaluator.deadlines import reports_ahead
    from ..evaluator.home import Chosen, judges

    found: dict[tuple, Deadline] = {}
    for evaluation in evaluated.run.evaluations:  # reports of the periods the file has
        for result in evaluation.results:
            if result.due and as_of <= result.due <= through and result.severity == "mandatory":
                found[(evaluation.facility, result.rule, result.due)] = Deadline(
                    result.due, evaluation.facility, result.rule, "due", result.title,
                    words.report_detail(result.period, result.verdict, result.legal_status))
    for plan, everywhere in zip(evaluated.plans, evaluated.where or [True] * len(evaluated.plans)):
        facilities = [f for f in evaluated.loaded.facilities if judges(Chosen(plan, everywhere), f)]
        for upcoming in reports_ahead(plan, evaluated.loaded, facilities, through):
            if upcoming.due >= as_of and upcoming.severity == "mandatory":
                found[(upcoming.facility, upcoming.rule, upcoming.due)] = Deadline(
                    upcoming.due, upcoming.facility, upcoming.rule, "due", upcoming.title,
                    words.report_detail(upcoming.period, None, upcoming.legal_status))
    for timeline in timelines:  # rules that come into force and apply to the facility
        for line in timeline.lines:
            result = next((r for r in line.results if r is not None and r.verdict not in ("not_in_force",
                                                                                            "not_applicable")), None)
            start = result.in_force_from if result else None
            if start and as_of < start <= through and line.severity in ("mandatory", "target"):
                found[(timeline.facility, line.rule, start)] = Deadline(
                    start, timeline.facility, line.rule, "in force", line.title, words.in_force_detail(result))
    return sorted(found.values(), key=lambda d: (d.date, d.facility, d.rule))


# ---------------------------------------------------------------- renderers
def as_text(gap_items, target_items, coming, as_of, through, width: int) -> str:
    from .grid import wrap

    lines = [words.priorities_head(as_of), ""]
    for heading, ordered in ((words.BY_SIZE, by_size(gap_items)), (words.BY_DEADLINE, by_deadline(gap_items))):
        lines.append(heading)
        lines.extend(part for n, item in enumerate(ordered, 1) for part in wrap(words.gap_line(n, item), width, "     "))
        if not ordered:
            lines.append(words.NO_GAPS)
        lines.append("")
    if target_items:
        lines.append(words.TARGETS)
        lines.extend(part for n, item in enumerate(by_size(target_items), 1)
                     for part in wrap(words.gap_line(n, item), width, "     "))
        lines.append("")
    lines.append(words.coming_head(as_of, through))
    lines.extend(part for d in coming for part in wrap(words.deadline_line(d), width, "             "))
    if not coming:
        lines.append(words.NO_DEADLINES)
    return "\n".join(lines) + "\n"


def as_markdown(gap_items, target_items, coming, as_of, through) -> str:
    text = as_text(gap_items, target_items, coming, as_of, through, 10_000)
    return "\n".join(f"    {line}" if line and line[0] in " 0123456789" else line for line in text.splitlines()) + "\n"


def as_json(gap_items, target_items, coming, as_of, through) -> str:
    def gap(item):
        result = item.result
        return {"facility": item.facility, "rule": result.rule, "severity": result.severity,
                "deadline": item.deadline.isoformat(), "in_force": item.in_force, "energy_kwh": item.energy,
                "gap": words.gap_sentence(result), "period": result.period}

    document = {"format": "dcpolicy/priorities/1", "as_of": as_of.isoformat(), "through": through.isoformat(),
                "by_size": [gap(g) for g in by_size(gap_items)],
                "by_deadline": [gap(g) for g in by_deadline(gap_items)],
                "targets": [gap(g) for g in by_size(target_items)],
                "deadlines": [{"date": d.date.isoformat(), "facility": d.facility, "rule": d.rule, "kind": d.kind,
                               "title": d.title, "detail": d.detail} for d in coming]}
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def build(evaluated, request, args) -> str:
    from .api import UsageError
    from .ics import calendar
    from .timeline import timelines_of
    from .width import output_width

    if args.months < 1 or args.months > 120:
        raise UsageError(f"--months {args.months}: give 1 to 120")
    as_of = request.as_of
    through = add_months(as_of, args.months)
    timelines = timelines_of(evaluated, request, as_of.year, max(as_of.year + 7, through.year))
    gap_items = gaps(timelines, as_of)
    target_items = gaps(timelines, as_of, ("target",))
    coming = deadlines(evaluated, timelines, as_of, through)
    if args.ics:
        from .escape import UTF8_ERRORS

        with open(args.ics, "w", encoding="utf-8", errors=UTF8_ERRORS, newline="") as handle:
            handle.write(calendar(coming, as_of))
    if args.format == "ics":
        return calendar(coming, as_of)
    if args.format == "json":
        return as_json(gap_items, target_items, coming, as_of, through)
    if args.format == "markdown":
        return as_markdown(gap_items, target_items, coming, as_of, through)
    return as_text(gap_items, target_items, coming, as_of, through, output_width(args.width))


def run(args) -> int:
    from .views import run_view

    return run_view(args, "priorities", build)
