"""JSON records written from pre-encoded fragments (cli/json_text.py) are byte for byte the encoded dicts.

The reference is the straightforward rendering: cli/jsonl.py `evaluation_record` / `operator_record` (and
explain.clause_tree under them) encoded by the same encoder. Compared in every trace mode over every shipped
policy case, the examples under every regime, and hand-made results with the text and values that are hard
to encode: quotes, backslashes, control characters, line separators, non-ASCII, non-finite figures.
"""

from __future__ import annotations

import datetime
import json
import sys

import pytest

from dcpolicy.cli import api, jsonl
from dcpolicy.cli.json_text import RecordWriter, value_text
from dcpolicy.cli.jsonl import evaluation_record, json_document, jsonl_lines, jsonl_parts, operator_record
from dcpolicy.dsl.diagnostics import Span
from dcpolicy.dsl.types import Duration
from dcpolicy.dsl.units import ENERGY, NUMBER
from dcpolicy.evaluator.plan import NodeInfo
from dcpolicy.evaluator.results import (ClauseTrace, Comparison, Decision, DefinitionTrace, Evaluation, Gap, GapLever,
                                        MemberFact, OperatorEvaluation, Relief, RuleResult, Run, Shown)
from dcpolicy.evaluator.values import NOT_EVALUATED, UNKNOWN, Bounds

from test_cold_start import ROOT, _chain

ENCODE = jsonl._encode
MODES = ("none", "reasons", "full")


def _reference_lines(run, trace) -> str:
    """`--format jsonl` as it was written before the fragments: each record's dict, encoded."""
    return "".join([ENCODE({"kind": "evaluation", **evaluation_record(e, trace)}) + "\n" for e in run.evaluations]
                   + [ENCODE({"kind": "operator", **operator_record(o, trace)}) + "\n" for o in run.operators])


def _reference_document(run, trace, options=None) -> str:
    """The `--format json` document as it was written before the fragments."""
    def listed(records):
        return "".join(("\n" if i == 0 else ",\n") + ENCODE(r) for i, r in enumerate(records)) + ("\n" if records else "")

    text = ENCODE(jsonl.header(run, options))[:-1] + ',"evaluations":['
    text += listed([evaluation_record(e, trace) for e in run.evaluations]) + "]"
    if run.operators:
        text += ',"operators":[' + listed([operator_record(o, trace) for o in run.operators]) + "]"
    return text + "}\n"


def _assert_same_bytes(run, document: bool = True) -> None:
    for trace in MODES:
        reference = _reference_lines(run, trace)
        assert "".join(jsonl_lines(run, trace)) == reference, trace
        if document:  # the same records in the document and in --jobs' parts
            assert "".join(json_document(run, trace)) == _reference_document(run, trace), trace
            lines, operators = jsonl_parts(run, trace)
            assert lines + "".join(operators.values()) == reference, trace


def test_every_shipped_policy_case_renders_the_reference_bytes_in_every_trace_mode():
    runs = [o.run for o in api.run_cases([]).outcomes if o.run is not None]
    assert len(runs) > 200
    results = [r for run in runs for r in run.every_result()]
    # the cases reach what the fragments treat apart: each kind of value and field, operators and their members
    assert {"pass", "fail", "exempt", "not_applicable", "not_in_force", "unknown", "info"} <= {r.verdict for r in results}
    assert all(any(getattr(r, f) for r in results) for f in ("missing", "projection", "relief", "gap", "due", "items"))
    assert any(run.operators for run in runs)
    assert any(t.definitions for r in results for t in r.trace)
    assert any(hasattr(v, "outcomes") for r in results for t in r.trace for v in t.values)  # records
    for index, run in enumerate(runs):
        _assert_same_bytes(run, document=index % 10 == 0)  # the document wraps the same records (tested below)


