"""Bounded resources and confinement (issue 12): only regular files are read, each within a size limit
(--max-input-size), periods are checked for overlap in n·log n, and a portfolio lists only files in
its own folder (--allow-outside), never itself. Every refusal is a located error, never a hang."""

from __future__ import annotations

import datetime
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dcpolicy.cli.main import main
from dcpolicy.dsl.diagnostics import Span
from dcpolicy.dsl.files import DEFAULT_MAX_BYTES, NotARegularFile, TooLarge, parse_size, read_input, size_words
from dcpolicy.evaluator.facts import Period
from dcpolicy.evaluator.invariants import check_overlaps

ROOT = Path(__file__).resolve().parents[1]
FRA = ROOT / "examples" / "fra-3.yaml"
SITE = "id: a-1\nname: A\nstarted: 2015-05-01\npower: {nominal_connected: 2 MW}\n"
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


def _eval(capsys, *args):
    code = main(["eval", "-j", "de", "--as-of", "2031-01-01", "--format", "summary", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "internal error" not in out + err
    return code, out, err


# ---------------------------------------------------------------- only regular files
@needs_fifo
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path, capsys):
    fifo = tmp_path / "site.yaml"
    os.mkfifo(fifo)
    code, _, err = _eval(capsys, str(fifo))
    assert code == 2
    assert err.startswith(f"{fifo}:1:1: F101 cannot read {fifo}: it is a named pipe (FIFO), not a regular file\n")
    assert "hint: give a regular file; to read from a pipe, give - (standard input)" in err


@needs_fifo
def test_a_named_pipe_listed_in_a_portfolio_is_located_at_its_entry(tmp_path, capsys):
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "p.yaml").write_text("facilities:\n  - pipe.yaml\n", encoding="utf-8")
    code, _, err = _eval(capsys, str(tmp_path / "p.yaml"))
    assert code == 2 and err.startswith(f"{tmp_path / 'p.yaml'}:2:5: F101 cannot read {tmp_path / 'pipe.yaml'}: "
                                        "it is a named pipe (FIFO)")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
@pytest.mark.parametrize("command, exit_code, words", [
    (["eval", "/dev/zero"], 2, "/dev/zero:1:1: F101 cannot read /dev/zero: it is a character device, not a regular file"),
    (["eval", "--policy", "/dev/zero", str(FRA)], 3, "/dev/zero:1:1: F101 cannot read policy file: it is a character device"),
    (["check", "/dev/zero"], 3, "/dev/zero:1:1: F101 cannot read policy file: it is a character device"),
    (["test", "/dev/zero"], 2, "policy test: error: /dev/zero:1:1: F301 cannot read this case file: it is a character device"),
    (["fmt", "/dev/zero"], 2, "policy fmt: error: /dev/zero: cannot read: it is a character device"),
    (["inspect", "--stage", "ast", "/dev/zero"], 3, "F101 cannot read policy file: it is a character device"),
])
def test_a_device_is_refused_by_every_command_that_reads_a_file(capsys, command, exit_code, words):
    assert main(command) == exit_code
    out, err = capsys.readouterr()
    assert words in err
    assert "Traceback" not in out + err and "internal error" not in out + err


def test_a_directory_where_a_file_is_expected_is_located(tmp_path, capsys):
    (tmp_path / "sub.yaml").mkdir()
    (tmp_path / "p.yaml").write_text("facilities:\n  - sub.yaml\n", encoding="utf-8")
    code, _, err = _eval(capsys, str(tmp_path / "p.yaml"))
    assert code == 2 and f"p.yaml:2:5: F101 cannot read {tmp_path / 'sub.yaml'}: it is a directory" in err
    assert main(["eval", "--policy", str(tmp_path), str(FRA)]) == 3
    assert f"{tmp_path}:1:1: F101 cannot read policy file: it is a directory" in capsys.readouterr().err


