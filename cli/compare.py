"""`policy compare`: regimes side by side: one facility's obligations by theme, or a portfolio's sites × regimes.

The matrices are built from the Run alone (verdicts, statuses) and the rules' themes
(evaluator/themes.py); words come from cli/site_words.py. Text, Markdown, JSON and HTML.
"""

from __future__ import annotations

import json

import attrs

from ..dsl.data import frozen
from ..evaluator.themes import THEMES, rule_themes
from . import site_words as words
from .grid import wrap

SHOWN_SEVERITIES = ("mandatory", "target", "advisory")


@frozen
class ObligationMatrix:
    """One facility: a row per theme, a column per regime; each cell the rules of that theme."""

    facility: str
    name: str
    regimes: tuple[str, ...]
    statuses: tuple[str, ...]  # per regime
    rows: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]  # (theme, (cell entries per regime))
    results: dict = attrs.field(eq=False, repr=False)  # (theme, regime) -> (RuleResult, …), for JSON


@frozen
class SiteMatrix:
    """A portfolio: a row per site, a column per regime; each cell the status (None: not judged)."""

    regimes: tuple[str, ...]
    sites: tuple[tuple[str, str, tuple[object, ...]], ...]  # (id, name, (Evaluation | None per regime))
    operators: tuple = ()  # OperatorEvaluation


def regimes_of(run, plans=()) -> tuple[str, ...]:
    """The regimes that judged someone, in plan order (jp, de, cn, eu for the shipped ones)."""
    judged = {e.jurisdiction for e in run.evaluations}
    ordered = [p.code for p in plans if p.code in judged]
    return tuple(ordered + sorted(judged - set(ordered)))


def obligation_matrix(run, plans, facility: str) -> ObligationMatrix:
    themes: dict[str, str] = {}
    for plan in plans:
        themes.update(rule_themes(plan))
    evaluations = [e for e in run.evaluations if e.facility == facility]
    regimes = tuple(e.jurisdiction for e in evaluations)
    cells: dict[tuple[str, str], list] = {}
    for evaluation in evaluations:
        for result in evaluation.results:
            if result.severity in SHOWN_SEVERITIES:
                cells.setdefault((themes.get(result.rule, "other"), evaluation.jurisdiction), []).append(result)
    rows = []
    for theme in THEMES:
        if not any((theme, r) in cells for r in regimes):
            continue
        row = []
        for regime in regimes:
            results = cells.get((theme, regime), [])
            judged = [r for r in results if r.verdict != "not_applicable"]
            if judged:
                row.append(tuple(words.entry(r, r.rule.split(".", 1)[1]) for r in judged))
            else:
                row.append((words.verdict_word(results[0]) + " (all)",) if results else (words.NO_OBLIGATION,))
        rows.append((theme, tuple(row)))
    first = evaluations[0] if evaluations else None
    return ObligationMatrix(facility, first.facility_name if first else facility, regimes,
                            tuple(e.status for e in evaluations), tuple(rows),
                            {key: tuple(value) for key, value in cells.items()})


def site_matrix(run, facility_ids, plans=()) -> SiteMatrix:
    regimes = regimes_of(run, plans)
    by_pair = {(e.facility, e.jurisdiction): e for e in run.evaluations}
    names = {e.facility: e.facility_name for e in run.evaluations}
    sites = tuple((f, names.get(f, f), tuple(by_pair.get((f, r)) for r in regimes)) for f in facility_ids)
    return SiteMatrix(regimes, sites, run.operators)


# ---------------------------------------------------------------- text
def failing(evaluation) -> list:
    """The duties (mandatory, target) that fail, in force or not: what a ✗ in a site cell counts."""
    return [r for r in evaluation.results if r.verdict == "fail" and r.severity in ("mandatory", "target")]


def cell_text(evaluation) -> str:
    if evaluation is None:
        return words.NOT_JUDGED
    count = len(failing(evaluation))
    return words.status_word(evaluation.status) + (f"\n✗ {count}" if count else "")


def obligation_text(matrix: ObligationMatrix, width: int, as_of) -> str:
    from .grid import grid

    head = words.compare_head(matrix.facility, matrix.name, as_of)
    headers = ["obligation"] + [f"{r}: {words.status_word(s)}" for r, s in zip(matrix.regimes, matrix.statuses)]
    rows = [[theme, *("\n".join(cell) for cell in cells)] for theme, cells in matrix.rows]
    return f"{head}\n\n{grid(headers, rows, width)}\n" + "\n".join(wrap(words.COMPARE_NOTE, width)) + "\n"


