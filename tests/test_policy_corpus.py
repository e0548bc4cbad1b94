"""The corpus of bad policies (tests/corpus/policies/, issue 12): each gives its error at its place.

Every file holds one fault: too deep, out of range, not UTF-8, an invisible character, a lenient
reading the language refuses, a wrong name or type; EXPECTED.tsv (written with the files by
tests/corpus/make_policy_corpus.py, which places each fault at a known position) says the exit code,
the code, the line and the column. `policy check` must report exactly that as its first diagnostic,
name the file, and never print a traceback or an internal error.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from dcpolicy.cli.main import main

CORPUS = Path(__file__).resolve().parent / "corpus" / "policies"
ROWS = [line.split("\t") for line in (CORPUS / "EXPECTED.tsv").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")]
HEADLINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): (?P<code>[EWF]\d{3}) ", re.M)


def test_the_corpus_is_large_and_covers_every_class():
    assert len(ROWS) >= 150
    assert sorted(p.name for p in CORPUS.glob("*.policy")) == sorted(row[0] for row in ROWS)
    codes = {row[2] for row in ROWS}
    assert {"E102", "E106", "E107", "E401", "E503", "F101"} <= codes


@pytest.mark.parametrize("name, exit_code, code, line, column", ROWS, ids=[row[0] for row in ROWS])
def test_each_bad_policy_is_reported_at_its_place(capsys, name, exit_code, code, line, column):
    path = CORPUS / name
    assert main(["check", str(path)]) == int(exit_code)
    out, err = capsys.readouterr()
    first = HEADLINE.search(err)
    assert first is not None, err[:500]
    assert (first["file"], first["code"], first["line"], first["column"]) == (str(path), code, line, column), \
        err[:500]
    assert "Traceback" not in out + err and "internal error" not in out + err
    assert f"{path}: invalid" in out


def test_a_folder_check_of_the_whole_corpus_reports_every_file_in_one_process():
    result = subprocess.run([sys.executable, "-m", "dcpolicy.cli.main", "check", str(CORPUS)], capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 3, result.stderr[-2000:]
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert result.stdout.count(": invalid (") == len(ROWS)