def test_read_input_reads_a_regular_file_and_names_what_it_refuses(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"id: a\n")
    assert read_input(path) == b"id: a\n"
    with pytest.raises(TooLarge, match=r"it is 6 bytes, over the input size limit of 5 bytes"):
        read_input(path, max_bytes=5)
    assert read_input(path, max_bytes=6) == b"id: a\n"
    with pytest.raises(FileNotFoundError):
        read_input(tmp_path / "none.yaml")
    with pytest.raises(IsADirectoryError, match="it is a directory"):
        read_input(tmp_path)
    if Path("/dev/null").exists():
        with pytest.raises(NotARegularFile, match="a character device"):
            read_input("/dev/null")


# ---------------------------------------------------------------- the size limit
def test_a_file_over_the_size_limit_is_refused_and_the_flag_raises_the_limit(tmp_path, capsys):
    path = tmp_path / "site.yaml"
    path.write_text(SITE + "# " + "x" * 3000 + "\n", encoding="utf-8")
    code, _, err = _eval(capsys, "--max-input-size", "2K", str(path))
    assert code == 2
    assert err.startswith(f"{path}:1:1: F101 cannot read {path}: it is 3,072 bytes, over the input size limit of "
                          "2,048 bytes\n")
    assert "hint: split the input into several files, or give --max-input-size with a larger limit" in err
    code, out, _ = _eval(capsys, "--max-input-size", "4K", str(path))
    assert code in (0, 1) and "a-1 × de" in out


def test_a_file_listed_in_a_portfolio_over_the_limit_is_located_at_its_entry(tmp_path, capsys):
    (tmp_path / "big.yaml").write_text(SITE + "#" * 5000 + "\n", encoding="utf-8")
    (tmp_path / "p.yaml").write_text("facilities:\n  - big.yaml\n", encoding="utf-8")
    code, _, err = _eval(capsys, "--max-input-size", "4096", str(tmp_path / "p.yaml"))
    assert code == 2 and err.startswith(f"{tmp_path / 'p.yaml'}:2:5: F101 cannot read {tmp_path / 'big.yaml'}: it "
                                        f"is {len(SITE) + 5001:,} bytes, over the input size limit of 4,096 bytes")


def test_standard_input_is_bounded_and_must_be_utf8(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(SITE + "#" * 3000))
    code, _, err = _eval(capsys, "--max-input-size", "1K", "-")
    assert code == 2 and err.startswith("<stdin>:1:1: F101 cannot read <stdin>: it is more than 1,024 characters")
    result = subprocess.run([sys.executable, "-m", "dcpolicy.cli.main", "eval", "-j", "de", "-"],
                            input=b"id: a-1\nname: caf\xe9\n", capture_output=True, timeout=120)
    err = result.stderr.decode("utf-8")
    assert result.returncode == 2 and err.startswith("<stdin>:2:10: F101 cannot read <stdin>: not UTF-8 text (byte 0xe9)")
    assert "Traceback" not in err


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_dev_zero_on_standard_input_stops_at_the_limit():
    with open("/dev/zero", "rb") as zero:
        result = subprocess.run([sys.executable, "-m", "dcpolicy.cli.main", "eval", "--max-input-size", "1M", "-"],
                                stdin=zero, capture_output=True, timeout=120)
    err = result.stderr.decode("utf-8")
    assert result.returncode == 2, err
    assert err.startswith("<stdin>:1:1: F101 cannot read <stdin>: it is more than 1 MiB, over the input size limit "
                          "of 1 MiB") and "Traceback" not in err


@pytest.mark.parametrize("text, size", [("512", 512), ("2K", 2048), ("1M", 1024 ** 2), ("300MB", 300 * 1024 ** 2),
                                        ("2GiB", 2 * 1024 ** 3), ("1.5g", int(1.5 * 1024 ** 3)), (" 7 ", 7)])
