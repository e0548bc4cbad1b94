"""The `policy` process (issue 7, C6): a crash is exit 4 with a short message, never exit 1 or a
traceback; a closed pipe and a non-UTF-8 stdout end cleanly. Run as real subprocesses."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dcpolicy.cli import main as cli_main

ROOT = Path(__file__).resolve().parents[1]
FRA = str(ROOT / "examples" / "fra-3.yaml")
SHANGHAI = str(ROOT / "examples" / "shanghai-2.yaml")
PORTFOLIO = str(ROOT / "examples" / "portfolio.yaml")
POLICY = [sys.executable, "-m", "dcpolicy.cli.main"]
CRASHING = [sys.executable, "-c", (
    "import sys\n"
    "import dcpolicy.cli.evaluate as evaluate\n"
    "def broken(args):\n"
    "    raise KeyError('a bug')\n"
    "evaluate.run = broken\n"
    "from dcpolicy.cli.main import console\n"
    "sys.argv[1:] = ['eval', 'x.yaml']\n"
    "console()\n")]


def _env(**extra) -> dict:
    # PYTHONUNBUFFERED makes a write to a closed pipe end silently short instead of raising (the
    # text layer ignores partial writes of an unbuffered stream): test the ordinary, buffered stdout.
    dropped = ("DCPOLICY_DEBUG", "PYTHONIOENCODING", "PYTHONUNBUFFERED")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(extra)
    return env


def _run(args, **env) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, env=_env(**env), timeout=120, cwd=ROOT)


# ---------------------------------------------------------------- crashes
def test_crash_is_exit_4_with_a_short_message():
    done = _run(CRASHING)
    err = done.stderr.decode()
    assert done.returncode == 4 and done.stdout == b""
    assert err.startswith("policy: internal error: KeyError: 'a bug'\n")
    assert "please report it" in err.lower() and "DCPOLICY_DEBUG=1" in err
    assert "Traceback" not in err


def test_crash_shows_the_traceback_with_debug():
    done = _run(CRASHING, DCPOLICY_DEBUG="1")
    err = done.stderr.decode()
    assert done.returncode == 4
    assert "Traceback (most recent call last)" in err and "in broken" in err
    assert "policy: internal error: KeyError: 'a bug'" in err


def test_crash_in_process_returns_4(capsys, monkeypatch):
    from dcpolicy.cli import policytest

    def broken(args):
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(policytest, "run", broken)
    assert cli_main.main(["test"]) == 4
    err = capsys.readouterr().err
    assert err.startswith("policy: internal error: RuntimeError: boom\n") and "second line" not in err


def test_usage_errors_are_still_2_and_valid_runs_keep_their_codes():
    assert _run(POLICY + ["eval", "-j", "de", "--as-of", "2031-02-01", FRA]).returncode == 0
    assert _run(POLICY + ["eval", "-j", "de", "--as-of", "2031-02-01", "--fail-on", "projection", FRA]
                ).returncode == 1
    assert _run(POLICY + ["eval", "--bogus", FRA]).returncode == 2


# ---------------------------------------------------------------- closed pipes
def _closed_after_first_line(args, **env) -> tuple[int, bytes, bytes]:
    """As `args | head -1`: read one line, close the pipe, let the process finish."""
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(**env), cwd=ROOT)
    first = process.stdout.readline()
    process.stdout.close()
    err = process.stderr.read()
    process.stderr.close()
    return process.wait(timeout=120), first, err


@pytest.mark.parametrize("args", [
    ["eval", "-j", "all", "--as-of", "2031-02-01", "--explain", PORTFOLIO],  # table (rich), > 64 KB
    ["eval", "-j", "all", "--as-of", "2031-02-01", "--explain", "--format", "json", PORTFOLIO],
    ["eval", "-j", "all", "--as-of", "2031-02-01", "--explain", "--format", "markdown", PORTFOLIO],
])
def test_closed_pipe_ends_quietly(args):
    code, first, err = _closed_after_first_line(POLICY + args)
    assert first  # the reader got its line
    assert err == b"", err.decode()
    assert code == cli_main.EXIT_CLOSED_PIPE


def test_closed_pipe_unbuffered_ends_quietly():
    code, first, err = _closed_after_first_line(
        POLICY + ["eval", "-j", "all", "--as-of", "2031-02-01", "--explain", "--format", "json", PORTFOLIO],
        PYTHONUNBUFFERED="1")
    assert first and err == b"", err.decode()
    assert code in (1, cli_main.EXIT_CLOSED_PIPE)  # 1: the run's own code, when the short write went unnoticed


@pytest.mark.parametrize("args", [["test", "-v"], ["eval", "--format", "summary", "-j", "all", PORTFOLIO],
                                  ["check", "policies/"]])
def test_pipe_closed_before_any_output_ends_quietly(args):
    process = subprocess.Popen(POLICY + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(), cwd=ROOT)
    process.stdout.close()  # `| head -0`: the reader is gone before the first write
    err = process.stderr.read()
    process.stderr.close()
    assert process.wait(timeout=120) == cli_main.EXIT_CLOSED_PIPE
    assert b"Traceback" not in err and b"Exception ignored" not in err, err.decode()


# ---------------------------------------------------------------- non-UTF-8 output
@functools.cache
def _utf8_run(args: tuple[str, ...]) -> subprocess.CompletedProcess:
    return _run(POLICY + list(args), PYTHONIOENCODING="utf-8")


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
@pytest.mark.parametrize("args", [
    ["eval", "-j", "cn", "--as-of", "2031-02-01", "--format", "summary", SHANGHAI],
    ["eval", "-j", "cn", "--as-of", "2031-02-01", "--format", "markdown", SHANGHAI],
    ["eval", "-j", "cn", "--as-of", "2031-02-01", "--format", "json", SHANGHAI],
    ["test", "-v", "-k", "行动计划"],
])
def test_non_utf8_stdout_gets_replacement_characters(encoding, args):
    utf8 = _utf8_run(tuple(args))
    done = _run(POLICY + args, PYTHONIOENCODING=encoding)
    assert done.returncode == utf8.returncode == 0, done.stderr.decode(encoding, "replace")
    assert done.stderr == b""
    # the same text, each character the encoding cannot show replaced by "?"
    assert done.stdout.decode(encoding) == utf8.stdout.decode("utf-8").encode(encoding, "replace").decode(encoding)


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
@pytest.mark.parametrize("explain", [[], ["--explain"]])
def test_non_utf8_table_ends_cleanly(encoding, explain):
    done = _run(POLICY + ["eval", "-j", "cn", "--as-of", "2031-02-01", *explain, SHANGHAI], PYTHONIOENCODING=encoding)
    assert done.returncode == 0 and done.stderr == b""
    out = done.stdout.decode(encoding)
    assert "cn.pue_hub_node" in out and "?" in out  # the Chinese citations cannot be shown


def test_c_locale_ends_cleanly():
    env = {"LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    done = _run(POLICY + ["eval", "-j", "cn", "--as-of", "2031-02-01", "--format", "summary", SHANGHAI], **env)
    assert done.returncode == 0 and b"Traceback" not in done.stderr
    assert done.stdout.startswith(b"shanghai-2 ")


# ---------------------------------------------------------------- an output with no room
@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (a device whose writes find no room)")
@pytest.mark.parametrize("args", [["list"], ["--version"], ["eval", "-j", "de", "--as-of", "2031-02-01", FRA],
                                  ["eval", "-j", "all", "--as-of", "2031-02-01", "--format", "json", PORTFOLIO],
                                  ["eval", "-j", "all", "--as-of", "2031-02-01", "--format", "jsonl", PORTFOLIO]])
def test_an_output_with_no_room_is_exit_5_with_one_line(args):
    with open("/dev/full", "wb") as full:
        done = subprocess.run(POLICY + args, stdout=full, stderr=subprocess.PIPE, env=_env(), timeout=120, cwd=ROOT)
    err = done.stderr.decode()
    assert done.returncode == cli_main.EXIT_OUTPUT_FAILED == 5, err
    assert err == ("policy: cannot write the output: No space left on device. What was written is incomplete: "
                   "make room, or write the output elsewhere.\n")
