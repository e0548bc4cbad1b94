"""The HTML report: one self-contained page (no network resource, prints well) to hand to management or an auditor.

Sections: what-if overrides, the sites × regimes matrix, each facility's obligations by theme, the
timeline chart and table, what to fix first, every failing or unknown rule explained (its law text and
its facts located in the YAML), and the audit block (tool version, as-of, sha256 of every input and
policy). Everything is read from results; every text a user wrote (names, ids, titles, quotes, values)
is escaped. `policy report`, and `--format html` of eval, compare and timeline.
"""

from __future__ import annotations

from . import site_words as words
from .escape import html as html_text

SECTIONS = ("matrix", "obligations", "timeline", "priorities", "explained", "audit")
STATUS_CLASS = {"compliant": "ok", "non_compliant": "bad", "incomplete": "warn", "out_of_scope": "muted"}
VERDICT_CLASS = {"pass": "ok", "fail": "bad", "unknown": "warn", "exempt": "muted", "info": "muted",
                 "not_applicable": "muted", "not_in_force": "muted"}

STYLE = """
:root { --ok: #1a7f37; --bad: #b42318; --warn: #9a6700; --muted: #57606a; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; margin: 0 auto;
       max-width: 1180px; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 32px 0 8px; border-bottom: 2px solid #1f2328; }
h3 { font-size: 16px; margin: 20px 0 6px; }
.sub { color: var(--muted); margin: 0 0 16px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 12px; }
th, td { border: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.ok { background: #dafbe1; } td.bad { background: #ffebe9; } td.warn { background: #fff8c5; }
td.muted { color: var(--muted); }
.v { font-weight: 600; } .v.ok { color: var(--ok); } .v.bad { color: var(--bad); } .v.warn { color: var(--warn); }
.v.muted { color: var(--muted); }
ul.cell { margin: 0; padding-left: 16px; }
pre { background: #f6f8fa; border: 1px solid var(--line); padding: 10px; overflow-x: auto; font-size: 12.5px;
      white-space: pre-wrap; }
.whatif { border: 2px solid var(--warn); background: #fff8c5; padding: 8px 12px; }
.audit td { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; word-break: break-all; }
.chart svg { max-width: 100%; height: auto; }
@media print { body { max-width: none; padding: 0; font-size: 11px; } h2 { break-after: avoid; }
  section, table, pre, .chart { break-inside: avoid; } pre { white-space: pre-wrap; } }
"""
# A script that only proves the page ran to its end (the headless Chromium test reads it); the page needs no script.
SCRIPT = ("document.documentElement.dataset.ready = 'yes';"
          "console.log('dcpolicy report: ' + document.querySelectorAll('section').length + ' sections');")


def e(value) -> str:
    return html_text(value)  # cli/escape.py: quotes too, and control characters shown as escapes


def page(evaluated, request, sections=SECTIONS, timelines=None, priorities=None, trace: str = "full") -> str:
    """The HTML page; `trace` (--trace) is how each failing or unknown rule is explained: its tree of steps
    (full, the default), one line per clause (reasons), or not at all (none: no such section)."""
    run = evaluated.run
    body = [f"<h1>{e(TITLE)}</h1>",
            f'<p class="sub">{e(_subtitle(evaluated, request))}</p>']
    if run.overrides:
        body.append('<section id="what-if"><div class="whatif"><strong>What-if.</strong><ul>'
                    + "".join(f"<li>{e(line)}</li>" for line in words.what_if_lines(run.overrides))
                    + "</ul></div></section>")
    facility_ids = [f.id for f in evaluated.loaded.facilities]
    if "matrix" in sections:
        body.append(_site_matrix(evaluated, facility_ids))
    if "obligations" in sections:
        body.append(_obligations(evaluated, facility_ids))
    if "timeline" in sections and timelines is not None:
        body.append(_timelines(timelines))
    if "priorities" in sections and priorities is not None:
        body.append(_priorities(*priorities))
    if "explained" in sections and trace != "none":
        body.append(_explained(run, trace))
    if "audit" in sections:
        body.append(_audit(evaluated, request))
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{e(TITLE)} — {e(run.as_of.isoformat())}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
            + "\n".join(body) + f"\n<script>{SCRIPT}</script>\n</body>\n</html>\n")


TITLE = "Data-centre energy-efficiency law: which law applies, side by side, over time"


def _subtitle(evaluated, request) -> str:
    regimes = ", ".join(f"{p.code} ({p.name})" for p in evaluated.plans)
    chosen = request.jurisdictions or "home (default)"
    return (f"As of {evaluated.run.as_of.isoformat()} · {len(evaluated.loaded.facilities)} facilities · regimes: "
            f"{regimes} · -j {chosen}")


