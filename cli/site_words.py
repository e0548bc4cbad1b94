"""Every sentence of the operator views (home regimes, compare, timeline, priorities, what-if, report).

Kept beside cli/phrasing.py (which words single verdicts) so that those views add words in one place;
the renderers of the views read results and take their words from here.
"""

from __future__ import annotations


def no_country(facility: str, file: str) -> str:
    return (f"-j home judges each facility under the law of its location, but {facility} ({file}) has no "
            f"location.country; add it (ISO 3166-1, e.g. DE), or name the regimes with -j (e.g. -j de,eu)")


def unjudged(facilities, regimes) -> str:
    names = ", ".join(facilities)
    return (f"note: no regime among {', '.join(regimes)} governs the location of {names}; "
            f"nothing was judged for {'it' if len(facilities) == 1 else 'them'} (name a regime with -j to judge "
            f"anyway)")


# ---------------------------------------------------------------- compare
_STATUS_WORDS = {"compliant": "compliant", "non_compliant": "NON-COMPLIANT", "incomplete": "incomplete",
                 "out_of_scope": "out of scope"}
NOT_JUDGED = "—"  # a regime that does not judge this site (-j home: not its law)
NO_OBLIGATION = "no obligation"


def status_word(status: str) -> str:
    return _STATUS_WORDS[status]


def verdict_word(result) -> str:
    """A verdict in one word, weighed by severity: a mandatory rule passes or fails, a target is met or missed."""
    soft = result.severity in ("target", "advisory")
    if result.verdict == "not_in_force":
        return f"from {result.in_force_from.isoformat()}" if result.in_force_from else "not in force"
    return {"pass": "MET" if soft else "PASS", "fail": "MISSED" if soft else "FAIL", "unknown": "UNKNOWN",
            "exempt": "EXEMPT", "not_applicable": "n/a", "info": "INFO"}[result.verdict]


def figures(result) -> str:
    """The figures behind a verdict, compactly: "PUE 1.388 ≤ 1.5", "report 2025 due 2026-03-31", …"""
    from .phrasing import comparison_figures, show

    decision = result.decision
    if decision.comparison is not None and decision.step in ("met", "failed", "exempt", "unknown"):
        metric, value, limit = comparison_figures(decision.comparison)
        metric = metric.rsplit(".", 1)[-1]  # facility.management_system.certified: certified
        return f"{metric} {value}, limit {_SIGN.get(decision.comparison.operator, decision.comparison.operator)} {limit}"
    if decision.step == "band" and decision.level is not None:
        return f"level {decision.level.label}"
    if decision.step in ("report_complete", "report_incomplete"):
        missing = f", {len(decision.missing)} items missing" if decision.step == "report_incomplete" else ""
        due = f" due {result.due.isoformat()}" if result.due else ""
        return f"report {result.period or ''}{due}{missing}".replace("report  ", "report ")
    if result.verdict == "unknown" and result.missing:
        more = len(result.missing) - 1
        return f"missing {result.missing[0]}" + (f" and {more} more" if more else "")
    if result.value is not None and result.verdict in ("pass", "fail"):
        return show(result.value)
    return ""


_SIGN = {"<=": "≤", ">=": "≥", "<": "<", ">": ">", "==": "=", "!=": "≠"}


def entry(result, short_name: str) -> str:
    """One rule in a compare cell: "PASS pue_existing_2027: PUE 1.388 ≤ 1.5 (proposed)"."""
    shown = figures(result)
    marks = [m for m, on in (("proposed", result.legal_status == "proposed"), ("projection", result.projection),
                             (result.severity, result.severity in ("target", "advisory"))) if on]
    return (f"{verdict_word(result)} {short_name}" + (f": {shown}" if shown else "")
            + (f" ({', '.join(marks)})" if marks else ""))


def tally(statuses) -> str:
    """Totals of a column or row of statuses, one a line: "1 NON COMPLIANT\n1 compliant"."""
    counts = {}
    for status in statuses:
        counts[status] = counts.get(status, 0) + 1
    order = ("non_compliant", "incomplete", "compliant", "out_of_scope")
    return "\n".join(f"{counts[s]} {status_word(s)}" for s in order if s in counts) or NOT_JUDGED


COMPARE_NOTE = ("informational rules (KPIs, bands) are left out; `policy eval --explain` shows them. "
                "— : the regime does not judge this site.")

