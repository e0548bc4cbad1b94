"""`policy eval` end to end: exit codes, formats, determinism, input errors, usage errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from dcpolicy.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
FRA = str(ROOT / "examples" / "fra-3.yaml")
PORTFOLIO = str(ROOT / "examples" / "portfolio.yaml")

MINI_POLICY = """\
jurisdiction xx "Test land"
  law "Test Act"
  calendar calendar-year
scope "Data centres"
  cite "§1"
  applies facility.power.nominal_connected >= 300 kW
define pue = period.energy.total / period.energy.it
rule pue_limit "PUE at most 1.3"
  cite "§2"
  severity mandatory
  from 2025-01-01
  require pue <= 1.3
rule pue_target "PUE at most 1.2 (target)"
  cite "§3"
  severity target
  require pue <= 1.2
"""

FACILITY = """\
id: t-1
name: Test DC
started: 2015-05-01
power: {nominal_connected: "2 MW"}
periods:
  - period: 2025
    energy: {total: "%s", it: "10 GWh"}
"""


def _eval(capsys, *args, stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["eval", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def policy_file(tmp_path):
    path = tmp_path / "xx.policy"
    path.write_text(MINI_POLICY, encoding="utf-8")
    return str(path)


def _facility(tmp_path, total: str) -> str:
    path = tmp_path / "t-1.yaml"
    path.write_text(FACILITY % total, encoding="utf-8")
    return str(path)


def test_exit_0_when_no_mandatory_rule_fails(capsys, tmp_path, policy_file):
    code, out, _ = _eval(capsys, "--policy", policy_file, "--as-of", "2026-06-01", "--format", "json",
                         _facility(tmp_path, "12.5 GWh"))
    assert code == 0
    document = json.loads(out)
    results = {r["rule"]: r for r in document["evaluations"][0]["results"]}
    assert results["xx.pue_limit"]["verdict"] == "pass"
    assert results["xx.pue_target"]["verdict"] == "fail"  # a target failing does not fail the run by default


def test_exit_1_when_a_mandatory_rule_fails(capsys, tmp_path, policy_file):
    code, out, _ = _eval(capsys, "--policy", policy_file, "--as-of", "2026-06-01", "--format", "json",
                         _facility(tmp_path, "14 GWh"))
    assert code == 1
    result = json.loads(out)["evaluations"][0]["results"][0]
    assert result["verdict"] == "fail"
    assert result["reason"] == "PUE 1.4 is above the limit 1.3"
    assert result["value"] == pytest.approx(1.4) and result["limit"] == pytest.approx(1.3)
    assert "0.1" in result["gap"] and "1 GWh less period.energy.total" in result["gap"]


def test_fail_on_target_widens_the_exit_code(capsys, tmp_path, policy_file):
    facility = _facility(tmp_path, "12.5 GWh")
    assert _eval(capsys, "--policy", policy_file, "--as-of", "2026-06-01", facility)[0] == 0
    assert _eval(capsys, "--policy", policy_file, "--as-of", "2026-06-01", "--fail-on", "target", facility)[0] == 1


def test_fail_on_unknown_counts_a_mandatory_unknown(capsys, tmp_path, policy_file):
    path = tmp_path / "f.yaml"
    path.write_text((FACILITY % "12 GWh").replace('it: "10 GWh"', 'renewable: "1 GWh"'), encoding="utf-8")
    code, out, _ = _eval(capsys, "--policy", policy_file, "--as-of", "2026-06-01", "--format", "json", str(path))
    assert code == 0
    result = json.loads(out)["evaluations"][0]["results"][0]
    assert result["verdict"] == "unknown" and result["missing"] == ["period.energy.it"]
    assert json.loads(out)["evaluations"][0]["status"] == "incomplete"
    assert _eval(capsys, "--policy", policy_file, "--as-of", "2026-06-01", "--fail-on", "unknown", str(path))[0] == 1


def test_json_follows_the_result_contract_and_is_byte_identical(capsys):
    first = _eval(capsys, "-j", "de", "--as-of", "2031-02-01", "--format", "json", "--explain", FRA)[1]
    second = _eval(capsys, "-j", "de", "--as-of", "2031-02-01", "--format", "json", "--explain", FRA)[1]
    assert first == second
    document = json.loads(first)
    assert document["format"] == "dcpolicy/result/1"
    assert document["tool"] == {"name": "dcpolicy", "version": "0.1.0"}
    assert document["as_of"] == "2031-02-01"
    evaluation = document["evaluations"][0]
    assert evaluation["jurisdiction"] == "de" and evaluation["facility"] == "fra-3"
    assert evaluation["policy"]["file"] == "policies/de.policy"
    assert len(evaluation["source"]["sha256"]) == 64 and len(evaluation["policy"]["sha256"]) == 64
    assert evaluation["status"] in ("out_of_scope", "non_compliant", "incomplete", "compliant")
    rule = next(r for r in evaluation["results"] if r["rule"] == "de.pue_existing_2030")
    for key in ("rule", "title", "citation", "severity", "verdict", "period", "in_force_from", "reason", "trace"):
        assert key in rule
    assert rule["verdict"] == "fail" and rule["projection"] is True
    assert rule["in_force_from"] == "2030-07-01"
    require = next(step for step in rule["trace"] if step["clause"] == "require")
    assert require["expression"] == "pue <= 1.3" and require["value"] is False
    facts = json.dumps(require)
    assert "examples/fra-3.yaml:" in facts or "fra-3.yaml:" in facts


def test_table_spells_out_verdicts_without_colour(capsys):
    code, out, _ = _eval(capsys, "-j", "de", "--as-of", "2031-02-01", FRA)
    assert "FAIL*" in out and "de.pue_existing_2030" in out and "EnEfG §11(1) Nr. 2" in out
    assert "fra-3 × de:" in out
    assert "\x1b[" not in out  # no colour codes when not writing to a terminal


def test_explain_shows_facts_with_their_yaml_lines(capsys):
    out = _eval(capsys, "-j", "de", "--as-of", "2031-02-01", "--explain", FRA)[1]
    assert "require   pue <= 1.3   → false ✗" in out
    assert "period.energy.total = 29.7 GWh   [" in out and "fra-3.yaml:" in out
    assert "gap       PUE must fall by" in out


def test_markdown_and_summary_formats(capsys):
    markdown = _eval(capsys, "-j", "de", "--as-of", "2031-02-01", "--format", "markdown", FRA)[1]
    assert markdown.startswith("# dcpolicy results as of 2031-02-01")
    assert "| FAIL* | mandatory | `de.pue_existing_2030` |" in markdown
    summary = _eval(capsys, "-j", "de", "--as-of", "2031-02-01", "--format", "summary", FRA)[1]
    assert summary.splitlines()[0].startswith("fra-3 × de: COMPLIANT — ")  # the failure is a projection


def test_portfolio_all_jurisdictions_gives_every_pair_in_order(capsys):
    code, out, _ = _eval(capsys, "-j", "all", "--as-of", "2026-11-23", "--format", "json", PORTFOLIO)
    document = json.loads(out)
    pairs = [(e["facility"], e["jurisdiction"]) for e in document["evaluations"]]
    facilities = ["tokyo-1", "fra-3", "shanghai-2", "dublin-1", "beijing-1", "ennis-1", "singapore-1", "paris-2",
                  "amsterdam-4", "san-jose-1"]
    assert pairs == [(f, j) for f in facilities for j in ("jp", "de", "cn", "eu", "ie", "sg", "fr", "nl")]
    operators = {(o["operator"], o["jurisdiction"]) for o in document["operators"]}
    assert ("example-dc-japan", "jp") in operators  # the benchmark is reported once per operator


def test_stdin_input(capsys, monkeypatch, policy_file):
    code, out, _ = _eval(capsys, "--policy", policy_file, "--as-of", "2026-06-01", "--format", "json", "-",
                         stdin=FACILITY % "13 GWh", monkeypatch=monkeypatch)
    document = json.loads(out)
    assert document["evaluations"][0]["source"]["file"] == "<stdin>"
    assert document["evaluations"][0]["results"][0]["verdict"] == "pass"  # exactly 1.3 passes "<="


def test_input_error_exit_2_names_file_line_column(capsys, tmp_path, policy_file):
    path = tmp_path / "bad.yaml"
    path.write_text((FACILITY % "12 GWh").replace('"2 MW"', '"2 MWh"'), encoding="utf-8")
    code, out, err = _eval(capsys, "--policy", policy_file, str(path))
    assert code == 2 and out == ""
    assert f"{path}:4:" in err and "F202" in err and "nothing was evaluated" in err
    assert "Traceback" not in err


def test_invalid_policy_exit_3(capsys, tmp_path):
    path = tmp_path / "bad.policy"
    path.write_text(MINI_POLICY.replace("require pue <= 1.3", "require pue <= 300 kW"), encoding="utf-8")
    code, out, err = _eval(capsys, "--policy", str(path), FRA)
    assert code == 3 and "E302" in err and "bad.policy:12:" in err


@pytest.mark.parametrize("args, message", [
    (["-j", "xx", FRA], 'unknown jurisdiction "xx"'),
    (["--as-of", "2026-13-01", FRA], "--as-of"),
    (["--fail-on", "sometimes", FRA], "--fail-on"),
])
def test_usage_errors_exit_2(capsys, args, message):
    code, out, err = _eval(capsys, *args)
    assert code == 2 and message in err and out == ""


def test_missing_input_file_exit_2(capsys, policy_file):
    code, _, err = _eval(capsys, "--policy", policy_file, "no-such-file.yaml")
    assert code == 2 and "no-such-file.yaml" in err and "F101" in err


def test_explicit_period_is_named_in_the_result(capsys):
    out = _eval(capsys, "-j", "de", "--as-of", "2031-02-01", "--period", "2024", "--format", "json", FRA)[1]
    evaluation = json.loads(out)["evaluations"][0]
    assert evaluation["period"] == "2024"
    assert {r["period"] for r in evaluation["results"]} == {"2024"}
