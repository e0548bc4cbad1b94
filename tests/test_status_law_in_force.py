"""Headlines and exit codes that tell the truth (issue 7, C1 C2 C3 and B8).

- The status and the exit code count the law in force: a proposed rule and a verdict projected from
  figures older than the rule are reported beside them, unless --fail-on proposed/projection opts in.
- Severity is shown wherever a verdict is: a missed target never reads as a failure of law.
- A rule not yet in force says from when it bites.
- A regime whose scope holds but none of whose duties applies is out of scope.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dcpolicy.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

POLICY = """\
jurisdiction xx "Test land"
  law "Test Act"
  calendar calendar-year
scope "Data centres"
  cite "§1"
  applies facility.power.nominal_connected >= 300 kW
define pue = period.energy.total / period.energy.it
rule pue_limit "PUE at most 1.5"
  cite "§2"
  severity mandatory
  from 2025-01-01
  require pue <= 1.5
rule pue_2030 "PUE at most 1.3 from 1 July 2030"
  cite "§3"
  severity mandatory
  from 2030-07-01
  require pue <= 1.3
rule design_draft "Design PUE at most 1.2 (draft)"
  cite "Draft §4"
  severity mandatory
  legal-status proposed
  require facility.design_pue <= 1.2
rule pue_target "PUE at most 1.25 (target)"
  cite "§5"
  severity target
  require pue <= 1.25
"""

FACILITY = """\
id: t-1
name: Test DC
started: 2015-05-01
power: {nominal_connected: "2 MW"}
%s
periods:
  - period: 2025
    energy: {total: "14 GWh", it: "10 GWh"}
%s"""

PERIOD_2030 = """\
  - period: 2030
    energy: {total: "14 GWh", it: "10 GWh"}
