"""Malformed `policy test` case files (issue 12, "Case files"): an error naming the file, line and
column of what is wrong, exit code 2, never a traceback."""

from __future__ import annotations

import os

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


# Issue 12: each malformed case file also names its code (F301-F303, docs/facility.md "Test case files"), and
# expectations of the wrong kind are refused before any case runs (they crashed or compared nonsense).
BASE = "policy: de\nbase: {id: a-1, name: A, started: 2015-01-01}\ncases:\n  - name: x\n    as_of: 2031-01-01\n"
CODED_CASE_FILES = [
    # (label, bytes, line, column, code, words)
    ("a case that is a list", b"policy: de\ncases:\n  - [1, 2]\n", 3, 5, "F303", "case 1 needs `name:` and `expect:`"),
    ("cases as a mapping", b"policy: de\ncases:\n  name: x\n", 3, 3, "F302", "`cases:` is a list of cases"),
    ("as_of 2026-02-30", CASE.replace("2026-02-01", "2026-02-30").encode(), 4, 12, "F303",
     "as_of '2026-02-30' is not a date that exists"),
    ("as_of 9999-12-31", CASE.replace("2026-02-01", "9999-12-31").encode(), 4, 12, "F303",
     "as_of 9999-12-31 is outside the dates dcpolicy judges at, 1900-01-01 to 2199-12-31"),
    ("as_of 1800-01-01", CASE.replace("2026-02-01", "1800-01-01").encode(), 4, 12, "F303", "is outside the dates"),
    ("not UTF-8", b"policy: de\ncases:\n  - name: caf\xe9\n", 3, 14, "F301", "this case file is not UTF-8: byte 0xe9"),
    ("no policy", b"cases: []\n", 1, 1, "F302", "a case file is a mapping with `policy:` and `cases:`"),
    ("policy a list", b"policy: [de]\ncases: []\n", 1, 9, "F303", "`policy:` must name a policy, found a list"),
    ("policy null", b"policy:\ncases: []\n", 1, 8, "F303", "`policy:` must name a policy, found null"),
    ("unknown key in the file", b"policy: de\ncase: []\ncases: []\n", 2, 1, "F302",
     "unknown key 'case' in a case file (did you mean \"cases\"?)"),
    ("unknown key in a case", CASE.replace("    expect:", "    expected: 1\n    expect:").encode(), 5, 5, "F303",
     "unknown key 'expected' in a case (did you mean \"expect\"?)"),
    ("value a list", (BASE + "    expect: {de.pue_new: {value: [1]}}\n").encode(), 6, 34, "F303",
     "de.pue_new: `value` must be a single value, found a list"),
    ("missing a number", (BASE + "    expect: {de.pue_new: {missing: 5}}\n").encode(), 6, 36, "F303",
     "`missing` must be a list of fact names"),
    ("missing a list of lists", (BASE + "    expect: {de.pue_new: {missing: [[1]]}}\n").encode(), 6, 36, "F303",
     "`missing` must be a list of fact names"),
    ("due a number", (BASE + "    expect: {de.pue_new: {due: 5}}\n").encode(), 6, 32, "F303",
     "`due` must be a date, YYYY-MM-DD, found 5"),
    ("in_force_from a word", (BASE + "    expect: {de.pue_new: {in_force_from: soon}}\n").encode(), 6, 42, "F303",
     "`in_force_from` must be a date"),
    ("projection a word", (BASE + "    expect: {de.pue_new: {projection: maybe}}\n").encode(), 6, 39, "F303",
     "`projection` must be true or false"),
    ("reason a mapping", (BASE + "    expect: {de.pue_new: {reason: {a: b}}}\n").encode(), 6, 35, "F303",
     "`reason` must be a text, found a mapping"),
    ("verdict a list", (BASE + "    expect: {de.pue_new: [pass]}\n").encode(), 6, 26, "F303", "de.pue_new: unknown verdict"),
]


@pytest.mark.parametrize("label, data, line, column, code, words", CODED_CASE_FILES, ids=[c[0] for c in CODED_CASE_FILES])
def test_a_malformed_case_file_names_its_code(tmp_path, capsys, label, data, line, column, code, words):
    path = tmp_path / "cases.yaml"
    path.write_bytes(data)
    assert main(["test", str(path)]) == 2
    out, err = capsys.readouterr()
    assert err.startswith(f"policy test: error: {path}:{line}:{column}: {code} "), err
    assert words in err and "hint: " in err
    assert "Traceback" not in out + err and "internal error" not in out + err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_case_file_that_is_a_named_pipe_is_refused_at_once(tmp_path, capsys):
    os.mkfifo(tmp_path / "pipe.yaml")
    assert main(["test", str(tmp_path / "pipe.yaml")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"policy test: error: {tmp_path / 'pipe.yaml'}:1:1: F301 cannot read this case file: it is "
                          "a named pipe (FIFO), not a regular file")
