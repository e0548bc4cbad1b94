"""Renderers: a Run as JSON (result contract v1), a rich table, or Markdown."""

from __future__ import annotations

from ..evaluator.results import Evaluation, RuleResult, Run
from ..evaluator.status import beside_status

from . import escape
from .explain import clause_tree, json_value, trace_lines
from .headline import headline
from .phrasing import gap_text, metric_name, reason, scope_reason

STYLES = {"pass": "green", "fail": "bold red", "exempt": "yellow", "not_applicable": "dim",
          "not_in_force": "cyan", "unknown": "magenta", "info": "blue"}
LABELS = {"pass": "PASS", "fail": "FAIL", "exempt": "EXEMPT", "not_applicable": "N/A",
          "not_in_force": "NOT IN FORCE", "unknown": "UNKNOWN", "info": "INFO"}


# ---------------------------------------------------------------- JSON
def result_json(result: RuleResult, evaluation: Evaluation | None, trace: str | bool) -> dict:
    """One rule's result; `trace` is "full" (or True: the tree of steps), "reasons" (or False: one step per
    clause) or "none" (no trace)."""
    out = {
        "rule": result.rule,
        "title": result.title,
        "citation": result.citation,
        "severity": result.severity,
        "verdict": result.verdict,
        "period": result.period,
        "in_force_from": result.in_force_from.isoformat() if result.in_force_from else None,
        "reason": reason(result),
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
        out["gap"] = gap_text(result.gap)
        out["gap_detail"] = gap_json(result.gap)
    if result.due:
        out["due"] = result.due.isoformat()
    if result.items:
        out["items"] = [{"item": n, "title": t, "public": p, "present": present} for n, t, p, present in result.items]
    if trace is True or trace == "full":
        out["trace"] = [clause_tree(t, evaluation) for t in result.trace]
    elif trace is False or trace == "reasons":
        out["trace"] = [_clause_summary(t) for t in result.trace]
    return out


def gap_json(gap) -> dict:
    detail = {"metric": metric_name(gap.metric), "operator": gap.operator, "value": json_value(gap.value),
              "limit": json_value(gap.limit), "change": json_value(gap.change), "unit": gap.unit,
              "strict": gap.strict}
    if gap.lever is not None:
        detail["energy"] = {"fact": gap.lever.fact, "change": json_value(gap.lever.change),
                            "unit": gap.lever.unit, "at_same": gap.lever.held}
    return detail


def _clause_summary(trace) -> dict:
    """Without --explain, each clause is one step: its expression as written, its value and span."""
    root = trace.root
    return {"clause": trace.label, "expression": root.text, "value": json_value(trace.values[0]),
            "span": {"file": root.span.file, "line": root.span.line, "column": root.span.column}}


def to_json(run: Run, explain: bool = True) -> str:
    """The result document (contract v1), one evaluation per line (cli/jsonl.py)."""
    from .jsonl import json_document

    return "".join(json_document(run, "full" if explain else "reasons"))


def scope_reason_json(evaluation) -> dict:
    text = scope_reason(evaluation.scope)
    return {"scope_reason": text} if text else {}


def beside_status_json(results) -> dict:
    """What the status sets aside and would change it if counted (docs/results.md, "Status")."""
    return {"proposed": beside_status(results, "proposed"), "projection": beside_status(results, "projection")}


def verdict_label(result: RuleResult, severity: bool = False) -> str:
    """PASS, FAIL* (a projection), NOT IN FORCE until 2030-07-01, EXEMPT (proposed), and with
    `severity` FAIL (target) … as every renderer shows it."""
    text = LABELS.get(result.verdict, result.verdict.upper()) + ("*" if result.projection else "")
    if result.verdict == "not_in_force" and result.in_force_from is not None:
        text += f" until {result.in_force_from.isoformat()}"
    notes = [result.severity] if severity and result.severity != "mandatory" else []
    notes += [result.legal_status] if result.legal_status else []
    return text + (f" ({', '.join(notes)})" if notes else "")


def evaluation_headline(evaluation, counting: tuple[str, ...] = ()) -> str:
    return headline(evaluation.facility, evaluation.jurisdiction, evaluation.status, evaluation.results,
                    evaluation.period, counting)


def operator_headline(operator, counting: tuple[str, ...] = ()) -> str:
    return headline(f"operator {operator.operator}", operator.jurisdiction, operator.status, operator.results,
                    operator.period, counting)


def scope_line(evaluation) -> str | None:
    """Why an out-of-scope evaluation is out of scope (the scope, a scope exclusion, or no duty applies)."""
    return scope_reason(evaluation.scope) if evaluation.status == "out_of_scope" and evaluation.scope else None


# ---------------------------------------------------------------- table
def _value_text(result: RuleResult) -> tuple[str, str]:
    from .explain import show

    from ..dsl import units

    dimension = next((d for d, unit in units.CANONICAL_UNITS.items() if unit and unit == result.unit), None)

    def fmt(v):
        if v is None:
            return ""
        if isinstance(v, float) and dimension is not None:
            return units.format_quantity(v, dimension)
        return show(v)

    return fmt(result.value), fmt(result.limit)


def to_table(run: Run, explain: str | bool, console) -> None:
    """`explain`: the trace each rule shows under the table, "none", "reasons" or "full" (explain.trace_lines);
    True is "full" (--explain), False "none"."""
    trace = _trace_words(explain)
    from rich.table import Table
    from rich.text import Text

    from .grid import wrap
    from .table_layout import explanation_lines, for_width, narrow_table, reason_lines

    layout = for_width(console.width)

    def table_for(results):
        if layout is not None:  # narrower than 140 columns: the columns that fit (cli/table_layout.py)
            return narrow_table(layout, [(Text(verdict_label(r), style=STYLES.get(r.verdict, "")), r.severity, r.rule,
                                          escape.field(r.title), escape.field(r.citation or ""),
                                          *map(escape.field, _value_text(r)))
                                         for r in results], console.width)
        table = Table(show_header=True, header_style="bold", expand=False, pad_edge=False)
        for column in ("verdict", "severity", "rule", "title", "citation", "value", "limit"):
            table.add_column(column, overflow="fold")
        for r in results:
            value, limit = _value_text(r)
            verdict = verdict_label(r)
            table.add_row(Text(verdict, style=STYLES.get(r.verdict, "")), r.severity, r.rule, *map(escape.rich, (
                          r.title, r.citation or "", value, limit)))
        return table

    def section(head: str, results, evaluation, subtitle: str | None = None) -> None:
        for part in wrap(head, console.width, "  "):  # a headline longer than the width: under its words
            console.print(escape.lines(part), style="bold", highlight=False, markup=False, soft_wrap=True)
        if subtitle:
            console.print(escape.lines(subtitle), highlight=False, markup=False)
        console.print(table_for(results))
        _reasons(results, console, reason_lines)
        if trace != "none":
            for r in results:
                steps = trace_lines(r, evaluation, run.as_of, trace)
                # past the width, wrap under the text rather than at the left edge
                steps = [part for line in steps for part in explanation_lines(line, console.width)]
                console.print(escape.lines("\n".join(steps)), highlight=False, markup=False)
                console.print()

    for e in run.evaluations:
        section(evaluation_headline(e, run.counting), e.results, e, scope_line(e))
    for o in run.operators:
        section(operator_headline(o, run.counting), o.results, None,
                "\n".join(filter(None, [f"facilities: {', '.join(o.facilities)}", scope_line(o)])))
    if any(r.projection for group in (*run.evaluations, *run.operators) for r in group.results):
        console.print("* projection: the figures used predate the rule's in-force date", highlight=False)


def _reasons(results, console, wrapped=None) -> None:
    """Each failing, unknown or exempt rule's reason (and gap); `wrapped` wraps a line to the width."""
    for r in results:
        if r.verdict in ("fail", "unknown", "exempt"):
            lines = [f"  {verdict_label(r, severity=True):<8} {r.rule}: {reason(r)}"]
            if r.gap:
                lines.append(f"           gap: {gap_text(r.gap)}")
            for line in lines:
                for part in (wrapped(line, console.width) if wrapped else [line]):
                    console.print(escape.lines(part), highlight=False, markup=False, soft_wrap=True)
    console.print()


# ---------------------------------------------------------------- summary
def to_summary(run: Run) -> str:
    """One line per evaluation, then the reason of every mandatory or target rule not passing."""
    lines = []
    for e in run.evaluations:
        lines.append(evaluation_headline(e, run.counting))
        lines.extend(f"    {line}" for line in [scope_line(e)] if line)
        lines.extend(_summary_reasons(e.results))
    for o in run.operators:
        lines.append(operator_headline(o, run.counting))
        lines.extend(f"    {line}" for line in [scope_line(o)] if line)
        lines.extend(_summary_reasons(o.results))
    return escape.lines("\n".join(lines) + "\n")


def _summary_reasons(results) -> list[str]:
    shown = [r for r in results
             if r.verdict in ("fail", "unknown", "exempt") and r.severity in ("mandatory", "target")]
    if len(shown) > 1 and len({(r.verdict, reason(r)) for r in shown}) == 1:  # e.g. an undecidable scope
        return [f"    {verdict_label(shown[0], severity=True):<8} {len(shown)} rules: {reason(shown[0])}"]
    lines = []
    for r in shown:
        lines.append(f"    {verdict_label(r, severity=True):<8} {r.rule}: {reason(r)}")
        if r.gap is not None:
            lines.append(f"             gap: {gap_text(r.gap)}")
    return lines


# ---------------------------------------------------------------- markdown
def to_markdown(run: Run, explain: str | bool) -> str:
    """`explain`: the trace each rule shows under its table, "none", "reasons" or "full" (explain.trace_lines);
    True is "full" (--explain), False "none"."""
    trace = _trace_words(explain)
    lines = [f"# dcpolicy results as of {run.as_of.isoformat()}", ""]

    def rows(results):
        out = ["| verdict | severity | rule | title | citation | value | limit | reason |",
               "|---|---|---|---|---|---|---|---|"]
        for r in results:
            value, limit = _value_text(r)
            why = escape.markdown(reason(r)) + (f"<br>**gap:** {escape.markdown(gap_text(r.gap))}"
                                                if r.gap is not None else "")
            cells = [verdict_label(r), r.severity, f"`{r.rule}`", *map(escape.markdown, (r.title, r.citation or "",
                     value, limit)), why]
            out.append("| " + " | ".join(cells) + " |")
        return out

    for e in run.evaluations:
        lines.append(f"## {evaluation_headline(e, run.counting)}")
        lines.append("")
        lines.extend([scope_line(e), ""] if scope_line(e) else [])
        lines.extend(rows(e.results))
        lines.append("")
        if trace != "none":
            for r in e.results:
                lines.extend(_fenced(trace_lines(r, e, run.as_of, trace)))
    for o in run.operators:
        lines.append(f"## {operator_headline(o, run.counting)}")
        lines.append("")
        lines.extend([scope_line(o), ""] if scope_line(o) else [])
        lines.extend(rows(o.results))
        lines.append("")
        if trace != "none":
            for r in o.results:
                lines.extend(_fenced(trace_lines(r, None, run.as_of, trace)))
    return escape.lines("\n".join(lines) + "\n")


def _fenced(steps: list[str]) -> list[str]:
    """An explanation as a Markdown code block whose fence no backticks in a value can close."""
    fence = escape.fence(steps)
    return [fence, *steps, fence, ""]


def _trace_words(trace: str | bool) -> str:
    return {True: "full", False: "none"}.get(trace, trace) if isinstance(trace, bool) else trace
