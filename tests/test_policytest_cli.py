"""`policy test` for an analyst's own rule files: layouts, failures, bad case files, exit codes."""

from __future__ import annotations

import pytest

from dcpolicy.cli.main import main

POLICY = """\
jurisdiction xx "Test land"
  calendar calendar-year
scope "Data centres"
  cite "§1"
  applies facility.power.nominal_connected >= 300 kW
define pue = period.energy.total / period.energy.it
rule pue_limit "PUE at most 1.5"
  cite "§2"
  severity mandatory
  from 2028-01-01
  require pue <= 1.5
"""

CASES = """\
policy: {policy}
base:
  id: b
  name: B
  power: {{nominal_connected: "1 MW"}}
  periods:
    - period: 2028
      energy: {{total: "15 GWh", it: "10 GWh"}}
cases:
  - name: "§2: PUE exactly 1.5 passes"
    as_of: 2029-01-01
    expect:
      xx.pue_limit: {{verdict: pass, value: 1.5}}
  - name: "§2: the day before 1 Jan 2028 the limit is not in force"
    as_of: 2027-12-31
    expect:
      xx.pue_limit: {expected_before}
  - name: "§1: below 300 kW the facility is out of scope"
    as_of: 2029-01-01
    facility: {{power: {{nominal_connected: "299 kW"}}}}
    expect:
      xx.pue_limit: not_applicable
"""


@pytest.fixture
def analyst_folder(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "xx.policy").write_text(POLICY, encoding="utf-8")
    return tmp_path


def _write_cases(folder, policy="xx", expected_before="not_in_force"):
    path = folder / "tests" / "xx-pue.yaml"
    path.write_text(CASES.format(policy=policy, expected_before=expected_before), encoding="utf-8")
    return path


def test_policy_beside_the_tests_folder_is_found_by_its_code(capsys, analyst_folder):
    path = _write_cases(analyst_folder)
    assert main(["test", str(path)]) == 0
    assert capsys.readouterr().out.strip().endswith("3 passed, 0 failed")


def test_policy_given_as_a_path_relative_to_the_case_file(capsys, analyst_folder):
    path = _write_cases(analyst_folder, policy="../xx.policy")
    assert main(["test", "-v", str(path)]) == 0
    out = capsys.readouterr().out
    assert "ok   xx-pue.yaml#1 §2: PUE exactly 1.5 passes" in out


def test_a_failing_expectation_says_what_was_expected_and_what_came(capsys, analyst_folder):
    path = _write_cases(analyst_folder, expected_before="pass")
    assert main(["test", str(path)]) == 1
    out = capsys.readouterr().out
    assert "FAIL xx-pue.yaml#2 §2: the day before 1 Jan 2028 the limit is not in force" in out
    assert "xx.pue_limit: expected verdict pass (got not_in_force: in force from 2028-01-01" in out
    assert out.strip().endswith("2 passed, 1 failed")


def test_k_selects_cases_by_name(capsys, analyst_folder):
    path = _write_cases(analyst_folder)
    assert main(["test", "-k", "out of scope", str(path)]) == 0
    assert capsys.readouterr().out.strip().endswith("1 passed, 0 failed")


