"""Verdicts alone (evaluator/verdicts.py) give exactly the full evaluation's verdicts, projections and statuses.

The verdict form of a plan is its own generated code with the trace recorder taken out
(evaluator/verdict_code.py); the decision procedure is decide.py's, step for step. Both are checked here
against the full evaluation: over every shipped regime with the differential test's edge-seeking
generators (limits exactly met, the day before and the day a rule comes into force, missing facts,
reliefs with figures missing, operators' facilities), over the shipped examples and fixtures at dates
either side of every in-force date, and over a policy that uses every construct of the language.
"""

from __future__ import annotations

import ast
import datetime
import importlib
import random
from pathlib import Path

import pytest

from dcpolicy.cli import api
from dcpolicy.dsl.checker import check
from dcpolicy.dsl.parser import parse
from dcpolicy.evaluator.compiler import compile_policy
from dcpolicy.evaluator.engine import evaluate
from dcpolicy.evaluator.facts import LoadedInput
from dcpolicy.evaluator.inputs import load_facility_nodes
from dcpolicy.evaluator.verdict_code import untraced_functions, verdict_plan
from dcpolicy.evaluator.verdicts import judge

from reference.common import prune
from test_differential import FILE, REGIMES, node

ROOT = Path(__file__).resolve().parent.parent
CASES = 400  # per regime: the differential test runs 10,000 per regime against the references
DATES = [datetime.date(year, month, 1) for year in range(2023, 2037) for month in (1, 7)]


def facility_rules(plan) -> set[str]:
    return {r.rule_id for r in plan.rules if not r.for_operator}


def disagreements(plans, loaded, as_of, period=None) -> list[str]:
    """Every evaluation whose verdicts, projections, status or scope differ between the two paths."""
    full = evaluate(plans, loaded, as_of, period, provenance=False)
    alone = judge([verdict_plan(p) for p in plans], loaded, as_of, period)
    assert [(e.facility, e.jurisdiction) for e in full.evaluations] == [(v.facility, v.jurisdiction) for v in alone]
    found = []
    for e, v in zip(full.evaluations, alone):
        expected = [(r.rule, r.verdict, r.projection) for r in e.results]
        got = [(r.rule, r.verdict, r.projection) for r in v.results]
        assert v.verdicts == tuple(r.verdict for r in v.results)
        if (expected, e.status, e.in_scope) != (got, v.status, v.in_scope):
            found.append(f"{e.facility} × {e.jurisdiction} as of {as_of}: full {e.status} {e.in_scope} "
                         f"{[x for x in expected if x not in got]}, verdicts alone {v.status} {v.in_scope} "
                         f"{[x for x in got if x not in expected]}")
    return found


@pytest.mark.parametrize("code", REGIMES)
def test_verdicts_alone_agree_with_the_full_evaluation_on_generated_edges(code):
    reference = importlib.import_module(f"reference.{code}")
    rng = random.Random(f"verdicts-{code}")
    plan = api.compile_plans([api.shipped_policies()[code]])[0]
    generated = []
    for index in range(CASES):
        written, as_of = reference.generate(rng)
        members = written if isinstance(written, list) else [written]
        for number, member in enumerate(members):
            facility = {"id": f"{code}-{index}-{number}", "name": f"Generated {index}", **prune(member)}
            if isinstance(written, list):
                facility["operator_id"] = f"op-{index}"
            generated.append((facility, as_of))
    loaded = load_facility_nodes([node(f) for f, _ in generated], FILE, "")
    by_date: dict = {}
    for facility, (_, as_of) in zip(loaded.facilities, generated):
        by_date.setdefault(as_of, []).append(facility)
    problems = []
    for as_of, facilities in sorted(by_date.items()):
        problems += disagreements([plan], LoadedInput(tuple(facilities), ()), as_of)
    assert not problems, f"{len(problems)} disagreements, e.g.:\n" + "\n".join(problems[:5])


@pytest.mark.parametrize("inputs", [["examples/portfolio.yaml"], ["tests/fixtures/facilities"]])
def test_verdicts_alone_agree_on_the_examples_at_every_edge_date(inputs):
    plans = api.compile_plans(sorted(api.shipped_policies().values()))
    loaded = api.load_facilities([str(ROOT / i) for i in inputs])
    in_force = {d for plan in plans for r in plan.rules for d in _literal_dates(plan, r.in_force_from)}
    dates = sorted(set(DATES) | in_force | {d - datetime.timedelta(days=1) for d in in_force})
    problems = [p for as_of in dates for p in disagreements(plans, loaded, as_of)]
    assert not problems, "\n".join(problems[:5])


def test_verdicts_alone_agree_for_a_period_asked_for():
    plans = api.compile_plans(sorted(api.shipped_policies().values()))
    loaded = api.load_facilities([str(ROOT / "examples")])
    for label in ("2024", "2025", "FY2024", "1999"):
        assert not disagreements(plans, loaded, datetime.date(2031, 6, 1), label)


def test_verdicts_alone_agree_on_every_construct_of_the_language():
    path = ROOT / "tests/fixtures/policies/all_constructs.policy"
    text = path.read_text(encoding="utf-8")
    plan = compile_policy(check(parse(text, str(path)), text), "0" * 64)
    loaded = api.load_facilities([str(ROOT / "tests/fixtures/facilities"), str(ROOT / "examples")])
    assert not [p for as_of in DATES for p in disagreements([plan], loaded, as_of)]


def test_the_verdict_form_is_the_plan_without_its_trace_recorder():
    plan = api.compile_plans([api.shipped_policies()["de"]])[0]
    untraced = untraced_functions(plan)
    generated = {n.name for n in ast.parse(plan.source).body if isinstance(n, ast.FunctionDef)}
    assert set(untraced) == generated
    for name, function in untraced.items():
        assert function.__name__ == name + "__v"
        assert "_r" not in function.__code__.co_names  # no slot is filled
    expr = plan.rules[0].require
    values = [None] * len(expr.nodes)
    facility = api.load_facilities([str(ROOT / "examples/fra-3.yaml")]).facilities[0]
    from dcpolicy.evaluator.context import Context
    from dcpolicy.evaluator.periods import choose_period

    context = Context(plan, facility, choose_period(facility, plan, datetime.date(2031, 6, 1), None))
    assert untraced[expr.function.__name__](context, None) == expr.function(context, values)


def test_a_verdict_is_one_shared_object_per_outcome():
    """No per-result object: a rule's RuleVerdict is shared by every facility with the same outcome."""
    plan = api.compile_plans([api.shipped_policies()["de"]])[0]
    loaded = api.load_facilities([str(ROOT / "examples/portfolio.yaml")])
    found = judge([verdict_plan(plan)], loaded, datetime.date(2031, 6, 1))
    results = [r for f in found for r in f.results]
    assert len({id(r) for r in results}) == len({(r.rule, r.verdict, r.projection) for r in results})


def _literal_dates(plan, expr) -> list[datetime.date]:
    from dcpolicy.evaluator.context import Context

    if expr is None or not expr.constant:
        return []
    value, _ = expr.run(Context(plan))
    return [value] if isinstance(value, datetime.date) else []
