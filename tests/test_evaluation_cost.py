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


# ---------------------------------------------------------------- computed once, shared (issue 9, item 2)
SHARED_POLICY = """\
jurisdiction xx "Testland"
  law          "Test Act"
  legal-status in-force
  calendar     fiscal-year from 04-01

define pue = period.energy.total / period.energy.it
define cutoff = 2026-07-01
define later = cutoff + 2 years
define fiscal_cutoff = start_of_fiscal_year(fiscal_year(later))
define fleet = sum(period.energy.total)

rule early "PUE at most 1.5"
  cite    "T §1"
  applies facility.started < cutoff
  from    later
  require pue <= 1.5

rule late "PUE at most 1.3"
  cite    "T §2"
  applies facility.started < cutoff
  from    fiscal_cutoff
  require pue <= 1.3

rule big "fleet"
  cite    "T §3"
  from    facility.started + 2 years
  require fleet >= 0 kWh
"""
FACILITIES = """\
facilities:
  - id: a
    name: A
    operator_id: op
    started: 2020-01-01
    periods:
      - period: FY2029
        energy: {total: 15 GWh, it: 10 GWh}
  - id: b
    name: B
    operator_id: op
    started: 2021-01-01
    periods:
      - period: FY2029
        energy: {total: 12 GWh, it: 10 GWh}
"""


def _shared_run(tmp_path, provenance):
    from dcpolicy.dsl.checker import check
    from dcpolicy.dsl.parser import parse
    from dcpolicy.evaluator.compiler import compile_policy

    plan = compile_policy(check(parse(SHARED_POLICY, "xx.policy"), SHARED_POLICY), "0" * 64)
    path = tmp_path / "portfolio.yaml"
    path.write_text(FACILITIES, encoding="utf-8")
    return plan, api.evaluate_plans([plan], api.load_facilities([str(path)]), datetime.date(2031, 6, 1),
                                    provenance=provenance)


def test_the_compiler_marks_what_reads_no_fact_as_constant(tmp_path):
    plan, _ = _shared_run(tmp_path, True)
    definitions = {name: expr.constant for name, expr in plan.definitions.items()}
    assert definitions == {"pue": False, "cutoff": True, "later": True, "fiscal_cutoff": True, "fleet": False}
    early, late, big = plan.rules
    assert early.in_force_from.constant and late.in_force_from.constant  # through definitions and functions
    assert not early.applies.constant and not early.require.constant
    assert not big.in_force_from.constant and not big.require.constant  # a fact; an aggregate through `fleet`


def test_constant_clauses_and_definition_traces_are_made_once_with_the_same_outcome(tmp_path):
    for provenance in (True, False):
        _, run = _shared_run(tmp_path, provenance)
        a, b = run.evaluations
        assert [r.verdict for r in a.results] == ["pass", "fail", "pass"]  # 1.5 <= 1.5 holds; 1.5 <= 1.3 not
        assert [r.verdict for r in b.results] == ["pass", "pass", "pass"]
        assert [str(r.in_force_from) for r in a.results] == ["2028-07-01", "2028-04-01", "2022-01-01"]

        def clause(evaluation, rule, label):
            return next(t for t in evaluation.results[rule].trace if t.label == label)

        # `from later` reads no fact: one trace for both facilities, and its definitions with it
        assert clause(a, 0, "in force") is clause(b, 0, "in force")
        assert [d.name for d in clause(a, 1, "in force").definitions] == ["fiscal_cutoff", "later", "cutoff"]
        assert clause(a, 1, "in force").definitions[2] is clause(a, 0, "in force").definitions[1]
        # `pue` is read by two rules of a facility: one trace of it per facility, not per rule
        pue_early, pue_late = (clause(a, rule, "require").definitions[0] for rule in (0, 1))
        assert pue_early is pue_late and pue_early.values[0] == 1.5
        assert clause(b, 0, "require").definitions[0].values[0] == 1.2
        # a clause that reads a fact is per facility
        assert clause(a, 2, "in force") is not clause(b, 2, "in force")
        assert clause(a, 2, "in force").values != clause(b, 2, "in force").values