def test_sizes_are_read_with_binary_units(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "x", "-1", "0", "1T", "1e9", "12 kW"])
def test_a_size_that_cannot_be_read_is_a_usage_error(capsys, text):
    assert main(["eval", "--max-input-size", text, str(FRA)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("policy eval: error: --max-input-size ") and "Traceback" not in err


def test_the_default_limit_comfortably_exceeds_a_register_of_100000_facilities():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from bench_eval import synthetic_portfolio
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    per_2000 = len(synthetic_portfolio(2000, 1).encode("utf-8"))
    assert 50 * per_2000 * 2 < DEFAULT_MAX_BYTES  # at least twice the size of 100,000 facilities (about 93 MB)
    assert size_words(DEFAULT_MAX_BYTES) == "256 MiB"


# ---------------------------------------------------------------- overlapping periods, n·log n
def _period(label: str, start: datetime.date, end: datetime.date, line: int) -> Period:
    return Period(label, "custom", start, end, {}, Span.point("f.yaml", line, 5))


def test_ten_thousand_overlapping_periods_are_checked_in_n_log_n():
    day = datetime.date(2000, 1, 1)
    periods = [_period(f"p{i}", day, day + datetime.timedelta(days=365), i + 2) for i in range(10_000)]
    found = []
    started = time.perf_counter()
    check_overlaps(periods, found.append)
    assert time.perf_counter() - started < 1.0  # pairwise: 50 million comparisons
    assert len(found) == 9_999 and {d.code for d in found} == {"F207"}
    assert found[0].span.line == 3 and "overlaps period p0" in found[0].message


def test_ten_thousand_separate_periods_give_no_error():
    day = datetime.date(1990, 1, 1)
    periods = [_period(f"p{i}", day + datetime.timedelta(days=i), day + datetime.timedelta(days=i), i + 2)
               for i in range(10_000)]
    found = []
    check_overlaps(list(reversed(periods)), found.append)
    assert found == []


def test_each_overlapping_period_is_reported_once_at_the_later_naming_the_one_it_overlaps():
    d = datetime.date
    a = _period("2025", d(2025, 1, 1), d(2025, 12, 31), 5)
    b = _period("FY2025", d(2025, 4, 1), d(2026, 3, 31), 9)
    c = _period("2026", d(2026, 1, 1), d(2026, 12, 31), 13)
    e = _period("2027", d(2027, 1, 1), d(2027, 12, 31), 17)
    found = []
    check_overlaps([c, e, b, a], found.append)
    assert [(x.span.line, x.message) for x in found] == [
        (9, "period FY2025 (2025-04-01..2026-03-31) overlaps period 2025 (2025-01-01..2025-12-31, line 5)"),
        (13, "period 2026 (2026-01-01..2026-12-31) overlaps period FY2025 (2025-04-01..2026-03-31, line 9)"),
    ]


# ---------------------------------------------------------------- confinement
def _portfolio(folder: Path, *entries: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "p.yaml"
    path.write_text("facilities:\n" + "".join(f"  - {e}\n" for e in entries), encoding="utf-8")
    return path


def test_a_file_outside_the_portfolios_folder_is_refused_and_never_quoted(tmp_path, capsys):
    (tmp_path / "secret.yaml").write_text("password: hunter2\n", encoding="utf-8")
    portfolio = _portfolio(tmp_path / "team", "../secret.yaml", str(tmp_path / "secret.yaml"))
    code, _, err = _eval(capsys, str(portfolio))
    assert code == 2
    assert f"{portfolio}:2:5: F109 {tmp_path / 'secret.yaml'} lies outside the folder of the portfolio that lists " \
           f"it ({tmp_path / 'team'})" in err
    assert f"{portfolio}:3:5: F109 " in err
    assert "hunter2" not in err and "password" not in err
    assert "give --allow-outside if this portfolio comes from a source you trust" in err


def test_allow_outside_reads_files_outside_the_folder(tmp_path, capsys):
    (tmp_path / "site.yaml").write_text(SITE, encoding="utf-8")
    portfolio = _portfolio(tmp_path / "team", "../site.yaml")
    code, out, _ = _eval(capsys, "--allow-outside", str(portfolio))
    assert code in (0, 1) and "a-1 × de" in out


def test_a_symbolic_link_leading_out_of_the_folder_is_refused(tmp_path, capsys):
    (tmp_path / "site.yaml").write_text(SITE, encoding="utf-8")
    portfolio = _portfolio(tmp_path / "team", "link.yaml")
    (tmp_path / "team" / "link.yaml").symlink_to(tmp_path / "site.yaml")
    code, _, err = _eval(capsys, str(portfolio))
    assert code == 2 and f"{portfolio}:2:5: F109 {tmp_path / 'team' / 'link.yaml'} is a symbolic link to " \
                          f"{tmp_path / 'site.yaml'}, outside the folder of the portfolio" in err


def test_a_symbolic_link_inside_the_folder_and_a_subfolder_are_read(tmp_path, capsys):
    (tmp_path / "team" / "sites").mkdir(parents=True)
    (tmp_path / "team" / "sites" / "a.yaml").write_text(SITE, encoding="utf-8")
    (tmp_path / "team" / "b.yaml").symlink_to(tmp_path / "team" / "sites" / "a.yaml")
    portfolio = _portfolio(tmp_path / "team", "sites/a.yaml")
    code, out, err = _eval(capsys, str(portfolio))
    assert code in (0, 1) and "a-1 × de" in out, err


def test_a_portfolio_read_from_stdin_stays_in_the_current_folder(tmp_path, capsys, monkeypatch):
    (tmp_path / "site.yaml").write_text(SITE, encoding="utf-8")
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    monkeypatch.setattr("sys.stdin", io.StringIO("facilities:\n  - ../site.yaml\n"))
    code, _, err = _eval(capsys, "-")
    assert code == 2 and err.startswith("<stdin>:2:5: F109 ../site.yaml lies outside the folder of the portfolio "
                                        "that lists it (.)")


@pytest.mark.parametrize("entry", ["p.yaml", "./p.yaml", "sub/../p.yaml"])
def test_a_portfolio_that_lists_itself_is_an_error(tmp_path, capsys, entry):
    (tmp_path / "sub").mkdir()
    portfolio = _portfolio(tmp_path, entry)
    code, _, err = _eval(capsys, str(portfolio))
    assert code == 2 and err.startswith(f"{portfolio}:2:5: F110 this portfolio lists its own file")


def test_a_cycle_of_portfolios_is_an_error_at_the_inner_portfolio(tmp_path, capsys):
    (tmp_path / "a.yaml").write_text("facilities:\n  - b.yaml\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("facilities:\n  - a.yaml\n", encoding="utf-8")
    code, _, err = _eval(capsys, str(tmp_path / "a.yaml"))
    assert code == 2 and err.startswith(f"{tmp_path / 'b.yaml'}:1:1: F104 a portfolio may list facility files, not "
                                        "other portfolios")


def test_a_register_streamed_from_disk_keeps_to_the_size_limit_too(tmp_path, capsys):
    # over STREAM_FROM_DISK (1 MiB) a jsonl run reads a portfolio in pieces; the limit still holds
    entries = "".join(f"  - {{id: s-{i:03d}, name: Site {i}, started: 2015-05-01}}  # {'x' * 4000}\n"
                      for i in range(300))  # over 1 MiB with few facilities: comments
    path = tmp_path / "register.yaml"
    path.write_text("dcpolicy: portfolio/1\nfacilities:\n" + entries, encoding="utf-8")
    size = path.stat().st_size
    assert size > 1024 * 1024
    code = main(["eval", "-j", "de", "--format", "jsonl", "--jobs", "1", "--max-input-size", str(size - 1), str(path)])
    out, err = capsys.readouterr()
    assert code == 2 and err.startswith(f"{path}:1:1: F101 cannot read {path}: it is {size / 1024 / 1024:.1f} MiB, "
                                        "over the input size limit of")
    assert main(["eval", "-j", "de", "--format", "jsonl", "--jobs", "1", "--max-input-size", str(size), str(path)]) \
        in (0, 1)
