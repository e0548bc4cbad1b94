"""The corpus of bad inputs (tests/corpus/inputs/, issue 12): facilities, portfolios, case files and command
lines, each giving its error at its place.

Every file holds one fault; EXPECTED.tsv (written with the files by tests/corpus/make_input_corpus.py,
which places each fault at a known position) says the command, the exit code, the code, the file, the
line and the column of the first error. A command-line row says the exit code and the words of the one
error line. Nothing may print a traceback or an internal error. With the policies of
tests/corpus/policies the project's corpus holds more than 300 bad inputs.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from dcpolicy.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus" / "inputs"
ROWS = [line.split("\t") for line in (CORPUS / "EXPECTED.tsv").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")]
FILES = [row for row in ROWS if not row[0].startswith("arg:")]
ARGUMENTS = [row for row in ROWS if row[0].startswith("arg:")]
HEADLINE = re.compile(r"^(?:policy \w+: error: )?(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): (?P<code>[EWF]\d{3}) ",
                      re.M)
POLICY_ROWS = [line for line in (ROOT / "tests" / "corpus" / "policies" / "EXPECTED.tsv").read_text(
    encoding="utf-8").splitlines() if line and not line.startswith("#")]


def _command(text: str, file: Path | None = None) -> list[str]:
    return [part.replace("{file}", str(file)).replace("{root}", str(ROOT)) for part in shlex.split(text)]


def test_the_corpus_covers_every_class_and_with_the_policies_exceeds_300():
    assert len(FILES) + len(ARGUMENTS) >= 150
    assert len(FILES) + len(ARGUMENTS) + len(POLICY_ROWS) > 300
    kinds = {row[0].split("-")[0] for row in FILES}
    assert kinds == {"facility", "portfolio", "case"}
    codes = {row[3] for row in FILES}
    assert {"F101", "F102", "F104", "F105", "F106", "F107", "F109", "F110", "F201", "F202", "F203", "F204", "F205",
            "F206", "F207", "F208", "F209", "F301", "F302", "F303"} <= codes
    listed = {row[0] for row in FILES}
    on_disk = {p.relative_to(CORPUS).as_posix() for p in CORPUS.glob("*.yaml")} | \
              {p.relative_to(CORPUS).as_posix() for p in CORPUS.glob("portfolio-*/p.yaml")}
    assert on_disk - {"shared-site.yaml"} == listed


@pytest.mark.parametrize("name, command, exit_code, code, file, line, column", FILES, ids=[row[0] for row in FILES])
def test_each_bad_input_is_reported_at_its_place(capsys, name, command, exit_code, code, file, line, column):
    path = CORPUS / name
    assert main(_command(command, path)) == int(exit_code)
    out, err = capsys.readouterr()
    first = HEADLINE.search(err)
    assert first is not None, err[:800]
    expected_file = str(path) if file == "{file}" else file.replace("{dir}", str(CORPUS))
    assert (first["file"], first["code"], first["line"], first["column"]) == (expected_file, code, line, column), \
        err[:800]
    assert "Traceback" not in out + err and "internal error" not in out + err
    assert "\x1b" not in err and "second line" not in err  # no control character, no file quoted whole


@pytest.mark.parametrize("name, command, exit_code, words", ARGUMENTS, ids=[row[0] for row in ARGUMENTS])
def test_each_bad_command_line_is_one_clear_error(capsys, name, command, exit_code, words):
    assert main(_command(command)) == int(exit_code)
    out, err = capsys.readouterr()
    errors = [line for line in err.splitlines() if ": error: " in line]
    assert len(errors) == 1 and words in errors[0], err[:800]
    assert out == "" and "Traceback" not in err and "internal error" not in err
