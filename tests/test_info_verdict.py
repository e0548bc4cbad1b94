"""The `info` verdict: an advisory rule with nothing to check (an encouragement, e.g. EED Art. 12(4))
addresses the facility without reading as compliance. Checker, engine, renderers and `policy test`."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from dcpolicy.cli.main import main
from dcpolicy.dsl.checker import check
from dcpolicy.dsl.diagnostics import DiagnosticError, render
from dcpolicy.dsl.parser import parse

ROOT = Path(__file__).resolve().parents[1]
DUBLIN = str(ROOT / "examples" / "dublin-1.yaml")

POLICY = """\
jurisdiction xx "Test land"
  law      "Test Act"
  calendar calendar-year
rule encouraged "Large sites are encouraged to follow the code"
  cite     "TA §4"
  severity advisory
  applies  facility.power.it_installed >= 1 MW
  from     2025-10-11
rule binding "PUE at most 2"
  cite     "TA §5"
  require  period.energy.total / period.energy.it <= 2
"""

FACILITY = """\
id: t-1
name: Test DC
power: {it_installed: "%s"}
periods:
  - period: 2025
    energy: {total: "15 GWh", it: "10 GWh"}
"""


def _diagnostics(source: str):
    try:
        checked = check(parse(source, "xx.policy"), source)
    except DiagnosticError as err:
        return list(err.diagnostics)
    return list(checked.warnings)


def _eval(capsys, tmp_path, *args, it_installed="2 MW"):
    policy = tmp_path / "xx.policy"
    policy.write_text(POLICY, encoding="utf-8")
    site = tmp_path / "t-1.yaml"
    site.write_text(FACILITY % it_installed, encoding="utf-8")
    code = main(["eval", "--policy", str(policy), *args, str(site)])
    out, _ = capsys.readouterr()
    return code, out


# ---------------------------------------------------------------- checker
def test_an_advisory_rule_may_omit_require():
    assert _diagnostics(POLICY) == []


@pytest.mark.parametrize("severity", ["", "  severity mandatory\n", "  severity target\n", "  severity informational\n"])
def test_only_an_advisory_rule_may_omit_require(severity):
    source = 'jurisdiction xx "X"\nrule r "t"\n  cite "§1"\n' + severity
    (diagnostic,) = _diagnostics(source)
    assert (diagnostic.code, diagnostic.span.line, diagnostic.span.column) == ("E509", 2, 6)
    assert "only an advisory rule may have none" in render(diagnostic, source)


def test_an_exemption_without_a_requirement_is_a_located_error():
    source = textwrap.dedent("""\
        jurisdiction xx "X"
        rule r "t"
          cite     "§1"
          severity advisory
          exempt   facility.heat_recovery_infeasible
            cite    "§2"
            because "infeasible"
        """)
    (diagnostic,) = _diagnostics(source)
    assert (diagnostic.code, diagnostic.span.line, diagnostic.span.column) == ("E516", 5, 3)
    assert "an exemption needs a requirement to relieve" in diagnostic.message


# ---------------------------------------------------------------- engine and renderers
def test_info_when_it_applies_and_is_in_force(capsys, tmp_path):
    code, out = _eval(capsys, tmp_path, "--as-of", "2026-03-01", "--format", "json")
    results = {r["rule"]: r for r in json.loads(out)["evaluations"][0]["results"]}
    encouraged = results["xx.encouraged"]
    assert encouraged["verdict"] == "info"
    assert encouraged["reason"] == "encouraged: Large sites are encouraged to follow the code"
    assert "value" not in encouraged and "limit" not in encouraged and "projection" not in encouraged
    assert code == 0


def test_info_only_once_applicable_and_in_force(capsys, tmp_path):
    out = _eval(capsys, tmp_path, "--as-of", "2025-10-10", "--format", "json")[1]
    results = {r["rule"]: r for r in json.loads(out)["evaluations"][0]["results"]}
    assert results["xx.encouraged"]["verdict"] == "not_in_force"
    out = _eval(capsys, tmp_path, "--as-of", "2025-10-11", "--format", "json")[1]
    results = {r["rule"]: r for r in json.loads(out)["evaluations"][0]["results"]}
    assert results["xx.encouraged"]["verdict"] == "info"
    out = _eval(capsys, tmp_path, "--as-of", "2026-03-01", "--format", "json", it_installed="999 kW")[1]
    results = {r["rule"]: r for r in json.loads(out)["evaluations"][0]["results"]}
    assert results["xx.encouraged"]["verdict"] == "not_applicable"


def test_info_never_decides_the_status(capsys, tmp_path):
    out = _eval(capsys, tmp_path, "--as-of", "2026-03-01", "--format", "json")[1]
    assert json.loads(out)["evaluations"][0]["status"] == "compliant"  # from the binding rule alone


def test_table_summary_markdown_and_explain_label_it_info(capsys, tmp_path):
    table = _eval(capsys, tmp_path, "--as-of", "2026-03-01")[1]
    assert "INFO" in table and "PASS" in table
    row = next(line for line in table.splitlines() if "xx.encouraged" in line)
    assert "INFO" in row and "PASS" not in row
    summary = _eval(capsys, tmp_path, "--as-of", "2026-03-01", "--format", "summary")[1]
    assert "1 advisory info" in summary.splitlines()[0]
    markdown = _eval(capsys, tmp_path, "--as-of", "2026-03-01", "--format", "markdown")[1]
    assert any(line.startswith("| INFO |") and "`xx.encouraged`" in line for line in markdown.splitlines())
    explained = _eval(capsys, tmp_path, "--as-of", "2026-03-01", "--explain")[1]
    assert "xx.encouraged  INFO  Large sites are encouraged to follow the code" in explained


def test_eu_code_of_conduct_is_info_not_pass(capsys):
    code = main(["eval", "-j", "eu", "--as-of", "2026-03-01", "--format", "json", DUBLIN])
    out, _ = capsys.readouterr()
    results = {r["rule"]: r for r in json.loads(out)["evaluations"][0]["results"]}
    assert results["eu.code_of_conduct"]["verdict"] == "info"
    assert results["eu.code_of_conduct"]["severity"] == "advisory"
    assert results["eu.code_of_conduct"]["reason"].startswith("encouraged: ")
    assert code in (0, 1)


def test_policy_test_accepts_expect_info(capsys, tmp_path):
    (tmp_path / "xx.policy").write_text(POLICY, encoding="utf-8")
    cases = tmp_path / "tests"
    cases.mkdir()
    (cases / "xx-info.yaml").write_text(textwrap.dedent("""\
        policy: xx
        base: {id: t-1, name: Test DC, power: {it_installed: "2 MW"}}
        cases:
          - name: "TA §4: encouraged from 11 Oct 2025"
            as_of: 2025-10-11
            expect:
              xx.encouraged: info
          - name: "TA §4: an info rule expected to pass is a failing case"
            as_of: 2025-10-11
            expect:
              xx.encouraged: pass
        """), encoding="utf-8")
    code = main(["test", str(cases / "xx-info.yaml")])
    out, _ = capsys.readouterr()
    assert code == 1
    assert "1 passed, 1 failed" in out
    assert "expected verdict pass (got info: encouraged: Large sites are encouraged to follow the code)" in out
