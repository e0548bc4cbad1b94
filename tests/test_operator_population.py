"""Aggregates over the operator's facilities: by default those in the jurisdiction's scope;
`including out-of-scope` counts every facility of the operator (e.g. METI's "DC業に係る事業の
エネルギー使用量の合計": the whole DC business, not only the DCs the size test judges)."""

from __future__ import annotations

import datetime
import textwrap
from pathlib import Path

import pytest

from dcpolicy.dsl import ast
from dcpolicy.dsl.checker import check
from dcpolicy.dsl.diagnostics import DiagnosticError
from dcpolicy.dsl.formatter import format_policy
from dcpolicy.dsl.parser import parse
from dcpolicy.evaluator.compiler import compile_policy
from dcpolicy.evaluator.engine import evaluate
from dcpolicy.evaluator.inputs import load_inputs
from dcpolicy.cli.phrasing import reason

AS_OF = datetime.date(2026, 3, 1)

POLICY = """\
jurisdiction xx "Test land"
  law      "Test Act"
  calendar calendar-year
scope "Data centres of at least 300 kW"
  cite    "TA §2"
  applies facility.power.nominal_connected >= 300 kW
define business_energy = sum(period.energy.total including out-of-scope)
define judged_energy = sum(period.energy.total)
rule covered "Operators using at least 10 GWh in their DC business"
  cite    "TA §3"
  applies business_energy >= 10 GWh
  require true
rule judged "In-scope DCs together use at least 10 GWh"
  cite    "TA §4"
  require judged_energy >= 10 GWh
rule operator_count "Operator: every DC counted"
  cite    "TA §5"
  for     operator
  require count(period.energy.total including out-of-scope) >= 2 and count(period.energy.total) >= 1
"""

PORTFOLIO = """\
dcpolicy: portfolio/1
operator: op
facilities:
  - id: big
    name: Big DC
    power: {nominal_connected: "2 MW"}
    periods:
      - period: 2025
        energy: {total: "7 GWh", it: "5 GWh"}
  - id: small
    name: Small room (out of scope)
    power: {nominal_connected: "100 kW"}
    periods:
      - period: 2025
        energy: {total: "%s", it: "2 GWh"}
"""


def _plan(source: str = POLICY):
    return compile_policy(check(parse(source, "xx.policy"), source), "0" * 64)


def _run(tmp_path: Path, small_total: str | None):
    text = PORTFOLIO % small_total if small_total else PORTFOLIO.replace(
        '        energy: {total: "%s", it: "2 GWh"}\n', '        energy: {it: "2 GWh"}\n')
    path = tmp_path / "portfolio.yaml"
    path.write_text(text, encoding="utf-8")
    return evaluate([_plan()], load_inputs([str(path)]), AS_OF)


def _result(run, rule: str, facility: str = "big"):
    evaluation = next(e for e in run.evaluations if e.facility == facility)
    return next(r for r in evaluation.results if r.rule == f"xx.{rule}")


# ---------------------------------------------------------------- syntax and checking
def test_parses_into_the_aggregate_and_formats_back():
    source = 'jurisdiction xx "X"\ndefine e = sum(period.energy.total where period.full_period including out-of-scope)\n'
    policy = parse(source, "xx.policy")
    call = policy.definitions[0].expr
    assert isinstance(call, ast.Call) and call.including_out_of_scope and call.where is not None
    formatted = format_policy(policy, source)
    assert "define e = sum(period.energy.total where period.full_period including out-of-scope)" in formatted
    assert parse(formatted, "xx.policy") == policy
    plain = parse('jurisdiction xx "X"\ndefine e = sum(period.energy.total)\n', "xx.policy")
    assert plain.definitions[0].expr.including_out_of_scope is False


def test_only_aggregates_take_including_out_of_scope():
    source = 'jurisdiction xx "X"\nrule r "t"\n  cite "§1"\n  require abs(1 including out-of-scope) <= 1\n'
    with pytest.raises(DiagnosticError) as caught:
        check(parse(source, "xx.policy"), source)
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.code, diagnostic.span.line, diagnostic.span.column) == ("E203", 4, 11)
    assert '"including out-of-scope" goes with aggregates, not with "abs"' in diagnostic.message


# ---------------------------------------------------------------- evaluation
def test_the_out_of_scope_facility_counts_only_where_asked(tmp_path):
    run = _run(tmp_path, "3 GWh")  # 7 GWh in scope + 3 GWh out of scope = 10 GWh
    assert _result(run, "covered").verdict == "pass"          # 10 GWh >= 10 GWh: the business counts
    assert _result(run, "judged").verdict == "fail"           # 7 GWh: only the in-scope DC
    assert _result(run, "judged").value == pytest.approx(7_000_000)
    assert _result(run, "covered", "small").verdict == "not_applicable"  # still not judged itself
    (operator,) = run.operators
    assert operator.results[0].verdict == "pass"              # count 2 including, 1 in scope


def test_just_below_the_threshold_with_the_out_of_scope_facility(tmp_path):
    run = _run(tmp_path, "2999999 kWh")
    assert _result(run, "covered").verdict == "not_applicable"


def test_a_missing_figure_of_an_out_of_scope_facility_is_named(tmp_path):
    run = _run(tmp_path, None)
    covered = _result(run, "covered")
    assert covered.verdict == "unknown"
    assert "period.energy.total" in covered.missing
    assert "period.energy.total (facility small)" in reason(covered)
    assert _result(run, "judged").verdict == "fail"           # the in-scope aggregate does not need it


def test_without_out_of_scope_facilities_both_populations_agree(tmp_path):
    path = tmp_path / "one.yaml"
    path.write_text(textwrap.dedent("""\
        id: big
        name: Big DC
        operator_id: op
        power: {nominal_connected: "2 MW"}
        periods:
          - period: 2025
            energy: {total: "12 GWh", it: "10 GWh"}
        """), encoding="utf-8")
    run = evaluate([_plan()], load_inputs([str(path)]), AS_OF)
    assert _result(run, "covered").verdict == _result(run, "judged").verdict == "pass"
