"""Facts added for France and the Netherlands (issue 13): the SIRET kind, dated filings and the regimes' facts load and convert."""

from __future__ import annotations

import datetime
import textwrap
from pathlib import Path

import pytest

from dcpolicy.cli.main import main
from dcpolicy.dsl import schema
from dcpolicy.dsl.diagnostics import DiagnosticError
from dcpolicy.evaluator.inputs import load_inputs

ROOT = Path(__file__).resolve().parents[1]


def _write(tmp_path, text: str) -> str:
    path = tmp_path / "site.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)


def _load(tmp_path, text: str):
    return load_inputs([_write(tmp_path, text)]).facilities[0]


def _errors(tmp_path, text: str):
    with pytest.raises(DiagnosticError) as info:
        load_inputs([_write(tmp_path, text)])
    return info.value.diagnostics


@pytest.mark.parametrize("written", ['"73282932000074"', '"732 829 320 00074"', "73282932000074"])
def test_a_siret_is_14_digits_kept_as_text_with_the_spaces_dropped(tmp_path, written):
    facility = _load(tmp_path, f"id: a\nname: A\nsiret: {written}\n")
    assert facility.facts["siret"].value == "73282932000074"


@pytest.mark.parametrize("written", ['"7328293200007"', '"73282932000074X"', '"FR73282932000074"'])
def test_a_siret_that_is_not_14_digits_is_f205_at_its_value(tmp_path, written):
    diagnostics = _errors(tmp_path, f"id: a\nname: A\nsiret: {written}\n")
    assert [d.code for d in diagnostics] == ["F205"]
    assert "is not a SIRET number" in diagnostics[0].message
    assert (diagnostics[0].span.line, diagnostics[0].span.column) == (3, 8)
    assert "14 digits" in diagnostics[0].hint


def test_filings_are_dated_facts_of_the_facility_and_of_each_period(tmp_path):
    facility = _load(tmp_path, """\
        id: a
        name: A
        filings: {fr_declaration: 2026-04-20}
        periods:
          - period: 2025
            energy: {electricity: "3 GWh"}
            waste_heat: {offtake: heat_or_cold_network}
            excise: {fr_efficiency_indicator: met}
            filings: {fr_annual_transmitted: 2026-05-10, fr_annual_published: 2026-05-11}
        """)
    assert facility.facts["filings.fr_declaration"].value == datetime.date(2026, 4, 20)
    period = facility.periods[0].facts
    assert period["filings.fr_annual_published"].value == datetime.date(2026, 5, 11)
    assert period["energy.electricity"].value == 3_000_000
    assert period["waste_heat.offtake"].value == "heat_or_cold_network"


def test_a_filing_that_is_not_a_date_is_f204(tmp_path):
    diagnostics = _errors(tmp_path, "id: a\nname: A\nfilings: {fr_declaration: soon}\n")
    assert [d.code for d in diagnostics] == ["F204"]


def test_an_offtake_that_is_not_one_of_its_values_is_f205_with_a_suggestion(tmp_path):
    diagnostics = _errors(tmp_path, """\
        id: a
        name: A
        periods:
          - period: 2025
            waste_heat: {offtake: heat_network}
        """)
    assert [d.code for d in diagnostics] == ["F205"]
    assert "heat_or_cold_network" in diagnostics[0].hint


def test_the_added_facts_are_marked_added_and_documented_in_facility_md():
    text = (ROOT / "docs" / "facility.md").read_text(encoding="utf-8")
    added = ["siret", "vital_importance_operator", "power.server_rooms_installed",
             "power.siret_server_rooms_installed", "best_practice_programme", "filings.fr_declaration",
             "energy_saving.measures_5y", "filings.nl_information", "filings.nl_research",
             "filings.nl_implementation_plan"]
    period = ["energy.electricity", "waste_heat.offtake", "excise.fr_efficiency_indicator",
              "filings.fr_annual_transmitted", "filings.fr_annual_published", "gas.natural_gas_equivalent",
              "filings.nl_dc_disclosure"]
    for path in added:
        assert schema.FACILITY_FIELDS[path].added and f"| `{path}` |" in text
    for path in period:
        assert schema.PERIOD_FIELDS[path].added and f"| `{path}` |" in text


def test_the_example_paris_site_is_judged_under_fr_and_eu_at_home(capsys):
    code = main(["eval", "-j", "home", "--as-of", "2026-11-23", "--format", "json", str(ROOT / "examples" / "paris-2.yaml")])
    out, _ = capsys.readouterr()
    import json
    run = json.loads(out)
    assert code == 0
    assert sorted(e["jurisdiction"] for e in run["evaluations"]) == ["eu", "fr"]
    fr = next(e for e in run["evaluations"] if e["jurisdiction"] == "fr")
    verdicts = {r["rule"]: r["verdict"] for r in fr["results"]}
    assert verdicts == {"fr.declaration_new": "not_applicable", "fr.declaration_content": "pass",
                        "fr.annual_information": "pass", "fr.excise_energy_management": "pass",
                        "fr.excise_programme": "pass", "fr.excise_waste_heat": "pass"}


def test_the_example_amsterdam_site_is_judged_under_nl_and_eu_at_home(capsys):
    import json
    code = main(["eval", "--as-of", "2026-11-23", "--format", "json", str(ROOT / "examples" / "amsterdam-4.yaml")])
    run = json.loads(capsys.readouterr().out)
    assert code == 0
    assert sorted(e["jurisdiction"] for e in run["evaluations"]) == ["eu", "nl"]
    nl = next(e for e in run["evaluations"] if e["jurisdiction"] == "nl")
    assert {r["rule"]: r["verdict"] for r in nl["results"]} == {
        "nl.energy_saving": "pass", "nl.information_duty": "pass", "nl.research_duty": "pass",
        "nl.dc_disclosure": "pass"}


def test_gas_is_a_volume_and_an_energy_is_refused_for_it(tmp_path):
    diagnostics = _errors(tmp_path, """\
        id: a
        name: A
        periods:
          - period: 2025
            gas: {natural_gas_equivalent: "25 MWh"}
        """)
    assert [d.code for d in diagnostics] == ["F202"]
