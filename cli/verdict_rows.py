"""`policy eval --format verdicts`: one CSV row per facility (or operator), jurisdiction and rule, streamed.

The register sweep's form: verdicts alone (evaluator/verdicts.py; reasons, figures and traces are not
made at all), read in batches and written as each is judged, memory flat, --jobs workers as for jsonl.
Columns (docs/results.md, "Verdicts"): kind (facility | operator), id, jurisdiction, status, rule,
severity, verdict, set_aside (proposed;projection, or empty when the status counts the verdict).
A spreadsheet opens it as it is; `policy eval --format jsonl` gives the same verdicts with their reasons.
"""

from __future__ import annotations

import csv
import io
import sys

from . import exits
from .escape import spreadsheet

COLUMNS = ("kind", "id", "jurisdiction", "status", "rule", "severity", "verdict", "set_aside")


def rows(verdicts) -> str:
    """The CSV rows of one batch's Verdicts (evaluator/verdict_runs.py)."""
    from ..evaluator.status import set_aside

    out = io.StringIO()
    write = csv.writer(out, lineterminator="\n").writerow
    for found in verdicts.facilities:
        head = ("facility", spreadsheet(found.facility), found.jurisdiction, found.status)
        for result in found.results or (None,):  # a plan without facility rules still shows the status
            write((*head, *_result(result, set_aside)))
    for operator in verdicts.operators:
        head = ("operator", spreadsheet(operator.operator), operator.jurisdiction, operator.status)
        for result in operator.results:
            write((*head, *_result(result, set_aside)))
    return out.getvalue()


def _result(result, set_aside) -> tuple:
    if result is None:
        return "", "", "", ""
    return result.rule, result.severity, result.verdict, ";".join(set_aside(result))


def failing(verdicts, fail_on) -> bool:
    from ..evaluator.status import fails_run

    return any(fails_run(r, fail_on) for v in verdicts.facilities for r in v.results) or any(
        fails_run(r, fail_on) for o in verdicts.operators for r in o.results)


class _Judge:
    """Judges one batch in verdict form; the plans' verdict forms are made once per process (a --jobs worker
    makes its own on its first batch)."""

    def __init__(self, request):
        self.request = request
        self.forms: dict = {}

    def __call__(self, plans, where, loaded):
        from . import api

        key = tuple(id(p) for p in plans)
        forms = self.forms.get(key)
        if forms is None:
            forms = self.forms[key] = api.verdict_plans(plans)
        request = self.request
        return api.judge_verdicts(forms, list(where), loaded, request.as_of, request.period, request.fail_on)


def _rendered(fail_on, verdicts) -> tuple[str, int, int]:
    code = exits.FAIL if failing(verdicts, fail_on) else exits.OK
    return rows(verdicts), code, len({v.facility for v in verdicts.facilities})


def stream(request, stdin_text, jobs: int, output) -> int:
    """Writes the header and every batch's rows through `output` (cli/evaluate.py `_StreamOutput`); the exit
    code of the whole run."""
    import functools

    from . import api

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(COLUMNS)
    sys.stdout.write(out.getvalue())
    unjudged: list[str] = []
    applied: list = []
    try:
        api.evaluate_stream(request, output.emit, stdin_text, batch_size=api.STREAM_BATCH, jobs=jobs,
                            render=functools.partial(_rendered, request.fail_on), unjudged=unjudged,
                            applied=applied, judge_batch=_Judge(request))
    finally:
        output.stop()
    if applied:  # what-if: the facts --set replaced, where a person reads them (the CSV stays one table)
        from .site_words import what_if_lines

        print("".join(f"{line}\n" for line in what_if_lines(applied)), end="", file=sys.stderr)
    if unjudged:
        from .site_words import unjudged as unjudged_note

        print(unjudged_note(unjudged, api.home_jurisdictions()), file=sys.stderr)
    return output.code