_SEVERITY_OF_STATUS = ("non_compliant", "incomplete", "compliant", "out_of_scope")


def worst_status(statuses) -> str | None:
    """The status that weighs most: non-compliant, then incomplete, compliant, out of scope."""
    present = [s for s in _SEVERITY_OF_STATUS if s in statuses]
    return present[0] if present else None


def worst(statuses) -> str:
    status = worst_status(statuses)
    return status_word(status) if status else NOT_JUDGED


def compare_head(facility: str, name: str, as_of) -> str:
    return f"{facility} ({name}): obligations by theme, as of {as_of.isoformat()}"


def portfolio_head(count: int, as_of) -> str:
    return f"{count} sites × regimes, as of {as_of.isoformat()} (status: the law in force; ✗ n: failing duties)"


def operator_line(operator) -> str:
    return (f"operator {operator.operator} × {operator.jurisdiction}: {status_word(operator.status)} "
            f"({', '.join(operator.facilities)})")


def failing_line(site: str, regime: str, results) -> str:
    """"✗ shanghai-2 × cn: pue_hub_node (target, 1.22 > 1.2), …"."""
    shown = []
    for result in results:
        marks = [m for m in (result.severity if result.severity != "mandatory" else None,
                             "proposed" if result.legal_status == "proposed" else None,
                             "projection" if result.projection else None) if m]
        shown_figures = figures(result)  # a failing flag (a licence not held) has no figures to show
        shown.append(result.rule.split(".", 1)[1] + (f": {shown_figures}" if shown_figures else "")
                     + (f" ({', '.join(marks)})" if marks else ""))
    return f"✗ {site} × {regime}: " + "; ".join(shown)


def overall_line(sites, everyone: str) -> str:
    """"overall: tokyo-1 incomplete, fra-3 compliant, …; 1 NON-COMPLIANT, 2 incomplete, 1 compliant"."""
    return "overall: " + ", ".join(f"{site} {status}" for site, status in sites) + "; " + everyone.replace("\n", ", ")


# ---------------------------------------------------------------- timeline
_MARKS = {"pass": "✓", "fail": "✗", "unknown": "?", "exempt": "E", "not_in_force": "·", "not_applicable": "–",
          "info": "i"}
TIMELINE_LEGEND = ("✓ met, ✗ missed, ? unknown, E exempt, · not yet in force, – does not apply, i information; "
                   "* a projection (the figures predate the rule's coming into force); a severity with ? is a "
                   "proposed rule. Each year is judged as of 31 December on the figures shown beside the regime: "
                   "that year's while the file has them, then the latest.")


def timeline_head(facility: str, name: str, years) -> str:
    return f"{facility} ({name}): obligations year by year, {years[0]}–{years[-1]}"


def year_label(year: int, width: int) -> str:
    return str(year) if width >= 5 else f"'{year % 100:02d}"


def year_mark(result) -> str:
    if result is None:
        return " "
    return _MARKS[result.verdict] + ("*" if result.projection else "")


def severity_short(line) -> str:
    word = {"mandatory": "mandatory", "target": "target", "advisory": "advisory"}[line.severity]
    return (word + ("?" if line.legal_status == "proposed" else "")).ljust(10)


def first_missed(line) -> str:
    return str(line.first_missed) if line.first_missed is not None else "—"


def figures_line(line, years) -> str:
    """Why the first missed year is missed: "de.pue_existing_2030 from 2030: PUE 1.388, limit ≤ 1.3"."""
    result = line.results[years.index(line.first_missed)]
    return f"{line.rule} is missed from {line.first_missed}: {figures(result)}" + (
        f" (figures of {result.period})" if result.projection and result.period else "")


def chart_title(timeline) -> str:
    return f"PUE limits in force and the PUE of {timeline.facility}, {timeline.years[0]}–{timeline.years[-1]}"


def chart_legend(markers) -> str:
    shown = [f"{mark} {series_label(series)}" for mark, series in markers]
    return "  ".join(shown + ["● the facility's PUE (a later series hides an earlier one where they meet)"])


def series_label(series) -> str:
    return f"{series.regime} {'limit' if series.severity == 'mandatory' else 'target'}"


def facility_series_label(timeline) -> str:
    return f"{timeline.facility} PUE"


def limit_tooltip(series, index: int, years) -> str:
    return f"{years[index]}: {series_label(series)} {series.limits[index]:g} ({series.rules[index]})"


