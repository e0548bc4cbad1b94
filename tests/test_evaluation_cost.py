"""Evaluation cost (issue 9): no cyclic garbage per result, and provenance recorded only when it is shown."""

from __future__ import annotations

import datetime
import gc
from pathlib import Path

from dcpolicy.cli import api
from dcpolicy.cli.jsonl import json_document

ROOT = Path(__file__).resolve().parent.parent
AS_OF = datetime.date(2031, 6, 1)
INPUTS = [str(ROOT / "examples")]


def _plans():
    return api.compile_plans(api.resolve_policies("all,de_draft_2026", ()))


def test_evaluation_leaves_no_cyclic_garbage():
    plans = _plans()
    loaded = api.load_facilities(INPUTS)
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for provenance in (True, False):
            run = api.evaluate_plans(plans, loaded, AS_OF, provenance=provenance)
            assert run.evaluations and run.operators
            del run
        gc.collect()
        left = {type(o).__name__ for o in gc.garbage}
        count = len(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was_enabled:
            gc.enable()
    assert not left & {"Context", "RuleResult", "ClauseTrace", "DefinitionTrace", "Decision", "Fact"}, left
    assert count < 1000  # one-off class set-up only, whatever the number of results (thousands were left before)


def test_without_provenance_every_verdict_reason_and_summary_trace_is_the_same():
    plans = _plans()
    loaded = api.load_facilities(INPUTS)
    for as_of in (AS_OF, datetime.date(2026, 11, 23)):
        full = api.evaluate_plans(plans, loaded, as_of)
        lean = api.evaluate_plans(plans, loaded, as_of, provenance=False)
        assert "".join(json_document(full, "reasons")) == "".join(json_document(lean, "reasons"))
        assert any(t.sources for r in full.every_result() for t in r.trace)
        assert not any(t.sources or t.members for r in lean.every_result() for t in r.trace)
