"""What-if (`--set PATH=VALUE`): overrides go through the facility loader and the results name them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dcpolicy.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
FRA = str(ROOT / "examples" / "fra-3.yaml")
PORTFOLIO = str(ROOT / "examples" / "portfolio.yaml")


def _run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _result(document, rule):
    return next(r for e in document["evaluations"] for r in e["results"] if r["rule"] == rule)


def test_raising_it_energy_closes_the_2030_gap_and_the_results_say_so(capsys):
    base = json.loads(_run(capsys, "eval", "-j", "de", "--as-of", "2031-02-01", "--format", "json", FRA)[1])
    assert _result(base, "de.pue_existing_2030")["verdict"] == "fail"
    code, out, _ = _run(capsys, "eval", "-j", "de", "--as-of", "2031-02-01", "--format", "json", "--explain",
                        "--set", "period.energy.it=22.9 GWh", FRA)
    document = json.loads(out)
    assert _result(document, "de.pue_existing_2030")["verdict"] == "pass"  # 29.7 / 22.9 = 1.297 <= 1.3
    assert document["overrides"] == [{"facility": "fra-3", "fact": "period[2025].energy.it", "value": "22.9 GWh",
                                      "previous": "21.4 GWh"}]
    assert "--set:1:18" in json.dumps(_result(document, "de.pue_existing_2030"))  # the fact's provenance


def test_text_formats_open_with_the_overrides(capsys):
    out = _run(capsys, "eval", "-j", "de", "--format", "summary", "--set", "period.energy.it=22.9 GWh", FRA)[1]
    assert out.splitlines()[0] == ("WHAT-IF: fra-3 period[2025].energy.it = 22.9 GWh (the file says 21.4 GWh; "
                                   "set with --set)")


def test_a_named_period_and_a_facility_field(capsys):
    out = _run(capsys, "eval", "-j", "de", "--format", "json", "--set", "period[2024].energy.it=20 GWh",
               "--set", "facility.power.it_installed=4 MW", FRA)[1]
    assert json.loads(out)["overrides"] == [  # in the order given
        {"facility": "fra-3", "fact": "period[2024].energy.it", "value": "20 GWh", "previous": "19.8 GWh"},
        {"facility": "fra-3", "fact": "facility.power.it_installed", "value": "4 MW", "previous": "3.6 MW"}]


def test_a_facility_prefix_edits_one_site_of_a_portfolio(capsys):
    out = _run(capsys, "compare", "--format", "json", "--set", "fra-3:period.energy.it=22.9 GWh", PORTFOLIO)[1]
    assert [o["facility"] for o in json.loads(out)["overrides"]] == ["fra-3"]


@pytest.mark.parametrize("setting, words", [
    ("period.energy.total=27 kW", '--set:1:21: F202 energy.total must be a energy (in kWh), but "27 kW" is a power'),
    ("power.it_installed=-3 MW", "--set:1:20: F206 power.it_installed must not be negative, found -3 MW"),
    ("period.energy.totl=27 GWh", '--set:1:1: F106 unknown key "energy.totl" in a period'),
    ("location.country=Germany", '--set:1:18: F205 location.country "Germany" is not a two-letter country code'),
])
def test_overrides_are_validated_like_the_file(capsys, setting, words):
    code, _, err = _run(capsys, "eval", "-j", "de", "--set", setting, FRA)
    assert code == 2 and words in err and "nothing was evaluated" in err


def test_an_override_that_breaks_an_invariant_is_reported_like_the_file(capsys):
    code, _, err = _run(capsys, "eval", "-j", "de", "--set", "period.energy.total=27 GWh", FRA)
    assert code == 2 and "F206 energy.renewable (29.7 GWh) exceeds energy.total (27 GWh" in err


@pytest.mark.parametrize("setting, words", [
    ("energytotal", '--set "energytotal": write PATH=VALUE'),
    ("x-1:period.energy.it=1 GWh", "--set names facility x-1, which is not in the input"),
    ("period[2019].energy.it=1 GWh", 'fra-3 has no period "2019"'),
    ("period.energy.it=[1, 2]", "the value must be one plain value"),
])
def test_unreadable_overrides_are_usage_errors(capsys, setting, words):
    code, _, err = _run(capsys, "eval", "-j", "de", "--set", setting, FRA)
    assert code == 2 and words in err


def test_timeline_and_priorities_take_overrides(capsys):
    out = _run(capsys, "priorities", "--as-of", "2026-11-23", "--format", "json", "--set",
               "period.energy.it=22.9 GWh", FRA)[1]
    document = json.loads(out)
    assert document["by_size"] == [] and document["overrides"][0]["fact"] == "period[2025].energy.it"