def pue_tooltip(year: int, value: float) -> str:
    return f"{year}: PUE {value:.3f}"


def no_chart() -> str:
    return "No PUE limit of these regimes applies to this facility in these years: no chart."


def period_short(label, width: int) -> str:
    """A period label in a year column: 2025, FY25 (FY2025) or '25 when narrow."""
    if label is None:
        return "—"
    if len(label) < width:
        return label
    digits = "".join(ch for ch in label if ch.isdigit())[-2:]
    fiscal = f"FY{digits}"
    return fiscal if label.startswith("FY") and len(fiscal) < width else f"'{digits}"


# ---------------------------------------------------------------- priorities and deadlines
BY_SIZE = "Mandatory gaps, largest first (energy to save or to add):"
BY_DEADLINE = "Mandatory gaps, soonest deadline first:"
TARGETS = "Targets missed (not binding law), largest first:"
NO_GAPS = "   none: no mandatory rule fails now or would fail on the latest figures"
NO_DEADLINES = "   none"


def priorities_head(as_of) -> str:
    return f"What to fix first, as of {as_of.isoformat()} (gaps over the coming years, on the latest figures)"


def gap_sentence(result) -> str:
    from .phrasing import gap_text, reason

    return gap_text(result.gap) if result.gap is not None else reason(result)


def gap_line(number: int, item) -> str:
    result = item.result
    when = (f"in force since {result.in_force_from.isoformat()}" if item.in_force and result.in_force_from
            else "in force now" if item.in_force else f"from {item.deadline.isoformat()}")
    figures_of = f", figures of {result.period}" if result.period else ""
    return f"{number:>2}. {item.facility} × {result.rule} ({when}{figures_of}): {gap_sentence(result)}"


def coming_head(as_of, through) -> str:
    return f"Coming deadlines, {as_of.isoformat()} to {through.isoformat()}:"


def report_detail(period, verdict, legal_status=None) -> str:
    state = {"pass": "complete on the figures given", "fail": "incomplete"}.get(verdict, "figures still to come")
    proposed = " (proposed rule)" if legal_status == "proposed" else ""
    return (f"report for {period}: {state}" if period else "report") + proposed


def in_force_detail(result) -> str:
    shown = figures(result)
    verdict = {"pass": "would be met", "fail": "would be missed", "unknown": "cannot be judged yet"}.get(
        result.verdict, result.verdict.replace("_", " "))
    on = f" on {result.period} figures" if result.period else ""
    proposed = " (proposed rule)" if result.legal_status == "proposed" else ""
    return f"comes into force{proposed}; {verdict}{on}" + (f" ({shown})" if shown else "")


def deadline_line(deadline) -> str:
    return f"  {deadline.date.isoformat()}  {deadline.facility} × {deadline.rule}: {deadline.detail}"


def event_summary(deadline) -> str:
    what = "report due" if deadline.kind == "due" else "comes into force"
    return f"{deadline.facility}: {deadline.rule} {what}"


def event_description(deadline) -> str:
    return f"{deadline.title}\n{deadline.detail}\n(dcpolicy: policy priorities)"



# ---------------------------------------------------------------- what-if
def what_if_lines(overrides) -> list[str]:
    """"WHAT-IF: fra-3 period[2025].energy.total = 27 GWh (the file says 29.7 GWh)", one per override."""
    lines = []
    for o in overrides:
        was = f"the file says {o.previous}" if o.previous is not None else "not in the file"
        lines.append(f"WHAT-IF: {o.facility} {o.path} = {o.written} ({was}; set with --set)")
    return lines


def overrides_json(overrides) -> list[dict]:
    return [{"facility": o.facility, "fact": o.path, "value": o.written, "previous": o.previous} for o in overrides]


# ---------------------------------------------------------------- the HTML report's headings
HTML_MATRIX = "Sites × regimes: the status under the law in force"
HTML_OBLIGATIONS = "Each site's obligations by theme"
HTML_TIMELINE = "Year by year: what is in force, and when each limit bites"
HTML_PRIORITIES = "What to fix first"
HTML_EXPLAINED = "Every failing or unknown rule, explained"
HTML_AUDIT = "Audit"
HTML_NOTHING_TO_EXPLAIN = "No rule fails and none is unknown."
NOT_JUDGED_TITLE = "this regime does not govern the site's location (-j home)"