def _site_matrix(evaluated, facility_ids) -> str:
    from .compare import failing, site_matrix

    matrix = site_matrix(evaluated.run, facility_ids, evaluated.plans)
    rows = []
    for site, name, cells in matrix.sites:
        tds = []
        for regime, evaluation in zip(matrix.regimes, cells):
            if evaluation is None:
                tds.append(f'<td class="muted" title="{e(words.NOT_JUDGED_TITLE)}">{e(words.NOT_JUDGED)}</td>')
                continue
            failing_rules = "".join(f"<br><small>✗ {e(r.rule)}</small>" for r in failing(evaluation))
            tds.append(f'<td class="{STATUS_CLASS[evaluation.status]}">{e(words.status_word(evaluation.status))}'
                       f"{failing_rules}</td>")
        overall = words.worst_status([c.status for c in cells if c])
        tds.append(f'<td class="{STATUS_CLASS.get(overall, "muted")}">{e(words.worst([c.status for c in cells if c]))}'
                   "</td>")
        rows.append(f"<tr><th>{e(site)}<br><small>{e(name)}</small></th>{''.join(tds)}</tr>")
    totals = "".join(f"<td>{e(words.tally([c[i].status for _, _, c in matrix.sites if c[i]])).replace(chr(10), '<br>')}"
                     "</td>" for i in range(len(matrix.regimes)))
    head = "".join(f"<th>{e(r)}</th>" for r in matrix.regimes)
    operators = "".join(f"<li>{e(words.operator_line(o))}</li>" for o in matrix.operators)
    return (f'<section id="matrix"><h2>{e(words.HTML_MATRIX)}</h2>'
            f"<table><thead><tr><th>site</th>{head}<th>overall</th></tr></thead><tbody>{''.join(rows)}"
            f"<tr><th>total</th>{totals}<td></td></tr></tbody></table>"
            + (f"<ul>{operators}</ul>" if operators else "") + "</section>")


def _obligations(evaluated, facility_ids) -> str:
    from .compare import obligation_matrix

    parts = [f'<section id="obligations"><h2>{e(words.HTML_OBLIGATIONS)}</h2>']
    for facility in facility_ids:
        matrix = obligation_matrix(evaluated.run, evaluated.plans, facility)
        if not matrix.regimes:
            continue
        head = "".join(f'<th>{e(r)}: <span class="v {STATUS_CLASS[s]}">{e(words.status_word(s))}</span></th>'
                       for r, s in zip(matrix.regimes, matrix.statuses))
        rows = []
        for theme, cells in matrix.rows:
            tds = []
            for regime, cell in zip(matrix.regimes, cells):
                results = [r for r in matrix.results.get((theme, regime), ()) if r.verdict != "not_applicable"]
                klass = VERDICT_CLASS.get(_weightiest(results), "muted") if results else "muted"
                tds.append(f'<td class="{klass}"><ul class="cell">' + "".join(f"<li>{e(c)}</li>" for c in cell)
                           + "</ul></td>")
            rows.append(f"<tr><th>{e(theme)}</th>{''.join(tds)}</tr>")
        parts.append(f"<h3>{e(matrix.facility)} — {e(matrix.name)}</h3><table><thead><tr><th>obligation</th>{head}"
                     f"</tr></thead><tbody>{''.join(rows)}</tbody></table>")
    parts.append(f"<p class=\"sub\">{e(words.COMPARE_NOTE)}</p></section>")
    return "".join(parts)


def _weightiest(results) -> str:
    verdicts = [r.verdict for r in results]
    return next((v for v in ("fail", "unknown", "pass", "exempt", "info", "not_in_force") if v in verdicts), "info")


def _timelines(timelines) -> str:
    from .charts import svg_element

    parts = [f'<section id="timeline"><h2>{e(words.HTML_TIMELINE)}</h2>']
    for timeline in timelines:
        head = "".join(f"<th>{y}</th>" for y in timeline.years)
        rows = "".join(
            f"<tr><th>{e(line.rule)}<br><small>{e(line.severity)}"
            f"{' (proposed)' if line.legal_status == 'proposed' else ''}</small></th>"
            + "".join(f'<td class="{VERDICT_CLASS.get(r.verdict, "muted") if r else "muted"}" '
                      f'title="{e(words.verdict_word(r) + " " + words.figures(r)) if r else ""}">'
                      f"{e(words.year_mark(r))}</td>" for r in line.results)
            + f"<td>{e(words.first_missed(line))}</td></tr>" for line in timeline.lines)
        chart = (f'<div class="chart">{svg_element(timeline)}</div>' if timeline.series
                 else f"<p>{e(words.no_chart())}</p>")
        parts.append(f"<h3>{e(timeline.facility)} — {e(timeline.name)}</h3>{chart}"
                     f"<table><thead><tr><th>rule</th>{head}<th>first missed</th></tr></thead>"
                     f"<tbody>{rows}</tbody></table>")
    parts.append(f'<p class="sub">{e(words.TIMELINE_LEGEND)}</p></section>')
    return "".join(parts)


