"""`policy eval` arguments (issue 7, C5): a mistyped or contradictory argument is a usage error
(exit 2, one clear line), never silently ignored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dcpolicy.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
FRA = str(ROOT / "examples" / "fra-3.yaml")
PORTFOLIO = str(ROOT / "examples" / "portfolio.yaml")

MINI_POLICY = """\
jurisdiction xx "Test land"
  calendar calendar-year
rule pue_limit "PUE at most 1.5"
  cite "§2"
  require period.energy.total / period.energy.it <= 1.5
"""


def _eval(capsys, *args):
    code = main(["eval", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _jurisdictions(capsys, *args) -> list[str]:
    code, out, err = _eval(capsys, "--as-of", "2026-06-01", "--format", "json", *args)
    assert code in (0, 1), err
    return [e["jurisdiction"] for e in json.loads(out)["evaluations"]]


# ---------------------------------------------------------------- -j
@pytest.mark.parametrize("name", ["DE", "De", " de "])
def test_jurisdiction_is_case_insensitive(capsys, name):
    assert _jurisdictions(capsys, "-j", name, FRA) == ["de"]


@pytest.mark.parametrize("name", ["de-draft-2026", "de_draft_2026", "DE-Draft-2026"])
def test_jurisdiction_by_file_stem_or_code(capsys, name):
    assert _jurisdictions(capsys, "-j", name, FRA) == ["de_draft_2026"]


def test_repeated_jurisdiction_is_evaluated_once(capsys):
    assert _jurisdictions(capsys, "-j", "de,DE,de-draft-2026,de,de_draft_2026", FRA) == ["de", "de_draft_2026"]
    assert _jurisdictions(capsys, "-j", "ALL,de", FRA) == ["jp", "de", "cn", "eu", "ie", "sg", "fr", "nl"]


@pytest.mark.parametrize(("name", "suggestion"), [("dee", "de"), ("jpn", "jp"), ("de-draft", "de_draft_2026"),
                                                  ("al", "all")])
def test_unknown_jurisdiction_suggests_the_closest(capsys, name, suggestion):
    code, out, err = _eval(capsys, "-j", name, FRA)
    assert code == 2 and out == ""
    assert f'unknown jurisdiction "{name}" (did you mean "{suggestion}"?); available: cn, ' in err
    # every shipped regime is listed, in order (issue 13 adds more, e.g. cn_bj)
    listed = err.split("available: ")[1].split(', "all"')[0].split(", ")
    assert listed == sorted(listed) and {"cn", "de", "de_draft_2026", "eu", "jp"} <= set(listed)


def test_unknown_jurisdiction_without_a_close_match(capsys):
    code, _, err = _eval(capsys, "-j", "xyzzy", FRA)
    assert code == 2 and "did you mean" not in err and 'unknown jurisdiction "xyzzy"; available: ' in err


@pytest.mark.parametrize("value", ["", ",", " , "])
def test_empty_jurisdiction_list_is_a_usage_error(capsys, value):
    code, out, err = _eval(capsys, "-j", value, FRA)
    assert code == 2 and out == "" and "names no jurisdiction" in err


# ---------------------------------------------------------------- --policy with -j
def test_policy_and_jurisdiction_are_both_honoured(capsys, tmp_path):
    path = tmp_path / "xx.policy"
    path.write_text(MINI_POLICY, encoding="utf-8")
    assert _jurisdictions(capsys, "-j", "de", "--policy", str(path), FRA) == ["de", "xx"]
    assert _jurisdictions(capsys, "--policy", str(path), FRA) == ["xx"]  # --policy alone: only the file


def test_same_policy_by_code_and_path_is_evaluated_once(capsys):
    assert _jurisdictions(capsys, "-j", "de", "--policy", str(ROOT / "policies" / "de.policy"),
                          "--policy", str(ROOT / "policies" / "de.policy"), FRA) == ["de"]


# ---------------------------------------------------------------- --period
def test_period_naming_no_period_lists_the_periods(capsys):
    code, out, err = _eval(capsys, "--period", "2031", "--as-of", "2031-02-01", PORTFOLIO)
    assert code == 2 and out == ""
    assert ('--period "2031" names no period of the input; its periods are: FY2021, FY2022, FY2023, FY2024, '
            'FY2025 (jp: fiscal years from 04-01); 2023, 2024, 2025 (de, cn, eu, ie, sg, fr, nl, cn_bj, us_ca: calendar years)') in err


def test_period_of_another_calendar_is_explained(capsys):
    code, _, err = _eval(capsys, "-j", "jp", "--period", "2025", "--as-of", "2031-02-01", PORTFOLIO)
    assert code == 2
    assert "(jp: fiscal years from 04-01)" in err
    assert 'the input has a period "2025", but it fits none of these calendars' in err


@pytest.mark.parametrize("label", ["FY2024", "fy2024", "fy 2024"])
def test_period_held_by_one_facility_is_accepted(capsys, label):
    code, out, _ = _eval(capsys, "-j", "jp,de", "--period", label, "--as-of", "2031-02-01", "--format", "json",
                         PORTFOLIO)
    assert code in (0, 1)
    tokyo = next(e for e in json.loads(out)["evaluations"] if (e["facility"], e["jurisdiction"]) == ("tokyo-1", "jp"))
    assert tokyo["period"] == "FY2024"


def test_period_of_no_facility_under_the_chosen_policy(capsys):
    code, _, err = _eval(capsys, "-j", "de", "--period", "FY2024", FRA)
    assert code == 2 and "2024, 2025 (de: calendar years)" in err


# ---------------------------------------------------------------- --explain
def test_explain_with_summary_is_refused(capsys):
    code, out, err = _eval(capsys, "--explain", "--format", "summary", FRA)
    assert code == 2 and out == ""
    assert "--explain cannot be shown in --format summary" in err and "use --format table, json or markdown" in err


@pytest.mark.parametrize("fmt", ["table", "json", "markdown"])
def test_explain_with_formats_that_show_it(capsys, fmt):
    code, out, _ = _eval(capsys, "-j", "de", "--as-of", "2031-02-01", "--explain", "--format", fmt, FRA)
    assert code == 0 and "pue <= 1.3" in out


def test_fail_on_lists_every_choice(capsys):
    code, _, err = _eval(capsys, "--fail-on", "proposed,sometimes", FRA)
    assert code == 2
    assert "--fail-on takes mandatory, unknown, target, proposed, projection (comma-separated), not sometimes" in err
