"""`--strict` for `policy check` and `policy test`: a warning (here an unused definition) fails the run."""

from __future__ import annotations

import json

import pytest

from dcpolicy.cli.main import main

WARNED = """\
jurisdiction xx "Test land"
  calendar calendar-year
define pue = period.energy.total / period.energy.it
define unused = 3 kW
rule pue_limit "PUE at most 1.5"
  cite "§2"
  severity mandatory
  require pue <= 1.5
"""

CASES = """\
policy: xx
cases:
  - name: "§2: PUE 1.5 passes"
    as_of: 2029-01-01
    facility:
      id: a
      name: A
      periods:
        - period: 2028
          energy: {total: "15 GWh", it: "10 GWh"}
    expect:
      xx.pue_limit: pass
"""


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "xx.policy").write_text(WARNED, encoding="utf-8")
    (tmp_path / "tests" / "xx.yaml").write_text(CASES, encoding="utf-8")
    return tmp_path


def test_check_passes_a_warning_without_strict(capsys, folder):
    assert main(["check", str(folder / "xx.policy")]) == 0
    assert "ok (0 errors, 1 warning)" in capsys.readouterr().out


def test_check_strict_fails_on_a_warning(capsys, folder):
    assert main(["check", "--strict", str(folder / "xx.policy")]) == 3
    captured = capsys.readouterr()
    assert "invalid (--strict: warnings fail) (0 errors, 1 warning)" in captured.out
    assert "xx.policy:4:1: W601" in captured.err and "unused" in captured.err


def test_check_strict_json_marks_the_file_invalid(capsys, folder):
    assert main(["check", "--strict", "--format", "json", str(folder / "xx.policy")]) == 3
    assert json.loads(capsys.readouterr().out)["files"][0]["valid"] is False


def test_check_strict_passes_the_shipped_policies(capsys):
    from dcpolicy.cli.api import shipped_policies

    assert main(["check", "--strict", *map(str, shipped_policies().values())]) == 0


def test_test_strict_fails_on_a_policy_warning(capsys, folder):
    assert main(["test", str(folder / "tests")]) == 0
    capsys.readouterr()
    assert main(["test", "--strict", str(folder / "tests")]) == 3
    assert "xx.policy:4:1: W601" in capsys.readouterr().err
