"""The corpus of hostile YAML and CSV inputs (tests/corpus/yaml/, issue 12): each gives its error at its place.

Every file holds one fault: nesting deeper than the loader's limit, an alias bomb, a tag that is not one
of YAML's core ones, a duplicate key, or digits that are not ASCII. EXPECTED.tsv (written with the files
by tests/corpus/make_yaml_corpus.py, which places each fault at a known position) gives the command that
reads it (`eval` a file, `eval-jsonl` streamed, `eval-stdin`, `test` a case file), the exit code, the
code, the line and the column. The first diagnostic must be exactly that, name the file, and no
traceback, internal error or RecursionError may be printed.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

from dcpolicy.cli.main import main

CORPUS = Path(__file__).resolve().parent / "corpus" / "yaml"
ROWS = [line.split("\t") for line in (CORPUS / "EXPECTED.tsv").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")]
HEADLINE = re.compile(r"(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<column>\d+): (?P<code>F\d{3}) ")


def test_the_corpus_covers_every_path_and_class():
    assert sorted(p.name for p in CORPUS.iterdir() if p.name != "EXPECTED.tsv") == sorted(row[0] for row in ROWS)
    assert {row[1] for row in ROWS} == {"eval", "eval-jsonl", "eval-stdin", "test"}
    names = " ".join(row[0] for row in ROWS)
    for fault in ("deep", "alias-bomb", "tag", "duplicate", "fullwidth", "csv"):
        assert fault in names


@pytest.mark.parametrize("name, command, exit_code, code, line, column", ROWS, ids=[row[0] for row in ROWS])
def test_each_hostile_input_is_reported_at_its_place(capsys, monkeypatch, name, command, exit_code, code, line,
                                                     column):
    path = CORPUS / name
    shown = str(path)
    if command == "test":
        argv = ["test", str(path)]
    else:
        argv = ["eval", "-j", "de", "--as-of", "2031-06-01", "--format",
                "jsonl" if command == "eval-jsonl" else "json", str(path)]
        if command == "eval-stdin":
            argv[-1], shown = "-", "<stdin>"
            monkeypatch.setattr(sys, "stdin", io.StringIO(path.read_text(encoding="utf-8")))
    assert main(argv) == int(exit_code)
    out, err = capsys.readouterr()
    first = HEADLINE.search(err if command != "test" else err + out)  # a failing case reports on stdout
    assert first is not None, (out + err)[:500]
    assert (first["file"], first["code"], first["line"], first["column"]) == (shown, code, line, column), err[:800]
    for bad in ("Traceback", "internal error", "RecursionError", "MemoryError"):
        assert bad not in out + err
    if command == "eval":
        assert out == ""  # nothing is evaluated from an input with an error
