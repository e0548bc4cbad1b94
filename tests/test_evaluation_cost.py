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


# ---------------------------------------------------------------- equal parts shared within a run (issue 9, item 2)
SHARING_POLICY = """\
jurisdiction xx "Testland"
  law          "Test Act"
  legal-status in-force
  calendar     fiscal-year from 04-01

rule flagged "Flagged facilities"
  cite    "T §1"
  applies facility.public_sector
  from    2040-01-01
  require period.energy.total >= 0 kWh

rule big "Big facilities"
  cite    "T §2"
  applies facility.power.nominal_connected >= 500 kW
  require period.energy.total >= 0 kWh
"""
SHARING_FACILITIES = """\
facilities:
  - {id: a, name: A, public_sector: false, power: {nominal_connected: 0 kW},
     periods: [{period: FY2029, energy: {total: 1 GWh}}]}
  - {id: b, name: B, public_sector: false, power: {nominal_connected: 0 kW},
     periods: [{period: FY2029, energy: {total: 2 GWh}}]}
  - {id: c, name: C, public_sector: true, power: {nominal_connected: 100 kW},
     periods: [{period: FY2029, energy: {total: 3 GWh}}]}
  - {id: d, name: D, public_sector: true, power: {nominal_connected: 100 kW},
     periods: [{period: FY2029, energy: {total: 4 GWh}}]}
"""


def _sharing_run(tmp_path, provenance):
    from dcpolicy.dsl.checker import check
    from dcpolicy.dsl.parser import parse
    from dcpolicy.evaluator.compiler import compile_policy

    plan = compile_policy(check(parse(SHARING_POLICY, "xx.policy"), SHARING_POLICY), "0" * 64)
    path = tmp_path / "portfolio.yaml"
    path.write_text(SHARING_FACILITIES, encoding="utf-8")
    return api.evaluate_plans([plan], api.load_facilities([str(path)]), datetime.date(2031, 6, 1),
                              provenance=provenance)


def test_equal_decisions_and_bare_fact_traces_are_shared_and_stay_what_they_say(tmp_path):
    lean = _sharing_run(tmp_path, False)
    a, b, c, d = lean.evaluations
    assert [r.verdict for e in lean.evaluations for r in e.results] == \
        ["not_applicable"] * 4 + ["not_in_force", "not_applicable"] * 2
    # the same fact value: one Decision naming it (and one trace of the bare `applies facility.public_sector`)
    assert a.results[0].decision is b.results[0].decision
    assert a.results[0].trace[0] is b.results[0].trace[0] and a.results[0].trace[0].values == (False,)
    assert a.results[1].decision is b.results[1].decision and a.results[1].decision.facts[0].value == 0.0
    # another value: another Decision, which names its own figure
    assert c.results[1].decision is d.results[1].decision is not a.results[1].decision
    assert c.results[1].decision.facts[0].value == 100.0
    assert c.results[0].decision is d.results[0].decision  # not_in_force on the same dates
    assert c.results[0].trace[0].values == (True,) and c.results[0].trace[0] is not a.results[0].trace[0]
    # with provenance each facility's bare fact keeps where it came from: never shared
    full = _sharing_run(tmp_path, True)
    first, second = full.evaluations[0].results[0].trace[0], full.evaluations[1].results[0].trace[0]
    assert first is not second and first.sources != second.sources


def test_values_shown_apart_are_never_taken_for_one_another():
    from dcpolicy.evaluator.tracing import same_value_key
    from dcpolicy.evaluator.values import NOT_EVALUATED, UNKNOWN, Bounds

    keys = [same_value_key(v) for v in (1, 1.0, True, 0.0, -0.0, "1", datetime.date(2030, 1, 1), UNKNOWN,
                                        NOT_EVALUATED, None, False, 0)]
    assert len(set(keys)) == len(keys)
    assert same_value_key(1.5) == same_value_key(3 / 2) and same_value_key("x") == same_value_key("x")
    assert same_value_key(float("nan")) is None and same_value_key(Bounds(0.0, 1.0)) is None


NESTED_CONSTANTS = """\
jurisdiction xx "Testland"
  law          "Test Act"
  legal-status in-force
  calendar     calendar-year

define limit = 1.5
define stricter = limit - 0.2

rule pue "PUE at most the stricter limit"
  cite    "T §1"
  require period.energy.total / period.energy.it <= stricter
"""


def test_every_facility_lists_the_constant_definitions_a_constant_definition_read(tmp_path):
    """A clause reading `stricter`, a constant that reads the constant `limit`: every facility's trace lists
    both (the first one computed them; the others take them from the run, as if they had)."""
    from dcpolicy.dsl.checker import check
    from dcpolicy.dsl.parser import parse
    from dcpolicy.evaluator.compiler import compile_policy

    plan = compile_policy(check(parse(NESTED_CONSTANTS, "xx.policy"), NESTED_CONSTANTS), "0" * 64)
    path = tmp_path / "portfolio.yaml"
    path.write_text("facilities:\n" + "".join(
        f"  - {{id: f{i}, name: F{i}, periods: [{{period: 2030, energy: {{total: {12 + i} GWh, it: 10 GWh}}}}]}}\n"
        for i in range(3)), encoding="utf-8")
    for provenance in (True, False):
        run = api.evaluate_plans([plan], api.load_facilities([str(path)]), datetime.date(2031, 6, 1),
                                 provenance=provenance)
        listed = [[d.name for d in e.results[0].trace[-1].definitions] for e in run.evaluations]
        assert listed == [["stricter", "limit"]] * 3
        assert [e.results[0].verdict for e in run.evaluations] == ["pass", "pass", "fail"]
