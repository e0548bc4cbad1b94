"""Ranges and strictness of the command line and of facility figures (issue 12, "Ranges", "Leniency"):
dates outside the range dcpolicy judges at, or not written YYYY-MM-DD, are usage errors (exit 2) with
one clear line, never a traceback; the commands that look years ahead stay inside it; temperatures
below absolute zero and a heat-network share above the reused energy are located F206 errors."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from dcpolicy.cli.evaluate import EARLIEST, LATEST
from dcpolicy.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
FRA = str(ROOT / "examples" / "fra-3.yaml")


def _run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "internal error" not in out + err, err
    return code, out, err


@pytest.mark.parametrize("text, words", [
    ("20310101", '--as-of "20310101" is not a date; write YYYY-MM-DD'),
    ("2031-1-1", '--as-of "2031-1-1" is not a date; write YYYY-MM-DD'),
    ("2031-W01-1", "is not a date; write YYYY-MM-DD"),
    ("2031-01-01T00:00", "is not a date; write YYYY-MM-DD"),
    ("２０３１-01-01", "is not a date; write YYYY-MM-DD"),
    ("", '--as-of "" is not a date'),
    ("2031\x1b[31m", '--as-of "2031\\x1b[31m" is not a date'),
    ("0000-01-01", '--as-of "0000-01-01" is not a date that exists; there is no year 0'),
    ("2026-02-30", "is not a date that exists; that day does not exist in that month"),
    ("2026-13-01", "is not a date that exists; there is no month 13"),
    ("9999-12-31", "--as-of 9999-12-31 is outside the dates dcpolicy judges at, 1900-01-01 to 2199-12-31"),
    ("0001-01-01", "--as-of 0001-01-01 is outside the dates dcpolicy judges at"),
    ("1899-12-31", "--as-of 1899-12-31 is outside the dates"),
    ("2200-01-01", "--as-of 2200-01-01 is outside the dates"),
])
@pytest.mark.parametrize("command", ["eval", "compare", "timeline", "priorities", "report"])
def test_an_as_of_that_is_not_a_day_in_range_is_a_usage_error(capsys, command, text, words):
    code, out, err = _run(capsys, command, "-j", "de", "--as-of", text, FRA)
    assert code == 2 and out == ""
    assert err.startswith(f"policy {command}: error: ") and words in err and err.count("\n") == 1


@pytest.mark.parametrize("day", [EARLIEST, LATEST, datetime.date(2031, 1, 1)])
@pytest.mark.parametrize("command", ["eval", "compare", "timeline", "priorities", "report"])
def test_every_command_judges_at_the_first_and_the_last_day_of_the_range(capsys, command, day):
    code, out, _ = _run(capsys, command, "-j", "de", "--as-of", day.isoformat(), FRA)
    assert code in (0, 1) and out


@pytest.mark.parametrize("args, words", [
    (["--from", "0"], "--from 0 is outside the years dcpolicy judges, 1900 to 2199"),
    (["--from", "-5"], "--from -5 is outside the years"),
    (["--from", "99999"], "--from 99999 is outside the years"),
    (["--from", "2190", "--to", "10000"], "--to 10000 is outside the years"),
    (["--from", "2031", "--to", "2020"], "--to 2020 is before --from 2031"),
])
@pytest.mark.parametrize("command", ["timeline", "report"])
def test_timeline_years_out_of_range_are_usage_errors(capsys, command, args, words):
    code, _, err = _run(capsys, command, "-j", "de", *args, FRA)
    assert code == 2 and err.startswith(f"policy {command}: error: {words}")


def test_a_timeline_that_would_run_past_the_last_year_stops_there(capsys):
    code, out, _ = _run(capsys, "timeline", "-j", "de", "--from", "2195", "--format", "json", FRA)
    assert code in (0, 1) and json.loads(out)["facilities"][0]["years"] == [2195, 2196, 2197, 2198, 2199]


@pytest.mark.parametrize("codes", ["", ",", " ", " , "])
@pytest.mark.parametrize("command", ["eval", "compare", "timeline", "priorities", "report"])
def test_an_empty_jurisdiction_list_is_an_error_not_an_empty_run(capsys, command, codes):
    code, out, err = _run(capsys, command, "-j", codes, FRA)
    assert code == 2 and out == "" and f'-j "{codes}" names no jurisdiction' in err


@pytest.mark.parametrize("command", [["list"], ["schema"], ["init"], ["explain", "de.pue_new"]])
def test_an_empty_jurisdiction_list_is_an_error_for_the_discovery_commands(capsys, command):
    code, _, err = _run(capsys, *command, "-j", "")
    assert code == 2 and '-j "" names no jurisdiction' in err


@pytest.mark.parametrize("label", ["-1.5", "-0", "0000", "99999"])
def test_a_set_naming_a_period_that_is_no_label_is_an_error(capsys, label):
    code, _, err = _run(capsys, "eval", "-j", "de", "--set", f"period[{label}].energy.total=1 GWh", FRA)
    assert code == 2 and f'fra-3 has no period "{label}"' in err


@pytest.mark.parametrize("label", ["0000", "FY0000", "99999", "", "2025-02-30"])
def test_a_period_the_input_does_not_have_is_a_usage_error(capsys, label):
    code, _, err = _run(capsys, "eval", "-j", "de", "--period", label, FRA)
    assert code == 2 and f'--period "{label}" names no period of the input' in err


# ---------------------------------------------------------------- invariants added by issue 12
SITE = """id: t-1
name: T
periods:
  - period: 2025
    energy: {total: 10 GWh, it: 8 GWh, reused: 1 GWh, reused_via_heat_network: %s}
    temperature_set_point: %s
"""


@pytest.mark.parametrize("temperature, column", [("-300 degC", 28), ("-273.16 degC", 28), ("-500 °F", 28),
                                                 ("-460 degF", 28)])
def test_a_temperature_below_absolute_zero_is_an_invariant_error(tmp_path, capsys, temperature, column):
    path = tmp_path / "t.yaml"
    path.write_text(SITE % ("0.5 GWh", temperature), encoding="utf-8")
    code, _, err = _run(capsys, "eval", "-j", "de", str(path))
    assert code == 2
    assert err.startswith(f"{path}:6:{column}: F206 temperature_set_point is {temperature}, below absolute zero "
                          "(-273.15 °C)\n")


@pytest.mark.parametrize("temperature", ["-273.15 degC", "-459.67 °F", "-40 degC", "0 degC"])
def test_absolute_zero_itself_and_cold_temperatures_are_accepted(tmp_path, capsys, temperature):
    path = tmp_path / "t.yaml"
    path.write_text(SITE % ("0.5 GWh", temperature), encoding="utf-8")
    code, _, _ = _run(capsys, "eval", "-j", "de", "--as-of", "2031-01-01", str(path))
    assert code in (0, 1)


def test_a_heat_network_share_above_the_reused_energy_is_an_invariant_error(tmp_path, capsys):
    path = tmp_path / "t.yaml"
    path.write_text(SITE % ("2 GWh", "27 degC"), encoding="utf-8")
    code, _, err = _run(capsys, "eval", "-j", "de", str(path))
    assert code == 2
    assert err.startswith(f"{path}:5:80: F206 energy.reused_via_heat_network (2 GWh) exceeds energy.reused (1 GWh, "
                          "line 5)\n")
    path.write_text(SITE % ("1 GWh", "27 degC"), encoding="utf-8")  # all of it: allowed
    assert _run(capsys, "eval", "-j", "de", "--as-of", "2031-01-01", str(path))[0] in (0, 1)
