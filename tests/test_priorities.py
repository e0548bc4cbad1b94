"""`policy priorities`: mandatory gaps by size and by deadline, coming deadlines, the iCalendar export."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from dcpolicy.cli.ics import calendar, escape_text, fold
from dcpolicy.cli.main import main
from dcpolicy.cli.priorities import Deadline, add_months

ROOT = Path(__file__).resolve().parents[1]
FRA = str(ROOT / "examples" / "fra-3.yaml")
PORTFOLIO = str(ROOT / "examples" / "portfolio.yaml")


def _priorities(capsys, *args):
    code = main(["priorities", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _document(capsys, *args) -> dict:
    return json.loads(_priorities(capsys, "--format", "json", *args)[1])


def test_the_coming_2030_limit_is_the_mandatory_gap_with_its_energy(capsys):
    document = _document(capsys, "--as-of", "2026-11-23", PORTFOLIO)
    # 1.88 GWh before Beijing-1's differential price (1.55 GWh); the draft Singapore Bill's licences
    # (legal-status proposed) follow with no energy lever
    gap, beijing, *proposed = document["by_size"]
    assert (beijing["facility"], beijing["rule"]) == ("beijing-1", "cn_bj.differential_price")
    assert [(g["facility"], g["rule"]) for g in proposed] == [
        ("singapore-1", "sg.dib_dc_licence"), ("singapore-1", "sg.dib_fdi_licence")]
    assert gap["facility"] == "fra-3" and gap["rule"] == "de.pue_existing_2030"
    assert gap["deadline"] == "2030-07-01" and gap["in_force"] is False  # bites on 1 July 2030
    assert round(gap["energy_kwh"] / 1e6, 2) == 1.88
    assert gap["gap"].startswith("PUE must fall by 0.088 — about 1.88 GWh less period.energy.total")


def test_targets_are_ranked_apart_by_energy(capsys):
    document = _document(capsys, "--as-of", "2026-11-23", PORTFOLIO)
    assert [(t["facility"], t["rule"]) for t in document["targets"]] == [
        ("shanghai-2", "cn.green_power_hub_new"), ("beijing-1", "cn_bj.pue_2027"),
        ("shanghai-2", "cn.pue_hub_node")]  # 6.3 GWh before 1.55 GWh before 1.04 GWh
    assert document["targets"][0]["in_force"] is True


def test_a_gap_in_force_comes_before_a_coming_one_by_deadline(tmp_path, capsys):
    # PUE 34.24 / 21.4 = 1.6 misses both EnEfG limits: 1.5 from 2027-07-01 and 1.3 from 2030-07-01
    text = Path(FRA).read_text(encoding="utf-8").replace("total: 29.7 GWh", "total: 34.24 GWh")
    site = tmp_path / "fra-hot.yaml"
    site.write_text(text, encoding="utf-8")
    document = _document(capsys, "--as-of", "2026-11-23", str(site))
    # and 29.7 GWh renewable no longer covers 100 % (from 2027-01-01)
    assert [g["rule"] for g in document["by_deadline"]] == [
        "de.renewable_100", "de.pue_existing_2027", "de.pue_existing_2030"]
    # 0.3 × 21.4 = 6.42 GWh less; 34.24 - 29.7 = 4.54 GWh more renewable; 0.1 × 21.4 = 2.14 GWh less
    assert [g["rule"] for g in document["by_size"]] == [
        "de.pue_existing_2030", "de.renewable_100", "de.pue_existing_2027"]
    assert [round(g["energy_kwh"] / 1e6, 2) for g in document["by_size"]] == [6.42, 4.54, 2.14]


def test_coming_deadlines_in_the_next_months(capsys):
    document = _document(capsys, "--as-of", "2026-11-23", "--months", "12", PORTFOLIO)
    seen = [(d["date"], d["facility"], d["rule"], d["kind"]) for d in document["deadlines"]]
    assert seen == [
        ("2027-01-01", "fra-3", "de.renewable_100", "in force"),
        ("2027-03-31", "fra-3", "de.register", "due"),  # "bis zum 31. März des Folgejahres"
        ("2027-05-15", "amsterdam-4", "eu.report", "due"),
        ("2027-05-15", "dublin-1", "eu.report", "due"),
        ("2027-05-15", "ennis-1", "eu.report", "due"),
        ("2027-05-15", "fra-3", "eu.report", "due"),
        ("2027-05-15", "paris-2", "eu.report", "due"),
        ("2027-07-01", "fra-3", "de.pue_existing_2027", "in force"),
        ("2027-07-31", "tokyo-1", "jp.periodic_report", "due"),
    ]
    assert document["deadlines"][8]["detail"] == "report for FY2026: figures still to come (proposed rule)"
    fewer = _document(capsys, "--as-of", "2026-11-23", "--months", "3", PORTFOLIO)
    assert [d["date"] for d in fewer["deadlines"]] == ["2027-01-01"]


def test_text_lists_both_rankings_and_the_deadlines(capsys):
    code, out, _ = _priorities(capsys, "--as-of", "2026-11-23", "--width", "100", PORTFOLIO)
    assert code == 0
    assert "Mandatory gaps, largest first (energy to save or to add):" in out
    assert " 1. fra-3 × de.pue_existing_2030 (from 2030-07-01, figures of 2025): PUE must fall by 0.088" in out
    assert "  2027-03-31  fra-3 × de.register: report for 2026: figures still to come" in out


def test_ics_export_is_rfc5545(tmp_path, capsys):
    path = tmp_path / "deadlines.ics"
    code, out, _ = _priorities(capsys, "--as-of", "2026-11-23", "--ics", str(path), PORTFOLIO)
    data = path.read_bytes()
    text = data.decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert text.endswith("END:VCALENDAR\r\n")
    assert text.count("BEGIN:VEVENT") == 9
    assert "DTSTART;VALUE=DATE:20270331\r\nDTEND;VALUE=DATE:20270401\r\n" in text
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    assert "\n" not in text.replace("\r\n", "")  # only CRLF line ends
    again = tmp_path / "again.ics"
    _priorities(capsys, "--as-of", "2026-11-23", "--ics", str(again), PORTFOLIO)
    assert again.read_bytes() == data  # stable UIDs and stamp


def test_ics_escapes_and_folds():
    assert escape_text("a, b; c\\d\ne") == "a\\, b\\; c\\\\d\\ne"
    folded = fold("DESCRIPTION:" + "é" * 80)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "DESCRIPTION:" + "é" * 80
    event = calendar([Deadline(datetime.date(2027, 3, 31), "s,1", "de.register", "due", "T; x", "d")],
                     datetime.date(2026, 1, 1))
    assert "SUMMARY:s\\,1: de.register report due" in event


def test_months_are_added_to_the_end_of_a_shorter_month():
    assert add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2026, 11, 23), 12) == datetime.date(2027, 11, 23)


def test_months_out_of_range_is_a_usage_error(capsys):
    code, _, err = _priorities(capsys, "--months", "0", FRA)
    assert code == 2 and "--months 0" in err
