"""`policy test --coverage` / `--fail-under`: rules, tiers, reliefs, exclusions and band rows no case reaches."""

from __future__ import annotations

import pytest

from dcpolicy.cli.main import main

POLICY = """\
jurisdiction xx "Test land"
  calendar calendar-year

define pue = period.energy.total / period.energy.it
define limit = (1.3 when facility.started >= 2020-01-01,
                1.5 otherwise)

scope "Data centres"
  cite    "§1"
  applies facility.power.nominal_connected >= 300 kW
  exclude facility.network_node
    cite    "§1(2)"
    because "network nodes are not data centres"

rule pue_limit "PUE at most the limit"
  cite     "§2"
  severity mandatory
  require  pue <= limit
  exempt   facility.heat_recovery_infeasible
    cite    "§2(3)"
    because "heat recovery infeasible"

rule ems "An energy management system"
  cite     "§3"
  severity mandatory
  require  facility.management_system.certified

band size "Size class"
  cite "§4"
  of   facility.power.nominal_connected
  level "small" (-inf, 1 MW)
  level "large" [1 MW, inf)
"""

CASES = """\
policy: xx
base:
  id: b
  name: B
  started: 2015-01-01
  power: {nominal_connected: "500 kW"}
  periods:
    - period: 2028
      energy: {total: "14 GWh", it: "10 GWh"}
cases:
  - name: "§2: PUE 1.4 passes the old limit 1.5"
    as_of: 2029-01-01
    expect:
      xx.pue_limit: pass
      xx.size: pass
"""


@pytest.fixture
def cases(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "xx.policy").write_text(POLICY, encoding="utf-8")
    path = tmp_path / "tests" / "xx.yaml"
    path.write_text(CASES, encoding="utf-8")
    return path


def test_coverage_names_every_item_no_case_reaches(capsys, cases):
    assert main(["check", "--strict", str(cases.parent.parent / "xx.policy")]) == 0
    capsys.readouterr()
    assert main(["test", "--coverage", str(cases)]) == 0
    out = capsys.readouterr().out
    # reached: pue_limit, size (a judged band), its row "small", the `otherwise` tier
    # not reached: ems (judged, but no case expects anything of it), the 2020 tier, the relief, the scope
    # exclusion, the row "large"
    assert "coverage: 44.4% (4 of 9 rules, tiers, reliefs, exclusions and band rows reached)" in out
    assert "rule 2/3" in out and "tier 0/1" in out and "otherwise 1/1" in out
    assert "relief 0/1" in out and "exclusion 0/1" in out and "band row 1/2" in out
    missed = [line.strip() for line in out.splitlines() if line.strip().startswith("not reached")]
    assert any("rule      xx.ems" in line and "xx.policy:23" in line for line in missed)
    assert any("tier      … when facility.started >= 2020-01-01" in line and "xx.policy:5" in line for line in missed)
    assert any("relief    xx.pue_limit: heat recovery infeasible" in line for line in missed)
    assert any("exclusion scope: network nodes are not data centres" in line for line in missed)
    assert any("band row  xx.size [large]" in line for line in missed)
    assert len(missed) == 5


def test_more_cases_reach_more(capsys, cases):
    cases.write_text(CASES + """\
  - name: "§2(3): heat recovery infeasible → exempt; new DC limit 1.3"
    as_of: 2029-01-01
    facility: {started: 2021-01-01, heat_recovery_infeasible: true, management_system: {certified: true},
               power: {nominal_connected: "2 MW"}}
    expect:
      xx.pue_limit: exempt
      xx.ems: pass
  - name: "§1(2): a network node is excluded"
    as_of: 2029-01-01
    facility: {network_node: true}
    expect:
      xx.pue_limit: not_applicable
""", encoding="utf-8")
    assert main(["test", "--coverage", "--fail-under", "100", str(cases)]) == 1
    captured = capsys.readouterr()
    assert "(8 of 9" in captured.out and "band row  xx.size [large]" in captured.out  # 2 MW, but size not expected
    assert "policy test: coverage 88.9% is under --fail-under 100%" in captured.err
    assert main(["test", "--fail-under", "85", str(cases)]) == 0


def test_fail_under_fails_a_passing_run(capsys, cases):
    assert main(["test", "--fail-under", "50", str(cases)]) == 1
    assert "coverage 44.4% is under --fail-under 50%" in capsys.readouterr().err


def test_fail_under_rejects_a_value_that_is_not_a_percentage(capsys, cases):
    with pytest.raises(SystemExit) as exit_info:
        main(["test", "--fail-under", "120", str(cases)])
    assert exit_info.value.code == 2
    assert "is not between 0 and 100" in capsys.readouterr().err


def test_shipped_cases_coverage_is_reported(capsys):
    assert main(["test", "--coverage"]) == 0
    out = capsys.readouterr().out
    assert "coverage: " in out and "rule 77/77" in out  # every shipped rule is judged by some case
