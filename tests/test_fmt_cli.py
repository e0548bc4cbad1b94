"""`policy fmt`: prints every single file, reads stdin with -, --diff, --check listing files, and never
prints or writes a layout that parses to a different policy."""

from __future__ import annotations

import io

import pytest

from dcpolicy.cli.main import main

UGLY = 'jurisdiction xx "T"\ndefine pue = period.energy.total/period.energy.it\nrule r "R"\n cite "§1"\n require pue<=1.5\n'
CANONICAL = ('jurisdiction xx "T"\n\ndefine pue = period.energy.total / period.energy.it\n\n'
             'rule r "R"\n  cite    "§1"\n  require pue <= 1.5\n')


@pytest.fixture
def ugly(tmp_path):
    path = tmp_path / "ugly.policy"
    path.write_text(UGLY, encoding="utf-8")
    return path


def test_a_canonical_file_is_printed_as_it_is(capsys, tmp_path):
    path = tmp_path / "ok.policy"
    path.write_text(CANONICAL, encoding="utf-8")
    assert main(["fmt", str(path)]) == 0
    assert capsys.readouterr().out == CANONICAL  # `policy fmt a.policy > b.policy` never gives an empty file


def test_stdin_is_read_with_a_dash(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(UGLY))
    assert main(["fmt", "-"]) == 0
    assert capsys.readouterr().out == CANONICAL


def test_stdin_cannot_be_written(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(UGLY))
    assert main(["fmt", "--write", "-"]) == 2
    assert "--write cannot rewrite stdin" in capsys.readouterr().err


def test_diff_shows_a_unified_diff_and_exits_1(capsys, ugly):
    assert main(["fmt", "--diff", str(ugly)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"--- {ugly} (as written)\n+++ {ugly} (formatted)\n@@ -1,5 +1,7 @@\n")
    assert "-define pue = period.energy.total/period.energy.it\n+\n+define pue = period.energy.total / period.energy.it\n" in out
    assert ugly.read_text(encoding="utf-8") == UGLY  # nothing written


def test_diff_of_a_canonical_file_is_empty_and_exits_0(capsys, tmp_path):
    path = tmp_path / "ok.policy"
    path.write_text(CANONICAL, encoding="utf-8")
    assert main(["fmt", "--diff", str(path)]) == 0
    assert capsys.readouterr().out == ""


def test_check_lists_only_the_files_to_reformat(capsys, ugly, tmp_path):
    ok = tmp_path / "ok.policy"
    ok.write_text(CANONICAL, encoding="utf-8")
    assert main(["fmt", "--check", str(ugly), str(ok)]) == 1
    captured = capsys.readouterr()
    assert captured.err == f"{ugly}: would be reformatted\n" and captured.out == ""


def test_the_shipped_policies_are_canonical(capsys):
    from dcpolicy.cli.api import shipped_policies

    assert main(["fmt", "--check", *map(str, shipped_policies().values())]) == 0


def test_a_layout_that_changes_the_meaning_is_never_written(capsys, monkeypatch, ugly):
    from dcpolicy.dsl import formatter

    real = formatter.format_policy
    monkeypatch.setattr(formatter, "format_policy", lambda policy, text: real(policy, text).replace("1.5", "1.6"))
    assert main(["fmt", "--write", str(ugly)]) == 4
    assert "parses to a different policy" in capsys.readouterr().err
    assert ugly.read_text(encoding="utf-8") == UGLY


def test_a_syntax_error_exits_3(capsys, tmp_path):
    path = tmp_path / "bad.policy"
    path.write_text('jurisdiction xx "T"\nrule r "R"\n  require pue 1.5\n', encoding="utf-8")
    assert main(["fmt", str(path)]) == 3
    assert "E101" in capsys.readouterr().err


def test_a_policy_that_is_not_utf8_is_located_by_line_and_column(capsys, tmp_path):
    bad = tmp_path / "bad.policy"
    bad.write_bytes(b'jurisdiction x "X"\n# caf\xe9\n')
    assert main(["fmt", str(bad)]) == 3
    assert f"{bad}:2:6: F101 this policy file is not UTF-8" in capsys.readouterr().err


def test_stdin_is_read_within_the_input_size_limit(capsys, monkeypatch):
    class Endless(io.RawIOBase):  # /dev/zero piped in: reading must stop at the limit, not exhaust memory
        def readable(self):
            return True

        def readinto(self, buffer):
            buffer[:] = b"\0" * len(buffer)
            return len(buffer)

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BufferedReader(Endless())))
    assert main(["fmt", "-"]) == 2
    assert "over the input size limit" in capsys.readouterr().err
