"""The compiled-plan cache (issue 9): warm runs skip parsing (no Lark), give the same bytes, and survive
unwritable folders, damaged entries and concurrent writers; entries are never shared across versions."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dcpolicy.evaluator import plan_cache

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["eval", "-j", "de,jp", "--as-of", "2031-04-01", "--format", "json", "examples/fra-3.yaml"]
PROBE = ("import sys\nfrom dcpolicy.cli.main import main\ncode = main(sys.argv[1:])\nsys.stdout.flush()\n"
         "print(sorted({m.split('.')[0] for m in sys.modules} & {'lark', 'interegular'}), file=sys.stderr)\n"
         "raise SystemExit(code)\n")


def _policy(cache: str, *args) -> subprocess.CompletedProcess:
    env = {**os.environ, "DCPOLICY_CACHE_DIR": cache}
    return subprocess.run([sys.executable, "-c", PROBE, *(args or ARGS)], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=120)


def test_a_warm_run_imports_neither_lark_nor_interegular_and_prints_the_same(tmp_path):
    cold = _policy(str(tmp_path / "cache"))
    warm = _policy(str(tmp_path / "cache"))
    assert cold.returncode == warm.returncode
    assert "'lark'" in cold.stderr.splitlines()[-1]
    assert warm.stderr.splitlines()[-1] == "[]"
    assert warm.stdout == cold.stdout and warm.stdout.count("\"verdict\":") > 10
    assert len(list((tmp_path / "cache").glob("*.plan"))) == 2
    off = _policy("off")
    assert off.stdout == cold.stdout and "'lark'" in off.stderr


def test_an_unwritable_cache_or_a_damaged_entry_only_means_compiling(tmp_path):
    reference = _policy("off").stdout
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert _policy(str(blocked)).stdout == reference
    cache = tmp_path / "cache"
    _policy(str(cache))
    for entry in cache.glob("*.plan"):
        entry.write_bytes(entry.read_bytes()[:200])  # cut short, as by a full disk
    damaged = _policy(str(cache))
    assert damaged.stdout == reference and "'lark'" in damaged.stderr


def test_concurrent_first_runs_share_one_folder(tmp_path):
    env = {**os.environ, "DCPOLICY_CACHE_DIR": str(tmp_path / "cache")}
    runs = [subprocess.Popen([sys.executable, "-c", PROBE, *ARGS], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=env, cwd=ROOT) for _ in range(3)]
    outputs = {run.communicate(timeout=120)[0] for run in runs}
    assert len(outputs) == 1 and _policy(str(tmp_path / "cache")).stdout in outputs
    assert not list((tmp_path / "cache").glob(".*.tmp"))


def test_entries_are_keyed_by_text_name_version_and_python(monkeypatch):
    import dcpolicy

    key = plan_cache.entry_key(b"policy text", "policies/de.policy")
    assert plan_cache.entry_key(b"policy text!", "policies/de.policy") != key
    assert plan_cache.entry_key(b"policy text", "mine/de.policy") != key
    monkeypatch.setattr(dcpolicy, "__version__", "99.0.0")
    assert plan_cache.entry_key(b"policy text", "policies/de.policy") != key
    monkeypatch.undo()
    monkeypatch.setattr(sys, "version", sys.version + " (another build)")
    assert plan_cache.entry_key(b"policy text", "policies/de.policy") != key


@pytest.mark.parametrize("setting, expected", [("off", None), ("/x/y", Path("/x/y"))])
def test_cache_location(monkeypatch, setting, expected):
    monkeypatch.setenv("DCPOLICY_CACHE_DIR", setting)
    assert plan_cache.cache_dir() == expected
    monkeypatch.delenv("DCPOLICY_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", "/xdg")
    assert plan_cache.cache_dir() == Path("/xdg/dcpolicy")
