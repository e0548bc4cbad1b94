"""`policy check PATH… [--format json]`: exit codes, text and JSON output, folders."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dcpolicy.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "policies" / "all_constructs.policy"

BAD = 'jurisdiction de "Germany"\nrule r "t" cite "§1"\n  require pue 1.3\n'
TWO_ERRORS = 'jurisdiction de "Germany"\nrule r "t"\n  require nope <= 1.3\n'
WARNING = 'jurisdiction de "Germany"\ndefine unused = 3\nrule r "t"\n  cite "§1"\n  require true\n'


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "good.policy").write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "bad.policy").write_text(BAD, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a policy", encoding="utf-8")
    return tmp_path


def test_clean_file_exits_0(capsys):
    code, out, err = run(capsys, "check", str(FIXTURE))
    assert code == 0
    assert out == f"{FIXTURE}: ok (0 errors, 0 warnings)\n"
    assert err == ""


def test_invalid_file_exits_3_with_rendered_diagnostic(capsys, tmp_path):
    path = tmp_path / "de.policy"
    path.write_text(BAD, encoding="utf-8")
    code, out, err = run(capsys, "check", str(path))
    assert code == 3
    assert out == f"{path}: invalid (1 error, 0 warnings)\n"
    assert err == (
        f'{path}:3:15: E101 expected a comparison such as "<=" after "pue"\n'
        "    3 |   require pue 1.3\n"
        "      |               ^^^\n"
        '  hint: write an operator between the two values, e.g. "pue <= 1.3"\n'
    )


def test_every_checker_error_is_printed(capsys, tmp_path):
    path = tmp_path / "de.policy"
    path.write_text(TWO_ERRORS, encoding="utf-8")
    code, out, err = run(capsys, "check", str(path))
    assert code == 3
    assert "(2 errors, 0 warnings)" in out
    assert f"{path}:2:6: E504" in err and f"{path}:3:11: E201" in err


def test_warnings_alone_exit_0(capsys, tmp_path):
    path = tmp_path / "w.policy"
    path.write_text(WARNING, encoding="utf-8")
    code, out, err = run(capsys, "check", str(path))
    assert code == 0
    assert out == f"{path}: ok (0 errors, 1 warning)\n"
    assert f'{path}:2:1: W601 definition "unused" is never used' in err


def test_folder_argument_checks_every_policy_file(capsys, folder):
    code, out, err = run(capsys, "check", str(folder))
    assert code == 3
    assert out.splitlines() == [
        f"{folder / 'bad.policy'}: invalid (1 error, 0 warnings)",
        f"{folder / 'good.policy'}: ok (0 errors, 0 warnings)",
    ]
    assert "notes.txt" not in out + err


def test_folder_of_valid_policies_exits_0(capsys, tmp_path):
    shutil.copy(FIXTURE, tmp_path / "a.policy")
    shutil.copy(FIXTURE, tmp_path / "b.policy")
    code, out, _ = run(capsys, "check", str(tmp_path))
    assert code == 0
    assert len(out.splitlines()) == 2


def test_json_format(capsys, folder):
    code, out, err = run(capsys, "check", str(folder), "--format", "json")
    assert code == 3
    document = json.loads(out)
    assert document["format"] == "dcpolicy/check/1"
    bad, good = document["files"]
    assert bad["file"] == str(folder / "bad.policy") and bad["valid"] is False
    assert good["file"] == str(folder / "good.policy") and good["valid"] is True
    assert good["diagnostics"] == []
    assert bad["diagnostics"] == [{
        "code": "E101",
        "severity": "error",
        "message": 'expected a comparison such as "<=" after "pue"',
        "file": str(folder / "bad.policy"),
        "line": 3,
        "column": 15,
        "end_line": 3,
        "end_column": 18,
        "hint": 'write an operator between the two values, e.g. "pue <= 1.3"',
    }]


def test_json_format_reports_warnings_as_valid(capsys, tmp_path):
    path = tmp_path / "w.policy"
    path.write_text(WARNING, encoding="utf-8")
    code, out, _ = run(capsys, "check", "--format", "json", str(path))
    assert code == 0
    (entry,) = json.loads(out)["files"]
    assert entry["valid"] is True
    assert [(d["code"], d["severity"], d["line"]) for d in entry["diagnostics"]] == [("W601", "warning", 2)]


def test_shipped_policies_check_clean(capsys):
    code, out, err = run(capsys, "check", str(ROOT / "policies"))
    assert code == 0, err
    assert all(line.endswith(": ok (0 errors, 0 warnings)") for line in out.splitlines())


def test_missing_path_is_a_usage_error(capsys, tmp_path):
    code, out, err = run(capsys, "check", str(tmp_path / "nope.policy"))
    assert code == 2
    assert "F101 no such file or directory" in err
    assert out == ""


def test_folder_without_policies_is_a_usage_error(capsys, tmp_path):
    code, _, err = run(capsys, "check", str(tmp_path))
    assert code == 2
    assert "no .policy files" in err


def test_no_arguments_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["check"])
    assert caught.value.code == 2
    assert "policy: error:" in capsys.readouterr().err


def test_bad_format_option_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["check", str(FIXTURE), "--format", "xml"])
    assert caught.value.code == 2


def test_unreadable_file_gives_a_diagnostic_not_a_traceback(capsys, tmp_path):
    path = tmp_path / "latin1.policy"
    path.write_bytes('jurisdiction de "K\xf6ln"\n'.encode("latin-1"))
    code, out, err = run(capsys, "check", str(path))
    assert code == 3
    assert "latin1.policy:1:19: F101 this policy file is not UTF-8: byte 0xf6" in err
    assert "Traceback" not in err


def test_empty_file_is_an_invalid_policy(capsys, tmp_path):
    path = tmp_path / "empty.policy"
    path.write_text("", encoding="utf-8")
    code, _, err = run(capsys, "check", str(path))
    assert code == 3
    assert "E507" in err


def test_fmt_prints_canonical_layout_and_check_reports_changes(tmp_path, capsys):
    from dcpolicy.cli.main import main as cli_main

    path = tmp_path / "x.policy"
    path.write_text('jurisdiction xx "X"\n# the limit\ndefine   limit=1.3\nrule r "R"\n cite "§1"\n'
                    ' require limit<=1.5   # keep me\n', encoding="utf-8")
    assert cli_main(["fmt", "--check", str(path)]) == 1
    capsys.readouterr()
    assert cli_main(["fmt", str(path)]) == 0
    out = capsys.readouterr().out
    assert "define limit = 1.3" in out and "# the limit" in out and "# keep me" in out
    assert cli_main(["fmt", "--write", str(path)]) == 0
    assert cli_main(["fmt", "--check", str(path)]) == 0
    capsys.readouterr()
    assert cli_main(["fmt", str(path)]) == 0  # a file already in canonical layout is printed as it is
    assert capsys.readouterr().out == path.read_text(encoding="utf-8")