@pytest.mark.parametrize("as_of", [datetime.date(2026, 1, 1), datetime.date(2031, 6, 1)])
def test_every_example_under_every_regime_renders_the_reference_bytes(as_of):
    inputs = tuple(str(p) for p in sorted((ROOT / "examples").glob("*.yaml")))
    run = api.evaluate(api.EvalRequest(inputs=inputs, as_of=as_of, jurisdictions="all"))
    assert len(run.evaluations) > 50 and run.operators
    # an operator's aggregates, with the facts each member supplied (inside definitions)
    assert any(d.members for o in run.operators for r in o.results for t in r.trace for d in t.definitions)
    _assert_same_bytes(run)


# ---------------------------------------------------------------- hand-made results: the hard text and values
AWKWARD = 'a "quoted" \\ back\\slash\ttab\nnew line\x00nul\x1fus\x7fdel\u2028ls\u2029ps 稼働 Ü €𝄞 </script>'
SPAN = Span.point(f"pol/{AWKWARD}.policy", 7, 3)


def _node(text, kind="fact", path=None, dimension=NUMBER, type_kind="number", children=()) -> NodeInfo:
    return NodeInfo(text, SPAN, kind, path, dimension, type_kind, children)


def _awkward_run(value=1.25, bounds=Bounds(1.0, float("inf"))) -> Run:
    energy = _node(f"period.energy.total {AWKWARD}", path="period.energy.total", dimension=ENERGY)
    flag = _node("facility.flag", path="facility.flag", type_kind="bool")
    definition = _node("share", kind="definition", path="share")
    # slot 0: a and (b, definition share, an unevaluated slot, a bounded figure, a date, a text …)
    nodes = (_node(f"all {AWKWARD}", kind="operation", type_kind="bool", children=(1, 2, 5, 6, 7, 8, 9, 10, 11)),
             energy, definition, flag, _node("1", kind="literal"), _node("d", kind="literal", type_kind="date"),
             _node("x", kind="fact", path="facility.x"), _node("t", kind="literal", type_kind="text"),
             _node("-0.0", kind="literal"), _node("big", kind="literal"), _node("dur", kind="literal"),
             _node("sum", kind="aggregate", path="facility.power.it", dimension=ENERGY))
    values = (False, 1e-13, True, NOT_EVALUATED, 7, datetime.date(2030, 7, 1), bounds, AWKWARD, -0.0, 10 ** 30,
              Duration(24, 3), UNKNOWN)
    # the definition reads itself (shown inside itself once), a fact, an unevaluated slot and a literal
    inner = DefinitionTrace("share", (_node("share body", kind="operation", children=(1, 2, 3, 4)), energy,
                                      definition, flag, _node("0.5", kind="literal")),
                            (value, float("nan"), value, NOT_EVALUATED, 0.5), {1: f"{AWKWARD}:1:2"},
                            {1: (MemberFact(f"dc-{AWKWARD}", "period.energy.total", float("inf"), None),)})
    members = {11: (MemberFact("dc-1", "facility.power.it", 2.5, f"f.yaml:3:4 {AWKWARD}"),
                    MemberFact("dc-2", "facility.power.it", UNKNOWN, None))}
    clause = ClauseTrace("require", nodes, values, (inner,), {1: f"{AWKWARD}.yaml:4:9", 6: "derived: x"}, members)
    plain = ClauseTrace(f"item {AWKWARD}", (flag,), (True,), ())
    comparison = Comparison("<=", Shown(energy, value), Shown(_node("1.2", kind="literal"), 1.2), False)
    decision = Decision("failed", comparison=comparison)
    lever = GapLever(f"period.energy.total {AWKWARD}", -float("inf"), "kWh", "period.energy.it", ENERGY)
    gap = Gap("pue", "<=", value, 1.2, float("nan"), None, False, lever, False, energy)
    titled = dict(rule=f"x.rule {AWKWARD}", title=AWKWARD, citation=f"§ 11 {AWKWARD}", severity="mandatory",
                  period="2030", in_force_from=datetime.date(2027, 7, 1), legal_status="proposed",
                  quotes=(AWKWARD, "«zitat»"))
    results = (
        RuleResult(verdict="fail", decision=decision, value=value, limit=1.2, unit=f"kWh {AWKWARD}",
                   missing=(AWKWARD, "period.water"), projection=True, period_end=datetime.date(2030, 12, 31),
                   relief=Relief(AWKWARD, None, f"because {AWKWARD}"), gap=gap, due=datetime.date(2031, 3, 31),
                   items=((AWKWARD, "Title", True, False), ("b", AWKWARD, False, True), ("c", "c", 1, 0)),
                   trace=(clause, plain), **titled),
        # the same rule's fields as other objects, and one field changed: the fragments must follow each
        RuleResult(verdict="pass", decision=decision, value=float("inf"), limit=UNKNOWN, trace=(plain,),
                   **{**titled, "citation": "other citation", "quotes": ()}),
        RuleResult(verdict="unknown", decision=Decision("unknown", undecided="x", missing=("a",)), value=True,
                   limit=datetime.date(2030, 1, 1), missing=("a", 1), trace=(clause,),
                   **{**titled, "rule": "x.rule " + AWKWARD[:3], "title": titled["title"]}),
    )
    evaluation = Evaluation(f"x{AWKWARD}", f"dc {AWKWARD}", AWKWARD, f"{AWKWARD}.yaml", "00" * 32, "p.policy",
                            "ab" * 32, "non_compliant", "2030", "calendar", results,
                            Decision("scope_unknown", missing=(AWKWARD,)))
    operator = OperatorEvaluation("x", f"op {AWKWARD}", ("dc-1", AWKWARD), None, "p.policy", "cd" * 32, results)
    return Run(datetime.date(2031, 6, 1), (evaluation, evaluation), (operator,), counting=("proposed",))


