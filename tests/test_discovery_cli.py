"""Discovery: `policy list`, `policy explain`, `policy schema`, `policy init` on the shipped policies and an
analyst's own file; the template evaluates to unknown verdicts that name each missing fact."""

from __future__ import annotations

import json

import pytest

from dcpolicy.cli.api import compile_plans, shipped_policies
from dcpolicy.cli.main import main
from dcpolicy.cli.regime import facts_read

OWN_POLICY = """\
jurisdiction xx "Test land"
  law "Test Act"
  calendar calendar-year
scope "Data centres"
  cite "§1"
  applies facility.power.nominal_connected >= 300 kW
define pue = period.energy.total / period.energy.it  "PUE"
rule pue_limit "PUE at most 1.5"
  cite "§2"
  quote "shall not exceed 1.5"
  severity mandatory
  from 2028-01-01
  require pue <= 1.5
"""


@pytest.fixture
def own_policy(tmp_path):
    path = tmp_path / "xx.policy"
    path.write_text(OWN_POLICY, encoding="utf-8")
    return path


def test_list_names_every_shipped_regime_with_status_and_rule_count(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for code in ("cn", "de", "de_draft_2026", "eu", "jp"):
        assert any(line.startswith(code + " ") for line in out.splitlines()), code
    assert "Germany  [in-force]  territory DE  10 rules  policies/de.policy" in out
    assert "European Union  [in-force]  territory EU  10 rules" in out  # the territory -j home reads
    assert "[proposed]" in out


def test_list_with_a_jurisdiction_lists_its_rules_with_severity_dates_and_citation(capsys):
    assert main(["list", "-j", "de"]) == 0
    out = capsys.readouterr().out
    assert "de.pue_existing_2027               mandatory; from 2027-07-01; EnEfG §11(1) Nr. 1" in out
    assert "de.size_class                      informational; always; EnEfG Anlage 3 Nr. 1 c" in out
    assert "jp." not in out


def test_list_json_carries_each_rule(capsys):
    assert main(["list", "-j", "eu", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["format"] == "dcpolicy/list/1"
    rules = {r["id"]: r for r in document["regimes"][0]["rules"]}
    assert rules["eu.report"]["severity"] == "mandatory"
    assert rules["eu.report"]["citation"]


def test_list_of_an_own_policy_file(capsys, own_policy):
    assert main(["list", "--policy", str(own_policy)]) == 0
    out = capsys.readouterr().out
    assert "xx.pue_limit" in out and "mandatory; from 2028-01-01; §2" in out


def test_list_of_an_unknown_jurisdiction_is_a_usage_error_with_a_suggestion(capsys):
    assert main(["list", "-j", "dee"]) == 2
    assert 'unknown jurisdiction "dee" (did you mean "de"?)' in capsys.readouterr().err


def test_explain_shows_citation_quotes_dates_facts_and_the_rule_text(capsys):
    assert main(["explain", "de.pue_new"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("de.pue_new: New data centres: annual PUE at most 1.2")
    assert "citation     EnEfG §11(2) S. 1 Nr. 1, S. 2" in out
    assert 'quote        "eine Energieverbrauchseffektivität von kleiner oder gleich 1,2"' in out
    assert "in force     from facility.started + new_dc_grace" in out
    assert "legal status in-force" in out
    # facts read through the definition `pue`, with their units
    assert "period.energy.total" in out and 'energy (e.g. "21.3 GWh")' in out
    assert "facility.started" in out
    assert "rule pue_new \"New data centres" in out and "require  pue <= 1.2" in out


def test_explain_an_own_policy_rule_by_its_bare_name(capsys, own_policy):
    assert main(["explain", "pue_limit", "--policy", str(own_policy)]) == 0
    out = capsys.readouterr().out
    assert "xx.pue_limit: PUE at most 1.5" in out and 'quote        "shall not exceed 1.5"' in out


def test_explain_an_unknown_rule_suggests_the_closest(capsys):
    assert main(["explain", "de.pue_nwe"]) == 2
    assert 'no rule "de.pue_nwe" (did you mean "de.pue_new"?)' in capsys.readouterr().err


def test_schema_is_derived_from_the_plan_not_a_hand_list(capsys):
    plan = compile_plans([shipped_policies()["de"]])[0]
    uses = {u.path: u for u in facts_read(plan)}
    assert "period.energy.total" in uses and uses["period.energy.total"].earlier_periods  # §12(4) three years
    assert "de.pue_new" in uses["period.energy.it"].rules
    assert uses["facility.power.nominal_connected"].rules[0] == "de scope"
    assert "period.energy.crude_oil_equivalent" not in uses  # a JP fact
    assert main(["schema", "-j", "de", "--format", "json"]) == 0
    facts = {f["path"]: f for f in json.loads(capsys.readouterr().out)["regimes"][0]["facts"]}
    assert facts.keys() == uses.keys()
    assert facts["period.energy.total"]["unit"] == "kWh" and facts["period.energy.total"]["dimension"] == "energy"
    assert facts["facility.management_system.standard"]["values"] == ["ISO 50001", "EMAS", "none"]


def test_schema_text_lists_type_meaning_and_readers(capsys):
    assert main(["schema", "-j", "cn"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("cn (China) reads 11 facts:")
    assert "facility.racks.installed                      whole number" in out
    assert "read by cn.rack_utilisation_60" in out


@pytest.mark.parametrize("code", sorted(shipped_policies()))
def test_the_untouched_template_gives_unknown_verdicts_naming_missing_facts(tmp_path, capsys, code):
    assert main(["init", "-j", code]) == 0
    template = capsys.readouterr().out
    plan = compile_plans([shipped_policies()[code]])[0]
    for use in facts_read(plan):  # exactly those fields: each one the regime reads is in the template
        if use.path not in ("facility.id", "facility.name", "period.start", "period.end"):
            assert f"# {'  ' * (use.key.count('.'))}{use.key.rsplit('.', 1)[-1]}: " in template, use.path
    path = tmp_path / "template.yaml"
    path.write_text(template, encoding="utf-8")
    assert main(["eval", "-j", code, str(path), "--format", "json", "--as-of", "2027-08-01"]) == 0
    document = json.loads(capsys.readouterr().out)
    results = [r for e in document["evaluations"] for r in e["results"]]
    results += [r for o in document.get("operators", []) for r in o["results"]]
    assert results
    unknown = [r for r in results if r["verdict"] == "unknown"]
    assert unknown, "the template decides nothing"
    assert all(r["verdict"] in ("unknown", "not_applicable", "not_in_force") for r in results)
    assert all(r["missing"] for r in unknown), [r["rule"] for r in unknown if not r["missing"]]
