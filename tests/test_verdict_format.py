"""`policy eval --format verdicts`: verdicts alone as CSV, the same verdicts and statuses jsonl gives."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import bench_eval  # noqa: E402

PORTFOLIO = "examples/portfolio.yaml"
HEADER = ["kind", "id", "jurisdiction", "status", "rule", "severity", "verdict", "set_aside"]


def _rows(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == HEADER
    return rows[1:]


def _from_jsonl(text: str) -> list[list[str]]:
    """The rows the CSV should hold, made from jsonl's records (facilities first, then operators, per batch)."""
    facilities, operators = [], []
    for record in map(json.loads, text.splitlines()):
        if record["kind"] not in ("evaluation", "operator"):
            continue
        kind, ident = ("facility", record["facility"]) if record["kind"] == "evaluation" else ("operator", record["operator"])
        for result in record["results"]:
            aside = [r for r in ("proposed", "projection") if result.get("legal_status") == r or result.get(r) is True]
            row = [kind, ident, record["jurisdiction"], record["status"], result["rule"], result["severity"],
                   result["verdict"], ";".join(aside)]
            (facilities if kind == "facility" else operators).append(row)
    return facilities + operators


@pytest.mark.parametrize("options", [
    ["-j", "all", "--as-of", "2031-06-01"],
    ["-j", "all", "--as-of", "2027-07-01"],
    ["-j", "all", "--as-of", "2027-06-30", "--fail-on", "proposed,projection"],
    ["-j", "home", "--as-of", "2031-06-01"],
    ["-j", "jp,eu", "--as-of", "2031-06-01", "--period", "2025"],
    ["-j", "us_ca,de", "--as-of", "2026-12-01", "--fail-on", "unknown,target"],
])
def test_verdicts_are_jsonl_verdicts_and_statuses_row_for_row(policy_cli, options):
    argv = ["eval", *options, PORTFOLIO, "--jobs", "1"]
    verdicts = policy_cli(argv + ["--format", "verdicts"])
    streamed = policy_cli(argv + ["--format", "jsonl", "--trace", "none"])
    assert sorted(_rows(verdicts.stdout)) == sorted(_from_jsonl(streamed.stdout))
    facility_rows = [r for r in _rows(verdicts.stdout) if r[0] == "facility"]
    assert facility_rows == [r for r in _from_jsonl(streamed.stdout) if r[0] == "facility"]  # input order kept
    assert verdicts.exit_code == streamed.exit_code
    assert {r[0] for r in _rows(verdicts.stdout)} == ({"facility", "operator"} if "jp,eu" in options or "all" in
                                                      options else {r[0] for r in _rows(verdicts.stdout)})


def test_verdicts_on_two_cores_are_the_same_bytes(policy_cli, tmp_path):
    register = tmp_path / "register.yaml"
    register.write_text(bench_eval.synthetic_portfolio(450, 1), encoding="utf-8")
    argv = ["eval", "-j", "jp,de,cn,eu", "--as-of", "2031-06-01", "--format", "verdicts", str(register)]
    one, two = policy_cli(argv + ["--jobs", "1"]), policy_cli(argv + ["--jobs", "2"])
    assert one.stdout == two.stdout and one.exit_code == two.exit_code == 1
    assert len(_rows(one.stdout)) > 450 * 4


@pytest.mark.parametrize("extra", [["--trace", "reasons"], ["--trace", "full"], ["--explain"]])
def test_verdicts_have_no_reasons_to_trace(policy_cli, extra):
    result = policy_cli(["eval", "-j", "de", "--format", "verdicts", *extra, PORTFOLIO])
    assert result.exit_code == 2
    assert "--format verdicts" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_a_site_row_by_row(policy_cli, tmp_path):
    site = tmp_path / "site.yaml"
    site.write_text("dcpolicy: facility/1\nid: site-1\nname: Site\nstarted: 2015-05-01\n"
                    "location: {country: DE}\npower: {nominal_connected: 2 MW, it_installed: 1 MW}\n"
                    "periods:\n  - period: 2030\n    energy: {total: 14 GWh, it: 10 GWh}\n", encoding="utf-8")
    result = policy_cli(["eval", "-j", "de", "--as-of", "2031-06-01", "--format", "verdicts", str(site)])
    rows = _rows(result.stdout)
    assert ["facility", "site-1", "de", "non_compliant", "de.pue_existing_2027", "mandatory", "pass", ""] in rows
    assert ["facility", "site-1", "de", "non_compliant", "de.pue_existing_2030", "mandatory", "fail", ""] in rows
    assert result.exit_code == 1


def test_a_spreadsheet_never_runs_a_cell_as_a_formula():
    """Ids cannot start with = + - @ (F205), so this guards text the format may carry one day."""
    from dcpolicy.cli.escape import spreadsheet

    assert spreadsheet('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert [spreadsheet(t) for t in ("+1", "-1", "@SUM(A1)", "\tx")] == ["'+1", "'-1", "'@SUM(A1)", "\\tx"]
    assert spreadsheet("dc-1\n") == "dc-1\\n" and spreadsheet("fra-3") == "fra-3"


def test_what_if_changes_the_verdict_and_says_so_on_stderr(policy_cli):
    argv = ["eval", "-j", "de", "--as-of", "2031-06-01", "--format", "verdicts", "examples/fra-3.yaml"]
    before = {r[4]: r[6] for r in _rows(policy_cli(argv).stdout)}
    after = policy_cli(argv + ["--set", "period.energy.it=23 GWh"])
    assert "WHAT-IF: fra-3 period[2025].energy.it = 23 GWh (the file says 21.4 GWh" in after.stderr
    changed = {r[4]: r[6] for r in _rows(after.stdout)}
    assert before["de.pue_existing_2030"] == "fail" and changed["de.pue_existing_2030"] == "pass"


def test_a_bad_input_is_located_and_what_came_before_it_is_written(policy_cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("dcpolicy: facility/1\nid: x\nname: X\nstarted: 2015-13-01\n", encoding="utf-8")
    result = policy_cli(["eval", "-j", "de", "--format", "verdicts", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:4:" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout.splitlines() == [",".join(HEADER)]
