"""JSON output written with the C encoder: the `--format json` document and `--format jsonl`, one record per line.

Both are assembled from one compact encoding per evaluation (`json.dumps` without indent uses the C
encoder; `indent` would force the pure-Python one, which cost 20-27 s at 10,000 facilities), so the
output is byte-for-byte deterministic and can be written as results are produced.
"""

from __future__ import annotations

import json

from .. import __version__

TRACES = ("none", "reasons", "full")  # --trace: no trace, one step per clause, the tree of steps
FORMAT = "dcpolicy/result/1"

# allow_nan=False: Infinity and NaN are not JSON; a figure that left the range of numbers is unknown
# (null) long before it gets here, so one that did would be a bug, reported as such (exit 4)
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def header(run, options: dict | None = None) -> dict:
    head = {"format": FORMAT, "tool": {"name": "dcpolicy", "version": __version__}, "as_of": run.as_of.isoformat(),
            "counting": list(run.counting)}
    return {**head, "options": options} if options is not None else head


def options(request, plans, trace: str | None) -> dict:
    """What the run was asked and what it used (docs/results.md, "Options"): enough to run it again."""
    return {
        "inputs": list(request.inputs),
        "jurisdictions": request.jurisdictions,  # as given; null: the default (docs/results.md)
        "policy_files": list(request.policy_files),
        "as_of": request.as_of.isoformat(),
        "period": request.period,
        "trace": trace,
        "fail_on": sorted(request.fail_on),
        "set": list(request.overrides),  # the --set texts (what they changed: the document's "overrides")
        "policies": [{"jurisdiction": plan.code, "file": plan.file, "sha256": plan.sha256} for plan in plans],
    }


def evaluation_record(e, trace: str) -> dict:
    """One evaluation as the contract's dict: the reference json_text.RecordWriter writes as text, byte for byte
    (tests/test_json_text.py); the output itself is written by the writer."""
    from .render import beside_status_json, result_json, scope_reason_json

    return {
        "jurisdiction": e.jurisdiction,
        "facility": e.facility,
        "source": {"file": e.source_file, "sha256": e.source_sha256},
        "policy": {"file": e.policy_file, "sha256": e.policy_sha256},
        "status": e.status,
        **scope_reason_json(e),
        **beside_status_json(e.results),
        "period": e.period,
        "results": [result_json(r, e, trace) for r in e.results],
    }


def operator_record(o, trace: str) -> dict:
    """One operator evaluation as the contract's dict (the reference, as evaluation_record)."""
    from .render import beside_status_json, result_json, scope_reason_json

    return {
        "jurisdiction": o.jurisdiction,
        "operator": o.operator,
        "facilities": list(o.facilities),
        "policy": {"file": o.policy_file, "sha256": o.policy_sha256},
        "status": o.status,
        **scope_reason_json(o),
        **beside_status_json(o.results),
        "period": o.period,
        "results": [result_json(r, None, trace) for r in o.results],
    }


def json_document(run, trace: str = "reasons", options: dict | None = None):
    """The result document (contract v1) in pieces: the run's fields, then one evaluation per line."""
    writer = _writer(trace)
    yield _encode(header(run, options))[:-1] + ',"evaluations":['
    yield from _listed(writer.evaluation(e, kind=False) for e in run.evaluations)
    yield "]"
    if run.operators:
        yield ',"operators":['
        yield from _listed(writer.operator(o, kind=False) for o in run.operators)
        yield "]"
    yield "}\n"


def _listed(records):
    first = True
    for record in records:
        yield ("\n" if first else ",\n") + record
        first = False
    if not first:
        yield "\n"


def _writer(trace):
    """The records of one call as text (cli/json_text.py): the same bytes as encoding evaluation_record."""
    from .json_text import RecordWriter

    return RecordWriter(trace, _encode)


def jsonl_header(run, options: dict | None = None) -> str:
    """The first line of `--format jsonl`: "kind": "run" with the document's own fields."""
    return _encode({"kind": "run", **header(run, options)}) + "\n"


class Writers:
    """One RecordWriter per process for a whole streamed run, made when first asked for: a --jobs worker renders
    its share one operator's facilities at a time, and a writer per part encoded every rule's and node's
    static fragments again each time. Safe to keep: its caches hold what they are keyed by (cli/json_text.py)."""

    def __init__(self, trace: str):
        self.trace = trace
        self.writer = None

    def get(self):
        if self.writer is None:
            self.writer = _writer(self.trace)
        return self.writer


def jsonl_lines(run, trace: str, writers: Writers | None = None):
    """`--format jsonl` for one batch: each evaluation and each operator evaluation on its own line,
    tagged "kind": "evaluation" | "operator"."""
    writer = writers.get() if writers is not None else _writer(trace)
    for e in run.evaluations:
        yield writer.evaluation(e, kind=True) + "\n"
    for o in run.operators:
        yield writer.operator(o, kind=True) + "\n"


def jsonl_overrides(applied) -> str:
    """The last line of `--format jsonl` with --set: "kind": "overrides", the document's `overrides`."""
    from .site_words import overrides_json

    return _encode({"kind": "overrides", "overrides": overrides_json(applied)}) + "\n"


def jsonl_parts(run, trace: str, writers: Writers | None = None) -> tuple[str, dict[str, str]]:
    """`jsonl_lines` of one operator's facilities, in two parts (--jobs on a register, cli/split_stream.py): the
    evaluation lines, and the operator lines by jurisdiction, to be placed after the whole batch's evaluations."""
    writer = writers.get() if writers is not None else _writer(trace)
    operators: dict[str, str] = {}
    for o in run.operators:
        operators[o.jurisdiction] = operators.get(o.jurisdiction, "") + writer.operator(o, kind=True) + "\n"
    return "".join(writer.evaluation(e, kind=True) + "\n" for e in run.evaluations), operators