def test_awkward_text_and_values_render_the_reference_bytes():
    run = _awkward_run()
    _assert_same_bytes(run)
    line = json.loads("".join(jsonl_lines(run, "full")).split("\n")[0])  # (U+2028 is written as it is)
    assert line["results"][0]["title"] == AWKWARD and line["results"][1]["citation"] == "other citation"
    assert line["results"][1]["value"] is None  # an infinite figure is unknown (null), as json_value has it
    assert line["results"][0]["items"][2] == {"item": "c", "title": "c", "public": 1, "present": 0}


def test_a_non_finite_figure_the_encoder_refuses_is_still_refused():
    """allow_nan=False: a figure that is not a number and reaches the encoder raw (here the lower end of bounds)
    is a bug reported as an error (exit 4), as before; it is never written as NaN."""
    run = _awkward_run(bounds=Bounds(float("nan"), 2.0))
    with pytest.raises(ValueError) as reference:
        _reference_lines(run, "full")
    with pytest.raises(ValueError) as fast:
        "".join(jsonl_lines(run, "full"))
    assert str(fast.value) == str(reference.value)
    _assert_same_bytes(_awkward_run(bounds=Bounds(float("-inf"), float("inf"))))  # no end: {} bounds


@pytest.mark.parametrize("value", [True, False, None, UNKNOWN, NOT_EVALUATED, Bounds(1.0, 2.0), 0, -7, 10 ** 40,
                                   0.1, -0.0, 1e-300, 1.23456789012345, 2.5e17, float("inf"), float("nan"), "",
                                   AWKWARD, datetime.date(2030, 1, 2), datetime.datetime(2030, 1, 2, 3, 4)])
def test_a_value_reads_as_json_value_encoded(value):
    from dcpolicy.cli.explain import json_value

    assert value_text(value, ENCODE) == ENCODE(json_value(value))


def test_a_deep_explanation_is_written_without_recursion():
    """As explain.clause_tree, the writer walks with a stack of its own: at the deepest nesting a policy may have
    (E106: 100 levels) and beyond it, the bytes are the reference's; far past what the C encoder of the
    reference can recurse into, the writer still writes the tree."""
    from dcpolicy.cli.explain import clause_tree

    for depth in (100, 400):
        out: list = []
        RecordWriter("full", ENCODE)._tree(_chain(depth), out)
        assert "".join(out) == ENCODE(clause_tree(_chain(depth)))
    depth = sys.getrecursionlimit() * 3
    out = []
    RecordWriter("full", ENCODE)._tree(_chain(depth), out)
    text = "".join(out)
    assert text.count('"steps":[{') == depth and text.endswith('"column":11}}' + "]}" * depth)
