"""Renderers: a Run as JSON (result contract v1), a rich table, or Markdown."""

from __future__ import annotations

import json

import dcpolicy
from dcpolicy.evaluator.results import Evaluation, RuleResult, Run

from .explain import clause_tree, explain_lines, json_value

STYLES = {"pass": "green", "fail": "bold red", "exempt": "yellow", "not_applicable": "dim",
          "not_in_force": "cyan", "unknown": "magenta", "info": "blue"}
LABELS = {"pass": "PASS", "fail": "FAIL", "exempt": "EXEMPT", "not_applicable": "N/A",
          "not_in_force": "NOT IN FORCE", "unknown": "UNKNOWN", "info": "INFO"}


# ---------------------------------------------------------------- JSON
def result_json(result: RuleResult, evaluation: Evaluation | None, explain: bool) -> dict:
    out = {
        "rule": result.rule,
        "title": result.title,
        "citation": result.citation,
        "severity": result.severity,
        "verdict": result.verdict,
        "period": result.period,
        "in_force_from": result.in_force_from.isoformat() if result.in_force_from else None,
        "reason": result.reason,
    }
    if result.legal_status:
        out["legal_status"] = result.legal_status
    if result.quotes:
        out["quote"] = list(result.quotes)
    if result.value is not None:
        out["value"] = json_value(result.value)
    if result.limit is not None:
        out["limit"] = json_value(result.limit)
    if result.unit:
        out["unit"] = result.unit
    if result.missing:
        out["missing"] = list(result.missing)
    if result.projection:
        out["projection"] = True
    if result.relief:
        out["relief"] = {"kind": result.relief.keyword, "citation": result.relief.citation,
                         "because": result.relief.because}
    if result.gap:
        out["gap"] = result.gap
    if result.due:
        out["due"] = result.due.isoformat()
    if result.items:
        out["items"] = [{"item": n, "title": t, "public": p, "present": present} for n, t, p, present in result.items]
    out["trace"] = [clause_tree(t, evaluation) if explain else _clause_summary(t) for t in result.trace]
    return out


def _clause_summary(trace) -> dict:
    """Without --explain, each clause is one step: its expression as written, its value and span."""
    root = trace.expr.root
    return {"clause": trace.label, "expression": root.text, "value": json_value(trace.values[0]),
            "span": {"file": root.span.file, "line": root.span.line, "column": root.span.column}}


def to_json(run: Run, explain: bool = True) -> str:
    document = {
        "format": "dcpolicy/result/1",
        "tool": {"name": "dcpolicy", "version": dcpolicy.__version__},
        "as_of": run.as_of.isoformat(),
        "evaluations": [
            {
                "jurisdiction": e.jurisdiction,
                "facility": e.facility,
                "source": {"file": e.source_file, "sha256": e.source_sha256},
                "policy": {"file": e.policy_file, "sha256": e.policy_sha256},
                "status": e.status,
                "period": e.period,
                "results": [result_json(r, e, explain) for r in e.results],
            }
            for e in run.evaluations
        ],
    }
    if run.operators:
        document["operators"] = [
            {
                "jurisdiction": o.jurisdiction,
                "operator": o.operator,
                "facilities": list(o.facilities),
                "policy": {"file": o.policy_file, "sha256": o.policy_sha256},
                "period": o.period,
                "results": [result_json(r, None, explain) for r in o.results],
            }
            for o in run.operators
        ]
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def verdict_label(result: RuleResult) -> str:
    """PASS, FAIL* (a projection), EXEMPT (proposed) … as every renderer shows it."""
    return (LABELS[result.verdict] + ("*" if result.projection else "")
            + (f" ({result.legal_status})" if result.legal_status else ""))


# ---------------------------------------------------------------- table
def _value_text(result: RuleResult) -> tuple[str, str]:
    from .explain import show

    from dcpolicy.dsl import units

    dimension = next((d for d, unit in units.CANONICAL_UNITS.items() if unit and unit == result.unit), None)

    def fmt(v):
        if v is None:
            return ""
        if isinstance(v, float) and dimension is not None:
            return units.format_quantity(v, dimension)
        return show(v)

    return fmt(result.value), fmt(result.limit)