"""


@pytest.fixture
def policy(tmp_path):
    path = tmp_path / "xx.policy"
    path.write_text(POLICY, encoding="utf-8")
    return str(path)


def _facility(tmp_path, design: str | None = "design_pue: 1.3", extra_periods: str = "") -> str:
    path = tmp_path / "t-1.yaml"
    path.write_text(FACILITY % (design or "", extra_periods), encoding="utf-8")
    return str(path)


def _eval(capsys, *args):
    code = main(["eval", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _json(capsys, *args):
    code, out, _ = _eval(capsys, "--format", "json", *args)
    return code, json.loads(out)


def _verdicts(evaluation) -> dict[str, str]:
    return {r["rule"]: r["verdict"] for r in evaluation["results"]}


# ---------------------------------------------------------------- C1: proposed rules
def test_failing_proposed_rule_is_reported_beside_a_compliant_status(capsys, tmp_path, policy):
    code, document = _json(capsys, "--policy", policy, "--as-of", "2026-06-01", _facility(tmp_path))
    evaluation = document["evaluations"][0]
    assert _verdicts(evaluation)["xx.design_draft"] == "fail"
    assert evaluation["status"] == "compliant" and code == 0
    assert evaluation["proposed"] == {"fail": ["xx.design_draft"], "unknown": []}
    assert evaluation["projection"] == {"fail": [], "unknown": []}
    assert document["counting"] == []


def test_fail_on_proposed_counts_the_proposed_rule_in_exit_code_and_status(capsys, tmp_path, policy):
    code, document = _json(capsys, "--policy", policy, "--as-of", "2026-06-01", "--fail-on", "proposed",
                           _facility(tmp_path))
    assert code == 1
    assert document["evaluations"][0]["status"] == "non_compliant"
    assert document["counting"] == ["proposed"]
    summary = _eval(capsys, "--policy", policy, "--as-of", "2026-06-01", "--fail-on", "proposed", "--format",
                    "summary", _facility(tmp_path))[1]
    assert summary.startswith("t-1 × xx: NON COMPLIANT counting proposed rules — ")


def test_unknown_proposed_rule_leaves_the_status_complete(capsys, tmp_path, policy):
    facility = _facility(tmp_path, design=None)  # design_pue missing: the draft rule is unknown
    code, document = _json(capsys, "--policy", policy, "--as-of", "2026-06-01", "--fail-on", "unknown", facility)
    evaluation = document["evaluations"][0]
    assert _verdicts(evaluation)["xx.design_draft"] == "unknown"
    assert evaluation["status"] == "compliant" and code == 0
    assert evaluation["proposed"] == {"fail": [], "unknown": ["xx.design_draft"]}
    code, document = _json(capsys, "--policy", policy, "--as-of", "2026-06-01", "--fail-on", "unknown,proposed",
                           facility)
    assert code == 1 and document["evaluations"][0]["status"] == "incomplete"


def test_summary_reports_proposed_rules_beside_the_status(capsys, tmp_path, policy):
    out = _eval(capsys, "--policy", policy, "--as-of", "2026-06-01", "--format", "summary", _facility(tmp_path))[1]
    assert out.splitlines()[0] == (
        "t-1 × xx: COMPLIANT — 1 pass, 1 target missed, 1 not in force until 2030-07-01; "
        "proposed rules: would fail 1 (xx.design_draft) (period 2025)")
    assert "    FAIL (proposed) xx.design_draft: " in out


def test_wholly_proposed_regime_says_no_rule_is_enacted(capsys):
    out = _eval(capsys, "-j", "jp", "--as-of", "2031-02-01", "--period", "FY2024", "--format", "summary",
                str(EXAMPLES / "tokyo-1.yaml"))[1]
    first = out.splitlines()[0]
    assert first.startswith("tokyo-1 × jp: COMPLIANT — no enacted rule; proposed rules: would fail 1 "
                            "(jp.periodic_report)")


# ---------------------------------------------------------------- C1: projections
@pytest.mark.parametrize(("as_of", "verdict"), [("2030-06-30", "not_in_force"), ("2030-07-01", "fail")])
def test_projection_from_older_figures_never_fails_the_status(capsys, tmp_path, policy, as_of, verdict):
    # the day before and the day the 1.3 limit comes into force; the latest figures are of 2025
    code, document = _json(capsys, "--policy", policy, "--as-of", as_of, _facility(tmp_path))
    evaluation = document["evaluations"][0]
    result = next(r for r in evaluation["results"] if r["rule"] == "xx.pue_2030")
    assert result["verdict"] == verdict
    assert evaluation["status"] == "compliant" and code == 0
    assert evaluation["projection"]["fail"] == (["xx.pue_2030"] if verdict == "fail" else [])
    if verdict == "fail":
        assert result["projection"] is True


def test_fail_on_projection_counts_it(capsys, tmp_path, policy):
    code, document = _json(capsys, "--policy", policy, "--as-of", "2031-02-01", "--fail-on", "projection",
                           _facility(tmp_path, design="design_pue: 1.1"))
    assert code == 1 and document["evaluations"][0]["status"] == "non_compliant"
    assert document["counting"] == ["projection"]


def test_figures_of_a_period_in_force_count(capsys, tmp_path, policy):
    # figures of 2030 (ending after 1 July 2030) are no projection: the failure is a failure of law
    code, document = _json(capsys, "--policy", policy, "--as-of", "2031-02-01",
                           _facility(tmp_path, extra_periods=PERIOD_2030))
    evaluation = document["evaluations"][0]
    assert evaluation["period"] == "2030" and evaluation["projection"]["fail"] == []
    assert evaluation["status"] == "non_compliant" and code == 1


def test_summary_reports_the_projection_beside_the_status(capsys):
    out = _eval(capsys, "-j", "de", "--as-of", "2031-02-01", "--format", "summary", str(EXAMPLES / "fra-3.yaml"))
    code, text = out[0], out[1]
    assert code == 0
    assert text.splitlines()[0].startswith("fra-3 × de: COMPLIANT — ")
    assert "; projection from 2025 figures: would fail 1 (de.pue_existing_2030)" in text.splitlines()[0]


PROPOSED_LATER = POLICY.replace('  severity mandatory\n  legal-status proposed\n  require facility.design_pue <= 1.2',
                                '  severity mandatory\n  legal-status proposed\n  from 2030-07-01\n'
                                '  require pue <= 1.2')


@pytest.mark.parametrize(("fail_on", "code", "status"), [
    ("mandatory", 0, "compliant"),
    ("proposed", 0, "compliant"),  # still a projection
    ("projection", 1, "non_compliant"),  # xx.pue_2030 (in force, projected) counts now
    ("proposed,projection", 1, "non_compliant"),
])
def test_a_proposed_projection_needs_both_opt_ins(capsys, tmp_path, fail_on, code, status):
    path = tmp_path / "later.policy"
    path.write_text(PROPOSED_LATER, encoding="utf-8")
    got, document = _json(capsys, "--policy", str(path), "--as-of", "2031-02-01", "--fail-on", fail_on,
                          _facility(tmp_path))
    evaluation = document["evaluations"][0]
    assert evaluation["proposed"]["fail"] == ["xx.design_draft"]
    assert evaluation["projection"]["fail"] == ["xx.pue_2030", "xx.design_draft"]
    assert (got, evaluation["status"]) == (code, status)


def test_proposed_projection_alone_counts_only_with_both(capsys, tmp_path):
    text = PROPOSED_LATER.replace("  from 2030-07-01\n  require pue <= 1.3", "  require pue <= 1.5")
    path = tmp_path / "later.policy"
    path.write_text(text, encoding="utf-8")
    facility = _facility(tmp_path)
    codes = [_eval(capsys, "--policy", str(path), "--as-of", "2031-02-01", "--fail-on", f, facility)[0]
             for f in ("proposed", "projection", "proposed,projection")]
    assert codes == [0, 0, 1]


def test_operators_carry_a_status_and_what_is_set_aside(capsys):
    code, document = _json(capsys, "-j", "jp", "--as-of", "2031-08-01", str(EXAMPLES / "tokyo-1.yaml"))
    operator = document["operators"][0]
    assert operator["status"] == "compliant"
    assert set(operator["proposed"]) == {"fail", "unknown"} and set(operator["projection"]) == {"fail", "unknown"}
    summary = _eval(capsys, "-j", "jp", "--as-of", "2031-08-01", "--format", "summary",
                    str(EXAMPLES / "tokyo-1.yaml"))[1]
    assert "operator example-dc-japan × jp: COMPLIANT — no enacted rule; proposed rules: 1 target met" in summary


# ---------------------------------------------------------------- C2: severity wherever a verdict is
def test_missed_targets_read_as_targets(capsys):
    shanghai = str(EXAMPLES / "shanghai-2.yaml")
    code, out, _ = _eval(capsys, "-j", "cn", "--as-of", "2031-02-01", "--format", "summary", shanghai)
    assert code == 0
    assert out.splitlines()[0] == ("shanghai-2 × cn: COMPLIANT — 1 pass, 2 targets missed, 1 target met, "
                                   "2 advisory met, 2 informational (period 2025)")
    assert "    FAIL (target) cn.pue_hub_node: PUE 1.22 is above the limit 1.2" in out
    table = _eval(capsys, "-j", "cn", "--as-of", "2031-02-01", shanghai)[1]
    header = next(line for line in table.splitlines() if "verdict" in line)
    assert header.split()[1:3] == ["┃", "severity"]
    row = next(line for line in table.splitlines() if "cn.pue_hub_node" in line)
    assert "FAIL" in row and "target" in row
    markdown = _eval(capsys, "-j", "cn", "--as-of", "2031-02-01", "--format", "markdown", shanghai)[1]
    assert "| verdict | severity | rule |" in markdown
    assert "| FAIL | target | `cn.pue_hub_node` |" in markdown
    explained = _eval(capsys, "-j", "cn", "--as-of", "2031-02-01", "--explain", shanghai)[1]
    assert any(line.startswith("cn.pue_hub_node  FAIL  ") for line in explained.splitlines())
    assert "  [target]" in explained


def test_mandatory_failure_is_plain_fail(capsys, tmp_path, policy):
    facility = _facility(tmp_path)
    Path(facility).write_text(Path(facility).read_text().replace('"14 GWh"', '"16 GWh"'), encoding="utf-8")
    code, out, _ = _eval(capsys, "--policy", policy, "--as-of", "2026-06-01", "--format", "summary", facility)
    assert code == 1
    assert out.splitlines()[0].startswith("t-1 × xx: NON COMPLIANT — 1 fail, 1 target missed, ")
    assert "    FAIL     xx.pue_limit: PUE 1.6 is above the limit 1.5" in out
    assert "    FAIL (target) xx.pue_target: " in out


# ---------------------------------------------------------------- C3: when a rule bites
def test_not_in_force_shows_its_date(capsys, tmp_path, policy):
    facility = _facility(tmp_path)
    table = _eval(capsys, "--policy", policy, "--as-of", "2030-06-30", facility)[1]
    row = next(line for line in table.splitlines() if "xx.pue_2030" in line)
    assert "NOT IN FORCE until 2030-07-01" in row
    summary = _eval(capsys, "--policy", policy, "--as-of", "2030-06-30", "--format", "summary", facility)[1]
    assert "1 not in force until 2030-07-01" in summary.splitlines()[0]
    markdown = _eval(capsys, "--policy", policy, "--as-of", "2030-06-30", "--format", "markdown", facility)[1]
    assert "| NOT IN FORCE until 2030-07-01 | mandatory | `xx.pue_2030` |" in markdown


def test_not_in_force_dates_are_grouped_in_the_summary(capsys):
    out = _eval(capsys, "-j", "de", "--as-of", "2026-11-23", "--format", "summary", str(EXAMPLES / "fra-3.yaml"))[1]
    assert ("1 not in force until 2027-01-01, 1 until 2027-07-01, 1 until 2030-07-01"
            in out.splitlines()[0])


# ---------------------------------------------------------------- B8: no duty applies
NO_DUTY = """\
jurisdiction yy "Other land"
  law "Other Act"
  calendar calendar-year
