"""Malformed `policy test` case files (issue 12, "Case files"): an error naming the file, line and
column of what is wrong, exit code 2, never a traceback."""

from __future__ import annotations

import pytest

from dcpolicy.cli.main import main

CASE = "policy: de\ncases:\n  - name: x\n    as_of: 2026-02-01\n    expect: {de.pue_existing_2027: pass}\n"

BAD_CASE_FILES = [
    # (label, bytes of the file, line, column, words of the message)
    ("a case that is a list", b"policy: de\ncases:\n  - [1, 2]\n", 3, 5, "case 1 needs `name:` and `expect:`"),
    ("a case that is a text", b"policy: de\ncases:\n  - just words\n", 3, 5, "case 1 needs `name:` and `expect:`"),
    ("cases as a mapping", b"policy: de\ncases:\n  name: x\n", 3, 3, "`cases:` is a list of cases"),
    ("as_of 2026-02-30", CASE.replace("2026-02-01", "2026-02-30").encode(), 4, 12, "as_of '2026-02-30' is not a date that exists"),
    ("as_of 0000-01-01", CASE.replace("2026-02-01", "0000-01-01").encode(), 4, 12, "is not a date that exists"),
    ("as_of a number", CASE.replace("2026-02-01", "20260201").encode(), 4, 12, "needs `as_of: YYYY-MM-DD`, not 20260201"),
    ("as_of a time", CASE.replace("2026-02-01", "2026-02-01 10:00:00").encode(), 4, 12, "needs `as_of: YYYY-MM-DD`"),
    ("no as_of", CASE.replace("    as_of: 2026-02-01\n", "").encode(), 3, 5, "needs `as_of: YYYY-MM-DD`"),
    ("expect a list", CASE.replace("{de.pue_existing_2027: pass}", "[1]").encode(), 5, 13, "`expect:` maps rule ids"),
    ("facility a list", (CASE + "    facility: [1]\n").encode(), 6, 15, "`facility:` is a mapping"),
    ("facilities not mappings", (CASE + "    facilities: [1, 2]\n").encode(), 6, 17, "`facilities:` is a list of mappings"),
    ("base a list", b"policy: de\nbase: [1]\n" + CASE[11:].encode(), 2, 7, "`base:` is a facility mapping"),
    ("a key twice in a facility", (CASE + "    facility:\n      id: a\n      id: b\n").encode(), 8, 7,
     'duplicate key "id" (first written at line 7, column 7)'),
    ("a key twice in a case", CASE.replace("    expect:", "    as_of: 2026-03-01\n    expect:").encode(), 5, 5,
     'duplicate key "as_of"'),
    ("not UTF-8", b"policy: de\ncases:\n  - name: caf\xe9\n", 3, 14, "this case file is not UTF-8: byte 0xe9"),
    ("not YAML", b"policy: de\ncases: [\n", 3, 1, "YAML syntax error"),
    ("a Python tag", b"policy: !!python/object:os.system de\ncases: []\n", 1, 9, ""),
    ("no policy", b"cases: []\n", 1, 1, "a case file is a mapping with `policy:` and `cases:`"),
]


@pytest.mark.parametrize("label, data, line, column, words", BAD_CASE_FILES, ids=[c[0] for c in BAD_CASE_FILES])
def test_a_malformed_case_file_is_located(tmp_path, capsys, label, data, line, column, words):
    path = tmp_path / "cases.yaml"
    path.write_bytes(data)
    assert main(["test", str(path)]) == 2
    out, err = capsys.readouterr()
    assert err.startswith(f"policy test: error: {path}:{line}:{column}: "), err
    assert words in err
    assert "Traceback" not in out + err and "internal error" not in out + err
