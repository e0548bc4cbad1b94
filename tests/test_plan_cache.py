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


def test_writing_an_entry_prunes_unused_entries_and_stale_temporary_files_only(tmp_path):
    now = 2_000_000_000.0
    day = plan_cache.DAY

    def made(name: str, age: float) -> Path:
        path = tmp_path / name
        path.write_bytes(b"x")
        os.utime(path, (now - age, now - age))
        return path

    recent = made("a" * 64 + ".plan", 2 * day)
    unused = made("b" * 64 + ".plan", (plan_cache.KEEP_DAYS + 1) * day)
    kept = made("c" * 64 + ".plan", (plan_cache.KEEP_DAYS + 1) * day)  # the entry just written is never pruned
    writing = made(".d.tmp", 60)  # another run is writing it
    crashed = made(".e.tmp", 2 * 3600)
    other = made("notes.txt", 400 * day)  # not the cache's
    plan_cache.prune(tmp_path, keep=kept.name, now=now)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in (recent, kept, writing, other))
    assert not unused.exists() and not crashed.exists()


def test_pruning_keeps_the_most_recently_used_entries(tmp_path, monkeypatch):
    monkeypatch.setattr(plan_cache, "KEEP_ENTRIES", 3)
    now = 2_000_000_000.0
    for age in range(6):
        path = tmp_path / f"{age:064d}.plan"
        path.write_bytes(b"x")
        os.utime(path, (now - age * 60, now - age * 60))
    plan_cache.prune(tmp_path, keep="new.plan", now=now)  # with the new entry, three in all
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{age:064d}.plan" for age in (0, 1)]


def test_a_run_using_an_entry_marks_it_used_at_most_daily_and_a_read_only_cache_still_works(tmp_path):
    cache = tmp_path / "cache"
    reference = _policy(str(cache)).stdout
    entries = sorted(cache.glob("*.plan"))
    old = entries[0].stat().st_mtime - 3 * plan_cache.DAY
    for entry in entries:
        os.utime(entry, (old, old))
    assert _policy(str(cache)).stdout == reference
    marked = [entry.stat().st_mtime for entry in entries]
    assert all(when > old + 2 * plan_cache.DAY for when in marked)  # marked as used now
    assert _policy(str(cache)).stdout == reference
    assert [entry.stat().st_mtime for entry in entries] == marked  # used again the same day: not written again
    if os.geteuid() != 0:  # root writes anywhere
        cache.chmod(0o500)
        try:
            for entry in entries:
                os.utime(entry, (old, old))
            warm = _policy(str(cache))
            assert warm.stdout == reference and warm.stderr.splitlines()[-1] == "[]"
        finally:
            cache.chmod(0o700)