def site_text(matrix: SiteMatrix, width: int, as_of) -> str:
    """Sites × regimes; narrower than the natural table, the names go, then the overall column moves below."""
    from .grid import grid, natural_width

    overall = [words.worst([e.status for e in cells if e]) for _, _, cells in matrix.sites]
    total = [words.tally([c[i].status for _, _, c in matrix.sites if c[i]]) for i in range(len(matrix.regimes))]
    everyone = words.tally([words.worst_status([e.status for e in c if e]) for _, _, c in matrix.sites if any(c)])
    rows = [[f"{site}\n{name}", *(cell_text(e) for e in cells)] for site, name, cells in matrix.sites]
    headers = ["site", *matrix.regimes]
    full = ([headers + ["overall"], [r + [o] for r, o in zip(rows, overall)] + [["total", *total, everyone]]])
    if natural_width(*full) > width:  # narrow: the ids alone; the names are in policy eval
        rows = [[site, *row[1:]] for (site, _, _), row in zip(matrix.sites, rows)]
        full = ([headers + ["overall"], [r + [o] for r, o in zip(rows, overall)] + [["total", *total, everyone]]])
    notes = []
    if natural_width(*full) > width:  # still too wide: each site's overall status goes below the table
        full = (headers, rows + [["total", *total]])
        notes.append(words.overall_line(list(zip([s for s, _, _ in matrix.sites], overall)), everyone))
    text = f"{words.portfolio_head(len(matrix.sites), as_of)}\n\n{grid(*full, width)}"
    notes += [words.failing_line(site, regime, failing(evaluation))
              for site, _, cells in matrix.sites for regime, evaluation in zip(matrix.regimes, cells)
              if evaluation is not None and failing(evaluation)]
    notes += [words.operator_line(operator) for operator in matrix.operators]
    return text + "".join("\n" + "\n".join(wrap(note, width, "    ")) for note in notes) + "\n"


# ---------------------------------------------------------------- Markdown and JSON
def obligation_markdown(matrix: ObligationMatrix, as_of) -> str:
    lines = [f"## {words.compare_head(matrix.facility, matrix.name, as_of)}", "",
             "| obligation | " + " | ".join(f"{r}: {words.status_word(s)}" for r, s in
                                           zip(matrix.regimes, matrix.statuses)) + " |",
             "|---" * (len(matrix.regimes) + 1) + "|"]
    for theme, cells in matrix.rows:
        lines.append(f"| {theme} | " + " | ".join("<br>".join(_md(c) for c in cell) for cell in cells) + " |")
    return "\n".join(lines) + f"\n\n{words.COMPARE_NOTE}\n"


def site_markdown(matrix: SiteMatrix, as_of) -> str:
    lines = [f"## {words.portfolio_head(len(matrix.sites), as_of)}", "",
             "| site | " + " | ".join(matrix.regimes) + " | overall |", "|---" * (len(matrix.regimes) + 2) + "|"]
    for site, name, cells in matrix.sites:
        lines.append(f"| {_md(site)} ({_md(name)}) | " + " | ".join(_md(cell_text(e)).replace("\n", "<br>")
                                                                     for e in cells)
                     + f" | {words.worst([e.status for e in cells if e])} |")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    from .escape import markdown

    return markdown(text)


def as_json(evaluated, facility_ids) -> str:
    run = evaluated.run
    document = {"format": "dcpolicy/compare/1", "as_of": run.as_of.isoformat(), "regimes": list(regimes_of(run, evaluated.plans))}
    if len(facility_ids) == 1:
        matrix = obligation_matrix(run, evaluated.plans, facility_ids[0])
        document["facility"] = matrix.facility
        document["statuses"] = dict(zip(matrix.regimes, matrix.statuses))
        document["themes"] = [
            {"theme": theme, "cells": {regime: [_rule_json(r) for r in matrix.results.get((theme, regime), ())]
                                       for regime in matrix.regimes}} for theme, _ in matrix.rows]
    else:
        matrix = site_matrix(run, facility_ids, evaluated.plans)
        document["sites"] = [{"facility": site, "name": name,
                              "statuses": {r: e.status for r, e in zip(matrix.regimes, cells) if e}}
                             for site, name, cells in matrix.sites]
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _rule_json(result) -> dict:
    return {"rule": result.rule, "severity": result.severity, "verdict": result.verdict,
            "legal_status": result.legal_status, "projection": result.projection,
            "value": _plain(result.value), "limit": _plain(result.limit), "figures": words.figures(result)}


def _plain(value):
    return value if value is None or isinstance(value, (bool, int, float, str)) else str(value)


# ---------------------------------------------------------------- the command
def build(evaluated, request, args) -> str:
    from .width import output_width

    run = evaluated.run
    facility_ids = [f.id for f in evaluated.loaded.facilities]
    if args.format == "json":
        return as_json(evaluated, facility_ids)
    if args.format == "html":
        from .report import page

        return page(evaluated, request, ("matrix", "obligations", "explained", "audit"))
    single = len(facility_ids) == 1
    if args.format == "markdown":
        return (obligation_markdown(obligation_matrix(run, evaluated.plans, facility_ids[0]), run.as_of) if single
                else site_markdown(site_matrix(run, facility_ids, evaluated.plans), run.as_of))
    width = output_width(args.width)
    if single:
        return obligation_text(obligation_matrix(run, evaluated.plans, facility_ids[0]), width, run.as_of)
    return site_text(site_matrix(run, facility_ids, evaluated.plans), width, run.as_of)


def add_arguments(parser) -> None:
    from .views import add_options

    add_options(parser, formats=("text", "markdown", "json", "html"))


def run(args) -> int:
    from .views import run_view

    return run_view(args, "compare", build)
