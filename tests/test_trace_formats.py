"""--trace none|reasons|full in every output format of `policy eval` (docs/results.md, "Trace").

full is the tree of steps (--explain), reasons one line per evaluated clause with its place in the policy,
none no trace; each format keeps its own default, so output without --trace is unchanged.
"""

from __future__ import annotations

import html
import json

import pytest

from dcpolicy.cli.main import main

ARGS = ["eval", "-j", "de", "--as-of", "2031-06-01", "examples/fra-3.yaml"]
CLAUSE_LINE = "  require   pue <= 1.3   → false ✗   [policies/de.policy:"  # --trace reasons, de.pue_existing_2030
STEP_LINE = "   [examples/fra-3.yaml:"  # where a fact read was written: only the tree of steps shows it


def _eval(capsys, *extra: str) -> str:
    code = main([*ARGS, *extra])
    out, err = capsys.readouterr()
    assert code in (0, 1) and err == "", err
    return out


@pytest.mark.parametrize("output_format", ["table", "markdown", "junit", "tap", "html", "sarif", "github"])
def test_full_is_explain_and_each_format_keeps_its_default(capsys, output_format):
    default = _eval(capsys, "--format", output_format)
    full = _eval(capsys, "--format", output_format, "--trace", "full")
    explain = _eval(capsys, "--format", output_format, "--explain")
    assert full == explain
    defaults = {"table": "none", "markdown": "none", "sarif": "none", "github": "none"}
    assert default == _eval(capsys, "--format", output_format, "--trace", defaults.get(output_format, "full"))


@pytest.mark.parametrize("output_format", ["table", "markdown", "junit", "html"])
def test_reasons_shows_one_line_per_clause_and_none_no_trace(capsys, output_format):
    none, reasons, full = (html.unescape(_eval(capsys, "--format", output_format, "--trace", trace))
                           for trace in ("none", "reasons", "full"))  # XML and HTML escape "<="
    assert CLAUSE_LINE in reasons and CLAUSE_LINE not in none and CLAUSE_LINE not in full
    assert STEP_LINE in full and STEP_LINE not in reasons and STEP_LINE not in none
    if output_format == "html":
        assert 'id="explained"' not in none and 'id="explained"' in reasons


def test_sarif_and_github_carry_the_trace_only_when_asked(capsys):
    plain = json.loads(_eval(capsys, "--format", "sarif"))["runs"][0]["results"]
    assert all("trace" not in r["properties"] for r in plain)
    traced = json.loads(_eval(capsys, "--format", "sarif", "--trace", "reasons"))["runs"][0]["results"]
    failing = next(r for r in traced if r["ruleId"] == "de.pue_existing_2030")
    assert any(line.startswith(CLAUSE_LINE) for line in failing["properties"]["trace"])
    assert [{k: v for k, v in r.items() if k != "properties"} for r in traced] == \
           [{k: v for k, v in r.items() if k != "properties"} for r in plain]
    annotations = _eval(capsys, "--format", "github", "--trace", "reasons")
    assert "%0A  require   pue <= 1.3" in annotations and "%0A" not in _eval(capsys, "--format", "github")


def test_the_summary_has_no_room_for_a_trace(capsys):
    assert _eval(capsys, "--format", "summary", "--trace", "none") == _eval(capsys, "--format", "summary")
    for trace in ("reasons", "full"):
        assert main([*ARGS, "--format", "summary", "--trace", trace]) == 2
        assert f"--trace {trace} cannot be shown in --format summary (one line per evaluation)" in \
            capsys.readouterr().err