def _priorities(gap_items, target_items, coming, as_of, through) -> str:
    from .priorities import by_deadline, by_size

    def items(ordered):
        return ("<ol>" + "".join(f"<li>{e(words.gap_line(0, g).split('. ', 1)[1])}</li>" for g in ordered) + "</ol>"
                if ordered else f"<p>{e(words.NO_GAPS.strip())}</p>")

    deadlines = "".join(f"<tr><td>{e(d.date.isoformat())}</td><td>{e(d.facility)}</td><td>{e(d.rule)}</td>"
                        f"<td>{e(d.detail)}</td></tr>" for d in coming)
    return (f'<section id="priorities"><h2>{e(words.HTML_PRIORITIES)}</h2>'
            f"<h3>{e(words.BY_SIZE)}</h3>{items(by_size(gap_items))}"
            f"<h3>{e(words.BY_DEADLINE)}</h3>{items(by_deadline(gap_items))}"
            + (f"<h3>{e(words.TARGETS)}</h3>{items(by_size(target_items))}" if target_items else "")
            + f"<h3>{e(words.coming_head(as_of, through))}</h3>"
            + (f"<table><thead><tr><th>date</th><th>site</th><th>rule</th><th>what</th></tr></thead>"
               f"<tbody>{deadlines}</tbody></table>" if coming else f"<p>{e(words.NO_DEADLINES.strip())}</p>")
            + "</section>")


def _explained(run, trace: str) -> str:
    from .explain import trace_lines

    parts = [f'<section id="explained"><h2>{e(words.HTML_EXPLAINED)}</h2>']
    count = 0
    for evaluation in run.evaluations:
        for result in evaluation.results:
            if result.verdict in ("fail", "unknown"):
                count += 1
                parts.append(f'<h3 id="{e(evaluation.facility)}--{e(result.rule)}">{e(evaluation.facility)} × '
                             f'{e(result.rule)} <span class="v {VERDICT_CLASS[result.verdict]}">'
                             f"{e(words.verdict_word(result))}</span></h3>"
                             f"<pre>{e(chr(10).join(trace_lines(result, evaluation, run.as_of, trace)))}</pre>")
    for operator in run.operators:
        for result in operator.results:
            if result.verdict in ("fail", "unknown"):
                count += 1
                parts.append(f"<h3>operator {e(operator.operator)} × {e(result.rule)}</h3>"
                             f"<pre>{e(chr(10).join(trace_lines(result, None, run.as_of, trace)))}</pre>")
    if not count:
        parts.append(f"<p>{e(words.HTML_NOTHING_TO_EXPLAIN)}</p>")
    parts.append("</section>")
    return "".join(parts)


def _audit(evaluated, request) -> str:
    from .. import __version__

    rows = [("tool", f"dcpolicy {__version__}"), ("as of", evaluated.run.as_of.isoformat()),
            ("regimes (-j)", request.jurisdictions or "home (default)"),
            ("period", request.period or "the latest ended on or before the as-of date"),
            ("generated", "from the inputs below only; the same inputs give the same page")]
    rows += [(f"input {s.path}", f"sha256 {s.sha256}") for s in evaluated.loaded.sources]
    rows += [(f"policy {p.file}", f"sha256 {p.sha256}") for p in evaluated.plans]
    rows += [(f"--set {o.facility}", f"{o.path} = {o.written}") for o in evaluated.run.overrides]
    body = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows)
    return f'<section id="audit" class="audit"><h2>{e(words.HTML_AUDIT)}</h2><table>{body}</table></section>'


# ---------------------------------------------------------------- the command and --format html
def add_arguments(parser) -> None:
    from .views import add_options

    add_options(parser, formats=("html",))
    parser.add_argument("--from", dest="first_year", type=int, metavar="YEAR", help="timeline: first year")
    parser.add_argument("--to", dest="last_year", type=int, metavar="YEAR", help="timeline: last year")
    parser.add_argument("--months", type=int, default=12, metavar="N", help="deadlines of the next N months")


def full_report(evaluated, request, args) -> str:
    from .priorities import add_months, deadlines, gaps
    from .timeline import check_years, timelines_of

    as_of = request.as_of
    through = add_months(as_of, getattr(args, "months", 12))
    check_years(args)
    timelines = timelines_of(evaluated, request, getattr(args, "first_year", None), getattr(args, "last_year", None))
    ahead = timelines_of(evaluated, request, as_of.year, max(as_of.year + 7, through.year))
    priorities = (gaps(ahead, as_of), gaps(ahead, as_of, ("target",)), deadlines(evaluated, ahead, as_of, through),
                  as_of, through)
    return page(evaluated, request, SECTIONS, timelines, priorities)


def run(args) -> int:
    from .views import run_view

    return run_view(args, "report", full_report)
