"""A report on a period that ended before the rule came into force is owed, not a projection, when
its due date falls on or after the in-force date (EU DR 2024/1364: in force 6 Jun 2024, first report
on CY2023 due 15 Sep 2024). Rules that judge figures keep the plain projection test."""

from __future__ import annotations

import datetime
import textwrap

from dcpolicy.dsl.checker import check
from dcpolicy.dsl.parser import parse
from dcpolicy.evaluator.compiler import compile_policy
from dcpolicy.evaluator.engine import evaluate
from dcpolicy.cli.phrasing import reason
from dcpolicy.evaluator.inputs import load_inputs

POLICY = """\
jurisdiction xx "Test land"
  law      "Test Act"
  calendar calendar-year
report owed "Report, first one due after the in-force date"
  cite "TA §3"
  from 2024-06-06
  due  (2024-09-15 when year(period.end) == 2023, date(year(period.end) + 1, 5, 15) otherwise)
  item total "Total energy" non-public period.energy.total
report undated "Report without a due date"
  cite "TA §4"
  from 2024-06-06
  item total "Total energy" non-public period.energy.total
rule kpi "A figure of the period"
  cite     "TA §5"
  severity informational
  from     2024-06-06
  require  period.energy.total > 0 kWh
"""


def _results(tmp_path, year: int, as_of: datetime.date):
    path = tmp_path / "site.yaml"
    path.write_text(textwrap.dedent(f"""\
        id: a
        name: Site A
        periods:
          - period: {year}
            energy: {{total: "10 GWh", it: "8 GWh"}}
        """), encoding="utf-8")
    plan = compile_policy(check(parse(POLICY, "xx.policy"), POLICY), "0" * 64)
    run = evaluate([plan], load_inputs([str(path)]), as_of)
    return {r.rule.split(".")[1]: r for r in run.evaluations[0].results}


def test_report_due_after_the_in_force_date_is_owed_not_projected(tmp_path):
    results = _results(tmp_path, 2023, datetime.date(2024, 6, 6))
    assert results["owed"].verdict == "pass"
    assert results["owed"].due == datetime.date(2024, 9, 15)
    assert results["owed"].projection is False
    assert not reason(results["owed"]).startswith("projection")


def test_report_that_would_have_been_due_before_the_duty_is_a_projection(tmp_path):
    results = _results(tmp_path, 2022, datetime.date(2024, 6, 6))
    assert results["owed"].due == datetime.date(2023, 5, 15)
    assert results["owed"].projection is True
    assert reason(results["owed"]).startswith("projection: figures of period 2022")


def test_without_a_due_date_a_report_keeps_the_period_test(tmp_path):
    results = _results(tmp_path, 2023, datetime.date(2024, 6, 6))
    assert results["undated"].due is None and results["undated"].projection is True


def test_a_rule_judging_figures_keeps_the_period_test(tmp_path):
    results = _results(tmp_path, 2023, datetime.date(2024, 6, 6))
    assert results["kpi"].projection is True
    assert _results(tmp_path, 2024, datetime.date(2025, 1, 1))["kpi"].projection is False