scope "Every facility"
  cite "§1"
  applies true
define pue = period.energy.total / period.energy.it
rule new_pue "New DCs: PUE at most 1.4"
  cite "§2"
  severity mandatory
  applies facility.started >= 2026-07-01
  require pue <= 1.4
rule new_target "New DCs: PUE at most 1.2 (target)"
  cite "§3"
  severity target
  applies facility.started >= 2026-07-01
  from 2030-01-01
  require pue <= 1.2
rule edge "Not for edge DCs"
  cite "§4"
  severity mandatory
  require pue <= 1.6
  exclude facility.power.nominal_connected < 1 MW
    because "edge data centres are outside the Act"
rule advice "PUE at most 1.5 (advice)"
  cite "§5"
  severity advisory
  require pue <= 1.5
band pue_band "PUE band"
  cite "§6"
  severity informational
  of pue
  level "low" (-inf, 1.5)
  level "high" [1.5, inf)
"""

SITE = """\
id: s-1
name: Site
%s
power: {nominal_connected: "%s"}
periods:
  - period: 2025
    energy: {total: "14 GWh", it: "10 GWh"}
"""


def _no_duty(tmp_path, started: str | None, power: str = "500 kW"):
    policy = tmp_path / "yy.policy"
    policy.write_text(NO_DUTY, encoding="utf-8")
    site = tmp_path / "s-1.yaml"
    site.write_text(SITE % (f"started: {started}" if started else "", power), encoding="utf-8")
    return str(policy), str(site)


def test_scope_holds_but_no_duty_applies_is_out_of_scope(capsys, tmp_path):
    policy, site = _no_duty(tmp_path, "2015-05-01")
    code, document = _json(capsys, "--policy", policy, "--as-of", "2031-02-01", "--fail-on", "target,unknown", site)
    evaluation = document["evaluations"][0]
    verdicts = _verdicts(evaluation)
    assert verdicts == {"yy.new_pue": "not_applicable", "yy.new_target": "not_applicable",
                        "yy.edge": "not_applicable", "yy.advice": "pass", "yy.pue_band": "pass"}
    assert evaluation["status"] == "out_of_scope" and code == 0
    assert evaluation["scope_reason"] == ("out of scope: no duty of the regime applies (every mandatory and "
                                          "target rule is not applicable)")
    summary = _eval(capsys, "--policy", policy, "--as-of", "2031-02-01", "--format", "summary", site)[1]
    assert summary.splitlines()[0] == "s-1 × yy: OUT OF SCOPE — 1 advisory met, 1 informational, 3 n/a (period 2025)"
    assert summary.splitlines()[1] == "    " + evaluation["scope_reason"]


@pytest.mark.parametrize(("started", "power", "status"), [
    ("2026-07-01", "500 kW", "compliant"),  # the day the new-DC duty starts to apply: it applies
    ("2026-06-30", "500 kW", "out_of_scope"),  # the day before: no duty applies
    ("2015-05-01", "1 MW", "compliant"),  # exactly 1 MW is no edge DC: §4 applies
    (None, "500 kW", "incomplete"),  # whether the new-DC duties apply is unknown: not out of scope
])
def test_no_duty_edges(capsys, tmp_path, started, power, status):
    policy, site = _no_duty(tmp_path, started, power)
    _, document = _json(capsys, "--policy", policy, "--as-of", "2029-02-01", site)
    assert document["evaluations"][0]["status"] == status


def test_a_duty_not_yet_in_force_still_applies(capsys, tmp_path):
    policy, site = _no_duty(tmp_path, "2027-01-01")
    _, document = _json(capsys, "--policy", policy, "--as-of", "2027-06-01", site)
    evaluation = document["evaluations"][0]
    assert _verdicts(evaluation)["yy.new_target"] == "not_in_force"
    assert evaluation["status"] == "compliant" and "scope_reason" not in evaluation


def test_regime_without_duties_is_not_out_of_scope(capsys, tmp_path):
    policy, site = _no_duty(tmp_path, "2015-05-01")
    text = NO_DUTY.split('rule new_pue')[0] + 'rule advice' + NO_DUTY.split('rule advice')[1]
    Path(policy).write_text(text, encoding="utf-8")
    _, document = _json(capsys, "--policy", policy, "--as-of", "2031-02-01", site)
    assert document["evaluations"][0]["status"] == "compliant"


def test_shipped_cn_for_a_japanese_dc_is_out_of_scope(capsys):
    # tokyo-1 is an existing DC outside the hub nodes: none of the Chinese duties applies to it
    code, document = _json(capsys, "-j", "cn", "--as-of", "2026-11-23", str(EXAMPLES / "tokyo-1.yaml"))
    evaluation = document["evaluations"][0]
    duties = [r for r in evaluation["results"] if r["severity"] in ("mandatory", "target")]
    assert duties and all(r["verdict"] == "not_applicable" for r in duties)
    assert evaluation["status"] == "out_of_scope" and code == 0
    assert "no duty of the regime applies" in evaluation["scope_reason"]


def test_scope_exclusion_reason_is_shown(capsys, tmp_path, policy):
    path = tmp_path / "small.yaml"
    path.write_text((FACILITY % ("", "")).replace('"2 MW"', '"299 kW"'), encoding="utf-8")
    out = _eval(capsys, "--policy", policy, "--as-of", "2026-06-01", "--format", "summary", str(path))[1]
    lines = out.splitlines()
    assert lines[0].startswith("t-1 × xx: OUT OF SCOPE — ")
    assert lines[1].startswith("    out of scope: Data centres (§1)")


def test_undecidable_scope_of_a_proposed_regime_is_reported_beside(capsys, tmp_path, policy):
    # every rule of a draft is set aside, even when its scope cannot be decided (nominal load missing)
    draft = tmp_path / "draft.policy"
    draft.write_text(POLICY.replace('  law "Test Act"\n', '  law "Test Act"\n  legal-status proposed\n'),
                     encoding="utf-8")
    path = tmp_path / "noload.yaml"
    path.write_text((FACILITY % ("", "")).replace('power: {nominal_connected: "2 MW"}\n', ""), encoding="utf-8")
    code, document = _json(capsys, "--policy", str(draft), "--as-of", "2026-06-01", "--fail-on", "unknown", str(path))
    evaluation = document["evaluations"][0]
    assert set(_verdicts(evaluation).values()) == {"unknown"}
    assert evaluation["status"] == "compliant" and code == 0
    assert evaluation["proposed"]["unknown"] == ["xx.pue_limit", "xx.pue_2030", "xx.design_draft"]
    assert evaluation["scope_reason"].startswith("scope cannot be decided")
    # the same policy in force: incomplete
    _, document = _json(capsys, "--policy", policy, "--as-of", "2026-06-01", str(path))
    assert document["evaluations"][0]["status"] == "incomplete"
