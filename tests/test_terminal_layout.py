"""`policy eval`'s table fits the width: COLUMNS honoured when piped, one line per rule at 80 columns with
ids whole, and long reasons and explanations wrapped with a hanging indent."""

from __future__ import annotations

from pathlib import Path

import pytest

from dcpolicy.cli.main import main
from dcpolicy.cli.table_layout import compact_verdict, for_width

ROOT = Path(__file__).resolve().parents[1]
FRA = str(ROOT / "examples" / "fra-3.yaml")
PORTFOLIO = str(ROOT / "examples" / "portfolio.yaml")
DE_RULES = ["de.pue_existing_2027", "de.pue_existing_2030", "de.pue_new", "de.erf_new", "de.renewable_50",
            "de.renewable_100", "de.ems", "de.ems_certified", "de.size_class", "de.register"]


def _eval(capsys, monkeypatch, columns, *args):
    if columns is not None:
        monkeypatch.setenv("COLUMNS", str(columns))
    code = main(["eval", *args])
    return code, capsys.readouterr().out


def test_at_80_columns_one_line_per_rule_with_whole_ids(capsys, monkeypatch):
    _, out = _eval(capsys, monkeypatch, 80, "-j", "de", "--as-of", "2031-02-01", FRA)
    lines = out.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 80
    rows = [line for line in lines if line[:1] != " " and line.split()[:1] and line.split()[0] in ("PASS", "PASS*", "FAIL*", "N/A")]
    assert [line.split()[2] for line in rows] == DE_RULES  # one line each, the id whole
    assert lines[2].split() == ["verdict", "severity", "rule", "title", "value", "limit"]
    assert "citation" not in out  # dropped before anything is broken


def test_the_whole_portfolio_fits_at_every_narrow_width(capsys, monkeypatch):
    for columns in (60, 72, 80, 100, 120):
        _, out = _eval(capsys, monkeypatch, columns, "-j", "all", "--explain", "--as-of", "2026-06-01", PORTFOLIO)
        assert max(len(line.rstrip()) for line in out.splitlines()) <= columns, columns


def test_without_columns_a_pipe_keeps_the_wide_table(capsys, monkeypatch):
    _, out = _eval(capsys, monkeypatch, None, "-j", "de", "--as-of", "2031-02-01", FRA)
    assert "citation" in out and "┃" in out
    assert max(len(line) for line in out.splitlines()) > 100


def test_columns_is_honoured_when_piped(capsys, monkeypatch):
    _, wide = _eval(capsys, monkeypatch, 200, "-j", "de", "--as-of", "2031-02-01", FRA)
    _, narrow = _eval(capsys, monkeypatch, 100, "-j", "de", "--as-of", "2031-02-01", FRA)
    assert "citation" in wide and "citation" not in narrow
    assert max(len(line.rstrip()) for line in narrow.splitlines()) <= 100


def test_reasons_and_explanations_wrap_with_a_hanging_indent(capsys, monkeypatch):
    _, out = _eval(capsys, monkeypatch, 80, "-j", "de", "--as-of", "2031-02-01", "--explain", FRA)
    lines = out.splitlines()
    reason = lines.index(next(line for line in lines if line.startswith("  FAIL*    de.pue_existing_2030:")))
    assert lines[reason + 1].startswith(" " * 11) and not lines[reason + 1].startswith(" " * 12)
    law = next(i for i, line in enumerate(lines) if line.startswith("  law says  \u201cab dem 1. Juli 2030"))
    assert lines[law + 1].startswith(" " * 12) and lines[law + 1].strip()


@pytest.mark.parametrize("width, columns", [(160, None), (140, None), (120, 6), (80, 6), (50, 4)])
def test_the_columns_kept_by_width(width, columns):
    layout = for_width(width)
    assert (layout is None and columns is None) or len(layout.columns) == columns


def test_a_narrow_verdict_is_short():
    assert compact_verdict("NOT IN FORCE until 2027-08-15 (proposed)") == "FROM 2027-08-15 (prop.)"
