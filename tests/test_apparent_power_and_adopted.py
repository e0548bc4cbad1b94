"""Issue 13 (Ireland): apparent power (VA) is its own dimension, and `legal-status adopted` is law that counts.

- "10 MVA" reads as 10 000 kVA; a power ("10 MW") is not an apparent power in a facility file (F202,
  located) nor in a policy (E302); a policy converts only through a power factor written in the open.
- A rule whose legal status is `adopted` counts in the status and the exit code like one in force.
"""

from __future__ import annotations

import json

import pytest

from dcpolicy.cli.main import main
from dcpolicy.dsl import units


def test_apparent_power_reads_in_kva_and_shows_in_mva():
    assert units.parse_quantity("10 MVA", units.APPARENT_POWER).magnitude == 10_000.0
    assert units.parse_quantity("1500 VA", units.APPARENT_POWER).magnitude == 1.5
    assert units.format_quantity(40_000.0, units.APPARENT_POWER) == "40 MVA"
    assert units.APPARENT_POWER.name == "apparent power" and units.APPARENT_POWER.canonical_unit == "kVA"


def test_a_power_is_not_an_apparent_power():
    with pytest.raises(units.WrongDimension) as raised:
        units.parse_quantity("10 MW", units.APPARENT_POWER)
    assert '"10 MW" is a power, but an apparent power is expected (e.g. "40 MVA")' in str(raised.value)
    assert units.parse_unit("kW/kVA").dimension == units.POWER_PER_APPARENT_POWER


def _eval(capsys, *args):
    code = main(["eval", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_mic_in_mw_is_a_located_error(tmp_path, capsys):
    site = tmp_path / "site.yaml"
    site.write_text('id: s-1\nname: Site\ngrid:\n  mic: "10 MW"\n', encoding="utf-8")
    code, _, err = _eval(capsys, "-j", "ie", str(site))
    assert code == 2
    assert "site.yaml:4:" in err and "F202" in err and "apparent power" in err


def test_comparing_apparent_power_with_power_is_E302(tmp_path, capsys):
    policy = tmp_path / "xx.policy"
    policy.write_text('jurisdiction xx "X"\nrule r "r"\n  cite "§1"\n  require facility.grid.mic >= 10 MW\n',
                      encoding="utf-8")
    assert main(["check", str(policy)]) == 3  # an invalid policy
    err = capsys.readouterr().err
    assert "xx.policy:4:11: E302 cannot compare an apparent power with a power" in err


def test_a_power_factor_converts_in_the_open(tmp_path, capsys):
    policy = tmp_path / "xx.policy"
    policy.write_text('jurisdiction xx "X"\nrule r "r"\n  cite "§1"\n'
                      '  require facility.dispatchable.capacity_derated >= '
                      'facility.grid.mic * facility.grid.power_factor * 1 kW/kVA\n', encoding="utf-8")
    site = tmp_path / "site.yaml"
    site.write_text('id: s-1\nname: Site\ngrid: {mic: "40 MVA", power_factor: 0.95}\n'
                    'dispatchable: {capacity_derated: "38 MW"}\n', encoding="utf-8")
    code, out, _ = _eval(capsys, "--policy", str(policy), "--format", "json", str(site))
    [evaluation] = json.loads(out)["evaluations"]
    assert code == 0 and evaluation["results"][0]["verdict"] == "pass"
    site.write_text(site.read_text(encoding="utf-8").replace("38 MW", "37.9 MW"), encoding="utf-8")
    assert _eval(capsys, "--policy", str(policy), str(site))[0] == 1


ADOPTED = """\
jurisdiction xx "Test land"
  law "Test decision"
  legal-status adopted
rule design "Design PUE at most 1.2"
  cite "§1"
  require facility.design_pue <= 1.2
"""


def test_an_adopted_rule_counts_in_the_status_and_exit_code(tmp_path, capsys):
    policy = tmp_path / "xx.policy"
    policy.write_text(ADOPTED, encoding="utf-8")
    assert main(["check", str(policy)]) == 0
    capsys.readouterr()
    site = tmp_path / "site.yaml"
    site.write_text("id: s-1\nname: Site\ndesign_pue: 1.3\n", encoding="utf-8")
    code, out, _ = _eval(capsys, "--policy", str(policy), "--format", "json", str(site))
    [evaluation] = json.loads(out)["evaluations"]
    assert code == 1 and evaluation["results"][0]["verdict"] == "fail"
    assert evaluation["proposed"] == {"fail": [], "unknown": []}  # not set aside like a proposed rule
