"""The corpus of hostile YAML and CSV inputs (tests/corpus/yaml/, issue 12): each gives its error at its place.

Every file holds one fault: nesting deeper than the loader's limit, an alias bomb, a tag that is not one
of YAML's core ones, a duplicate key, or digits that are not ASCII. EXPECTED.tsv (written with the files
by tests/corpus/make_yaml_corpus.py, which places each fault at a known position) gives the command that
reads it (`eval` a file, `eval-jsonl` streamed, `eval-stdin` and `eval-stdin-jsonl`, `test` a case
file), the exit code, the code, the line, the column and, when the fault is in a file a portfolio lists,
that file. The first diagnostic must be exactly that, name the file, and no
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
    assert {row[1] for row in ROWS} == {"eval", "eval-jsonl", "eval-stdin", "eval-stdin-jsonl", "test"}
    names = " ".join(row[0] for row in ROWS)
    for fault in ("deep", "alias-bomb", "tag", "duplicate", "fullwidth", "csv"):
        assert fault in names


@pytest.mark.parametrize("name, command, exit_code, code, line, column, elsewhere", ROWS,
                         ids=[row[0] for row in ROWS])
def test_each_hostile_input_is_reported_at_its_place(capsys, monkeypatch, name, command, exit_code, code, line,
                                                     column, elsewhere):
    path = CORPUS / name
    shown = str(CORPUS / elsewhere) if elsewhere else str(path)
    if command == "test":
        argv = ["test", str(path)]
    else:
        argv = ["eval", "-j", "de", "--as-of", "2031-06-01", "--format",
                "jsonl" if command.endswith("jsonl") else "json", str(path)]
        if command.startswith("eval-stdin"):
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


def test_values_are_those_of_the_safe_loader_and_a_merge_sign_as_a_value_is_text():
    import yaml

    from dcpolicy.evaluator.yaml_nodes import load_yaml

    text = ("a: 1\nb: 0x1F\nc: 1_000\nd: 1.5e3\ne: .inf\nf: yes\ng: ~\nh: 2025-01-01\ni: '2025'\nj: \"x\"\n"
            "k: 2025-02-30\nl: [1, two, 3.0]\nm: {n: null}\no: |\n  block\np: 12:30\nq: 0o17\n")

    def plain(node):
        if node.kind == "map":
            return {k.text: plain(v) for k, v in node.entries}
        if node.kind == "seq":
            return [plain(v) for v in node.items]
        return node.value

    root, problems = load_yaml(text, "f.yaml")
    expected = yaml.safe_load(text.replace("k: 2025-02-30", "k: '2025-02-30'"))  # an impossible date stays text
    assert problems == [] and plain(root) == expected
    root, problems = load_yaml("a: <<\nb: [<<]\n", "f.yaml")
    assert problems == [] and plain(root) == {"a": "<<", "b": ["<<"]}