def test_unknown_policy_is_one_error_naming_where_it_looked(capsys, analyst_folder):
    path = _write_cases(analyst_folder, policy="nope")
    assert main(["test", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.err.count('no policy "nope": not beside the case file') == 1
    assert "FAIL" not in captured.out


def test_invalid_policy_exits_3_with_its_diagnostic(capsys, analyst_folder):
    (analyst_folder / "xx.policy").write_text(POLICY.replace("require pue <= 1.5", "require pue <= 1.5 kW"),
                                             encoding="utf-8")
    path = _write_cases(analyst_folder)
    assert main(["test", str(path)]) == 3
    assert "E302" in capsys.readouterr().err


@pytest.mark.parametrize("text, message", [
    ("policy: xx\ncases: [\n", "bad.yaml:3:1: F102 YAML syntax error"),
    ("cases: []\n", "a case file is a mapping with `policy:` and `cases:`"),
    ("policy: xx\ncases:\n  - name: n\n    expect: {}\n", "needs `as_of: YYYY-MM-DD`"),
    ("policy: xx\ncases:\n  - name: n\n    as_of: '2029-13-01'\n    expect: {a: pass}\n", "is not a date"),
    ("policy: xx\ncases:\n  - name: n\n    as_of: 2029-01-01\n    expect: pass\n", "`expect:` maps rule ids"),
])
def test_malformed_case_files_exit_2(capsys, analyst_folder, text, message):
    path = analyst_folder / "tests" / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["test", str(path)]) == 2
    assert message in capsys.readouterr().err


def test_a_folder_without_case_files_exits_2(capsys, analyst_folder):
    assert main(["test", str(analyst_folder)]) == 2  # the policy folder itself, not its tests/
    assert "no case files (*.yaml, *.yml) in" in capsys.readouterr().err


def test_a_case_file_without_cases_exits_2(capsys, analyst_folder):
    path = analyst_folder / "tests" / "empty.yaml"
    path.write_text("policy: xx\ncases: []\n", encoding="utf-8")
    assert main(["test", str(path)]) == 2
    assert "no test cases in" in capsys.readouterr().err


def test_k_that_matches_nothing_exits_2(capsys, analyst_folder):
    path = _write_cases(analyst_folder)
    assert main(["test", "-k", "nomatch", str(path)]) == 2
    assert '-k "nomatch" matches none of the 3 case names' in capsys.readouterr().err


@pytest.mark.parametrize("word, suggestion", [("n/a", "not_applicable"), ("passed", "pass"),
                                               ("not-in-force", "not_in_force")])
def test_an_unknown_verdict_word_is_rejected_with_a_suggestion(capsys, analyst_folder, word, suggestion):
    path = _write_cases(analyst_folder, expected_before=f'"{word}"')
    assert main(["test", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"xx-pue.yaml:17:21: F303 xx.pue_limit: unknown verdict '{word}' (did you mean \"{suggestion}\"?)" in err


def test_an_unknown_expectation_field_is_rejected_with_a_suggestion(capsys, analyst_folder):
    path = _write_cases(analyst_folder, expected_before="{verdict: not_in_force, vaule: 1}")
    assert main(["test", str(path)]) == 2
    assert "unknown expectation field 'vaule' (did you mean \"value\"?)" in capsys.readouterr().err


def test_an_error_in_a_case_facility_is_located_at_the_case_file_line(capsys, analyst_folder):
    path = _write_cases(analyst_folder)
    text = path.read_text(encoding="utf-8").replace('nominal_connected: "299 kW"', 'nominal_connected: "299 kVV"')
    path.write_text(text, encoding="utf-8")
    assert main(["test", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:20:43: F203" in out and "kVV" in out  # the line of the case, not <stdin>
    assert "<stdin>" not in out
    assert "2 passed, 1 failed" in out


def test_an_error_in_the_base_is_located_in_the_base(capsys, analyst_folder):
    path = _write_cases(analyst_folder)
    path.write_text(path.read_text(encoding="utf-8").replace('it: "10 GWh"', 'it: "10 GWhh"'), encoding="utf-8")
    assert main(["test", str(path)]) == 1
    assert f"{path}:8:37: F203" in capsys.readouterr().out


def test_a_failure_shows_expected_actual_and_the_rule_trace(capsys, analyst_folder):
    path = _write_cases(analyst_folder, expected_before="fail")
    assert main(["test", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"FAIL xx-pue.yaml#2 §2: the day before 1 Jan 2028 the limit is not in force  ({path}:14)" in out
    assert "xx.pue_limit: expected verdict fail (got not_in_force" in out
    assert "xx.pue_limit  NOT_IN_FORCE  PUE at most 1.5   (§2)" in out  # the trace of the failing rule
    assert "in force  from 2028-01-01; evaluated as of 2027-12-31" in out
