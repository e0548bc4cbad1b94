"""Every fact an explanation shows carries where it came from, resolved while evaluating (issue 8):
earlier periods, period bounds and the members of an operator's aggregate included."""

from __future__ import annotations

import re
from pathlib import Path

from dcpolicy.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
FACT_LINE = re.compile(r"^\s+((?:facility|period(?:\[-\d+\])?)\.[\w.]+) = (.*)$")


def _explain(capsys, *args) -> list[str]:
    assert main(["eval", "--format", "markdown", "--explain", *args]) in (0, 1)
    return capsys.readouterr().out.splitlines()


def test_every_known_fact_of_tokyo_has_a_yaml_position(capsys):
    lines = _explain(capsys, "-j", "jp", "--as-of", "2026-11-23", str(ROOT / "examples" / "tokyo-1.yaml"))
    facts = [FACT_LINE.match(line) for line in lines]
    facts = [m for m in facts if m and not m.group(2).startswith("unknown")]
    assert any(m.group(1).startswith("period[-4]") for m in facts)  # five fiscal years of intensity
    unplaced = [m.group(0).strip() for m in facts if "[" not in m.group(2) or "tokyo-1.yaml:" not in m.group(2)]
    assert unplaced == []


def test_operator_results_name_each_members_facts_with_their_position(capsys):
    lines = _explain(capsys, "-j", "jp", "--as-of", "2026-11-23", str(ROOT / "examples" / "portfolio.yaml"))
    members = [line.strip() for line in lines if line.strip().startswith("tokyo-1: period.energy.")]
    assert members and all(re.search(r"examples/tokyo-1\.yaml:\d+:\d+\]$", line) for line in members)