def summary_line(subject: str, jurisdiction: str, status: str | None, results, period: str | None) -> str:
    counts: dict[str, int] = {}
    for r in results:
        counts[r.verdict] = counts.get(r.verdict, 0) + 1
    tally = ", ".join(f"{n} {LABELS[v].lower()}" for v, n in counts.items())
    head = f"{subject} × {jurisdiction}"
    state = f": {status.replace('_', ' ').upper()}" if status else ""
    return f"{head}{state} — {tally}" + (f" (period {period})" if period else " (no reporting period)")


def to_table(run: Run, explain: bool, console) -> None:
    from rich.table import Table
    from rich.text import Text

    def table_for(results):
        table = Table(show_header=True, header_style="bold", expand=False, pad_edge=False)
        for column in ("verdict", "rule", "title", "citation", "value", "limit"):
            table.add_column(column, overflow="fold")
        for r in results:
            value, limit = _value_text(r)
            verdict = verdict_label(r)
            table.add_row(Text(verdict, style=STYLES[r.verdict]), r.rule, r.title, r.citation or "", value, limit)
        return table

    def section(headline: str, results, evaluation, subtitle: str | None = None) -> None:
        console.print(headline, style="bold")
        if subtitle:
            console.print(subtitle, highlight=False)
        console.print(table_for(results))
        _reasons(results, console)
        if explain:
            for r in results:
                console.print("\n".join(explain_lines(r, evaluation, run.as_of)), highlight=False, markup=False)
                console.print()

    for e in run.evaluations:
        section(summary_line(e.facility, e.jurisdiction, e.status, e.results, e.period), e.results, e)
    for o in run.operators:
        section(summary_line(f"operator {o.operator}", o.jurisdiction, None, o.results, o.period), o.results, None,
                f"facilities: {', '.join(o.facilities)}")
    if any(r.projection for group in (*run.evaluations, *run.operators) for r in group.results):
        console.print("* projection: the figures used predate the rule's in-force date", highlight=False)


def _reasons(results, console) -> None:
    for r in results:
        if r.verdict in ("fail", "unknown", "exempt"):
            console.print(f"  {verdict_label(r):<8} {r.rule}: {r.reason}", highlight=False, markup=False,
                          soft_wrap=True)
            if r.gap:
                console.print(f"           gap: {r.gap}", highlight=False, markup=False, soft_wrap=True)
    console.print()


# ---------------------------------------------------------------- summary
def to_summary(run: Run) -> str:
    """One line per evaluation, then the reason of every mandatory or target rule not passing."""
    lines = []
    for e in run.evaluations:
        lines.append(summary_line(e.facility, e.jurisdiction, e.status, e.results, e.period))
        lines.extend(_summary_reasons(e.results))
    for o in run.operators:
        lines.append(summary_line(f"operator {o.operator}", o.jurisdiction, None, o.results, o.period))
        lines.extend(_summary_reasons(o.results))
    return "\n".join(lines) + "\n"


def _summary_reasons(results) -> list[str]:
    shown = [r for r in results
             if r.verdict in ("fail", "unknown", "exempt") and r.severity in ("mandatory", "target")]
    if len(shown) > 1 and len({(r.verdict, r.reason) for r in shown}) == 1:  # e.g. an undecidable scope
        return [f"    {verdict_label(shown[0]):<8} {len(shown)} rules: {shown[0].reason}"]
    return [f"    {verdict_label(r):<8} {r.rule}: {r.reason}" for r in shown]


# ---------------------------------------------------------------- markdown
def to_markdown(run: Run, explain: bool) -> str:
    lines = [f"# dcpolicy results as of {run.as_of.isoformat()}", ""]

    def rows(results):
        out = ["| verdict | rule | title | citation | value | limit | reason |", "|---|---|---|---|---|---|---|"]
        for r in results:
            value, limit = _value_text(r)
            cells = [verdict_label(r), f"`{r.rule}`", r.title, r.citation or "",
                     value, limit, r.reason]
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        return out

    for e in run.evaluations:
        lines.append(f"## {summary_line(e.facility, e.jurisdiction, e.status, e.results, e.period)}")
        lines.append("")
        lines.extend(rows(e.results))
        lines.append("")
        if explain:
            for r in e.results:
                lines.extend(["```", *explain_lines(r, e, run.as_of), "```", ""])
    for o in run.operators:
        lines.append(f"## {summary_line('operator ' + o.operator, o.jurisdiction, None, o.results, o.period)}")
        lines.append("")
        lines.extend(rows(o.results))
        lines.append("")
    return "\n".join(lines) + "\n"
