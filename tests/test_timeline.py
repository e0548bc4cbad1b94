"""`policy timeline`: obligations year by year, the first year each is missed, the PUE chart (text and SVG)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from dcpolicy.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
FRA = str(ROOT / "examples" / "fra-3.yaml")
SHANGHAI = str(ROOT / "examples" / "shanghai-2.yaml")
PORTFOLIO = str(ROOT / "examples" / "portfolio.yaml")
SVG = "{http://www.w3.org/2000/svg}"


def _timeline(capsys, *args):
    code = main(["timeline", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _rules(out: str, facility: str = "fra-3") -> dict:
    document = json.loads(out)
    entry = next(f for f in document["facilities"] if f["facility"] == facility)
    return {r["rule"]: r for r in entry["rules"]}, entry


def test_the_2030_limit_is_first_missed_in_2030_on_the_latest_figures(capsys):
    code, out, _ = _timeline(capsys, "--as-of", "2026-06-01", "--from", "2026", "--to", "2031", "--format", "json",
                             FRA)
    assert code == 0
    rules, entry = _rules(out)
    assert entry["years"] == [2026, 2027, 2028, 2029, 2030, 2031]
    assert entry["periods"] == ["2025"] * 6  # the latest figures the file has
    pue_2030 = rules["de.pue_existing_2030"]
    # in force from 1 July 2030 ("ab dem 1. Juli 2030"): judged as of 31 December 2030 first
    assert pue_2030["verdicts"] == ["not_in_force"] * 4 + ["fail", "fail"]
    assert pue_2030["first_in_force"] == 2030 and pue_2030["first_missed"] == 2030
    assert pue_2030["projection"] == [False] * 4 + [True, True]
    assert rules["de.pue_existing_2027"]["first_missed"] is None
    assert rules["de.pue_existing_2027"]["first_in_force"] == 2027


def test_the_pue_limit_series_takes_the_binding_limit_each_year(capsys):
    out = _timeline(capsys, "--as-of", "2026-06-01", "--from", "2026", "--to", "2031", "--format", "json", FRA)[1]
    _, entry = _rules(out)
    [series] = entry["pue_limits"]
    assert series["regime"] == "de" and series["severity"] == "mandatory"
    assert series["limits"] == [None, 1.5, 1.5, 1.5, 1.3, 1.3]
    assert series["rules"][4] == "de.pue_existing_2030"
    assert [round(p, 3) for p in entry["pue"]] == [1.388] * 6


def test_past_years_use_their_own_figures(capsys):
    out = _timeline(capsys, "--as-of", "2026-06-01", "--from", "2023", "--to", "2025", "--format", "json", FRA)[1]
    _, entry = _rules(out)
    assert entry["periods"] == [None, "2024", "2025"]  # the file has no figures for 2023 or before


def test_text_table_marks_and_the_first_missed_year(capsys):
    out = _timeline(capsys, "--as-of", "2026-06-01", "--width", "100", FRA)[1]
    line = next(x for x in out.splitlines() if x.strip().startswith("pue_existing_2030"))
    assert line.split() == ["pue_existing_2030", "mandatory", "·", "·", "·", "·", "✗*", "✗*", "✗*", "✗*", "2030"]
    assert "de.pue_existing_2030 is missed from 2030: PUE 1.388, limit ≤ 1.3 (figures of 2025)" in out
    assert "PUE limits in force and the PUE of fra-3, 2026–2033" in out
    assert "D de limit" in out and "●" in out


def test_at_80_columns_every_line_fits(capsys):
    out = _timeline(capsys, "--as-of", "2026-06-01", "--width", "80", FRA)[1]
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "'30" in out  # narrow year labels


def test_targets_are_charted_apart_from_limits(capsys):
    out = _timeline(capsys, "--as-of", "2026-06-01", "--from", "2025", "--to", "2027", "--format", "json",
                    SHANGHAI)[1]
    rules, entry = _rules(out, "shanghai-2")
    assert rules["cn.pue_hub_node"]["first_missed"] == 2025
    assert {(s["severity"], tuple(s["limits"])) for s in entry["pue_limits"]} == {
        ("mandatory", (1.5, 1.5, 1.5)), ("target", (1.2, 1.2, 1.2))}


def test_svg_is_well_formed_with_one_line_per_limit_year_and_a_point_per_pue(capsys):
    code, out, _ = _timeline(capsys, "--as-of", "2026-06-01", "--from", "2026", "--to", "2031", "--format", "svg",
                             FRA)
    root = ET.fromstring(out.split("\n", 1)[1])
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title").text == "PUE limits in force and the PUE of fra-3, 2026–2031"
    limits = [e for e in root.iter(f"{SVG}line") if e.get("class") == "limit"]
    assert len(limits) == 5  # 2027…2031
    assert [e.find(f"{SVG}title").text for e in limits][-1] == "2031: de limit 1.3 (de.pue_existing_2030)"
    points = [e for e in root.iter(f"{SVG}circle") if e.get("class") == "pue"]
    assert len(points) == 6 and points[0].find(f"{SVG}title").text == "2026: PUE 1.388"
    assert "http" not in out.replace("http://www.w3.org/2000/svg", "")  # no external resource


def test_svg_needs_one_facility(capsys):
    code, _, err = _timeline(capsys, "--format", "svg", PORTFOLIO)
    assert code == 2 and "one facility" in err


def test_year_range_is_checked(capsys):
    code, _, err = _timeline(capsys, "--from", "2030", "--to", "2026", FRA)
    assert code == 2 and "--to 2026 is before --from 2030" in err


def test_portfolio_timeline_has_one_section_per_site(capsys):
    out = _timeline(capsys, "--as-of", "2026-06-01", "--width", "100", PORTFOLIO)[1]
    assert [line.split(" ")[0] for line in out.splitlines() if "obligations year by year" in line] == [
        "tokyo-1", "fra-3", "shanghai-2", "dublin-1", "beijing-1", "ennis-1", "singapore-1", "paris-2",
        "amsterdam-4", "san-jose-1"]
