"""`policy compare`: obligations by theme × regimes for one facility, sites × regimes for a portfolio."""

from __future__ import annotations

import json
from pathlib import Path


from dcpolicy.cli.api import compile_plans, shipped_policies
from dcpolicy.cli.grid import grid, wrap
from dcpolicy.cli.main import main
from dcpolicy.evaluator.themes import rule_themes

ROOT = Path(__file__).resolve().parents[1]
FRA = str(ROOT / "examples" / "fra-3.yaml")
PORTFOLIO = str(ROOT / "examples" / "portfolio.yaml")


def _compare(capsys, *args):
    code = main(["compare", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_themes_follow_from_the_facts_a_rule_reads():
    themes = {}
    for plan in compile_plans(shipped_policies().values()):
        themes.update(rule_themes(plan))
    assert themes["de.pue_existing_2030"] == themes["jp.pue_standard"] == themes["cn.gb40879_limit"] == "PUE limit"
    assert themes["de.erf_new"] == themes["eu.waste_heat"] == "waste heat and reuse"
    assert themes["de.renewable_50"] == themes["cn.green_power_hub_new"] == "renewable energy"
    assert themes["de.register"] == themes["eu.report"] == themes["jp.periodic_report"] == "reporting"
    assert themes["de.ems"] == themes["de.ems_certified"] == "management system"
    assert themes["cn.rack_utilisation_60"] == themes["eu.kpi_plausibility"] == "other"


def test_one_facility_obligations_by_theme_with_limit_and_value(capsys):
    code, out, _ = _compare(capsys, "--as-of", "2031-02-01", "--period", "2025", "--width", "160", FRA)
    assert code == 0  # the 2030 limit fails only as a projection from 2025 figures
    assert "obligation" in out and "de: compliant" in out and "eu: compliant" in out and "jp:" not in out
    assert "FAIL pue_existing_2030: PUE 1.388, limit ≤ 1.3 (projection)" in out
    assert "PASS pue_existing_2027: PUE 1.388, limit ≤ 1.5 (projection)" in out
    row = next(line for line in out.splitlines() if line.startswith("PUE limit"))
    assert row.rstrip().endswith("no obligation")  # the EU sets no PUE limit


def test_explicit_regime_asks_whether_a_german_site_meets_japans_rules(capsys):
    code, out, _ = _compare(capsys, "-j", "home,jp", "--as-of", "2026-06-01", "--format", "json", FRA)
    document = json.loads(out)
    assert document["regimes"] == ["jp", "de", "eu"]
    pue = next(t for t in document["themes"] if t["theme"] == "PUE limit")
    assert [r["verdict"] for r in pue["cells"]["jp"]] == ["not_applicable"]  # jp.pue_standard: DCs built from FY2029
    assert pue["cells"]["eu"] == []


def test_portfolio_sites_by_regimes_with_totals(capsys):
    # eight regimes need about 115 columns at the narrowest ("incomplete" per cell): 120 columns here
    code, out, _ = _compare(capsys, "-j", "all", "--as-of", "2026-06-01", "--width", "120", PORTFOLIO)
    assert code == 1  # Shanghai fails the EU report under -j all
    lines = out.splitlines()
    assert lines[2].split("│")[0].strip() == "site" and [c.strip() for c in lines[2].split("│")[1:]] == [
        "jp", "de", "cn", "eu", "ie", "sg", "fr", "nl"]  # at 120 columns the overall column moves below the table
    assert all(len(line) <= 120 for line in lines if "│" in line)
    assert "✗ shanghai-2 × eu: report: report 2025 due 2026-05-15, 16 items missing" in out
    total = out[out.index("total"):]
    # jp: every site compliant (no enacted rule); eu: shanghai-2, beijing-1 and singapore-1 miss the report
    assert [c.strip() for c in total.splitlines()[0].split("│")] == ["total", "10", "9", "1", "3 NON-COMPL",
                                                                     "8", "9", "9", "9"]
    assert "✗ beijing-1 × eu: report: report 2025 due 2026-05-15, 16 items missing" in out
    # fra-3 is incomplete only under Irish law: whether it applied for an Irish grid connection is not stated
    assert ("overall: tokyo-1 incomplete, fra-3 incomplete, shanghai-2 NON-COMPLIANT, dublin-1 incomplete, beijing-1 "
            "NON-COMPLIANT,\n    ennis-1 incomplete, singapore-1 NON-COMPLIANT, paris-2 incomplete, amsterdam-4 "
            "incomplete, san-jose-1 incomplete;") in out


def test_a_wide_terminal_shows_names_and_the_overall_column(capsys):
    out = _compare(capsys, "-j", "all", "--as-of", "2026-06-01", "--width", "200", PORTFOLIO)[1]
    assert "│ overall" in out.splitlines()[2] and "FRA-3 Frankfurt Ostend" in out and "overall:" not in out


def test_portfolio_at_home_marks_foreign_law_as_not_judged(capsys):
    code, out, _ = _compare(capsys, "--as-of", "2026-06-01", "--format", "json", PORTFOLIO)
    assert code == 0
    sites = {s["facility"]: s["statuses"] for s in json.loads(out)["sites"]}
    assert sites == {"tokyo-1": {"jp": "compliant"}, "fra-3": {"de": "compliant", "eu": "compliant"},
                     "shanghai-2": {"cn": "compliant"}, "dublin-1": {"eu": "compliant", "ie": "out_of_scope"},
                     "beijing-1": {"cn": "out_of_scope", "cn_bj": "compliant"},  # national rules + Beijing overlay
                     "paris-2": {"eu": "compliant", "fr": "compliant"},
                     "amsterdam-4": {"eu": "compliant", "nl": "compliant"},
                     "ennis-1": {"eu": "compliant", "ie": "compliant"}, "singapore-1": {"sg": "compliant"},
                     "san-jose-1": {"us_ca": "compliant"}}  # Title 24: economizers and UPS units by record
    text = _compare(capsys, "--as-of", "2026-06-01", "--width", "120", PORTFOLIO)[1]
    tokyo = next(line for line in text.splitlines() if line.startswith("tokyo-1"))
    assert [c.strip() for c in tokyo.split("│")] == ["tokyo-1", "compliant"] + ["—"] * 9


def test_markdown_compare_is_a_table(capsys):
    out = _compare(capsys, "--as-of", "2026-06-01", "--format", "markdown", FRA)[1]
    assert "| obligation | de: compliant | eu: compliant |" in out
    assert "| reporting | PASS register: report 2025 due 2026-03-31 | PASS report: report 2025 due 2026-05-15 |" in out


def test_compare_errors_end_like_eval(capsys):
    code, _, err = _compare(capsys, "-j", "xx", FRA)
    assert code == 2 and 'policy compare: error: unknown jurisdiction "xx"' in err


def test_grid_fits_the_width_and_never_breaks_a_word_that_fits():
    text = grid(["id", "status"], [["shanghai-2", "NON COMPLIANT\n✗ 1"], ["fra-3", "compliant"]], 24)
    assert all(len(line) <= 24 for line in text.splitlines())
    assert "shanghai-2" in text and "COMPLIANT" in text


def test_wrap_uses_a_hanging_indent():
    assert wrap("a long explanation line that must wrap", 16, "    ") == [
        "a long", "    explanation", "    line that", "    must wrap"]


def test_a_number_keeps_its_unit_but_ids_after_digits_still_wrap():
    assert wrap("renewable_share 100 %, limit", 20) == ["renewable_share", "  100 %, limit"]
    assert wrap("shanghai-2 NON-COMPLIANT, dublin-1 incomplete", 30) == [
        "shanghai-2 NON-COMPLIANT,", "  dublin-1 incomplete"]
