"""The audit trail (issue 12, item 9): the options a JSON result records, and `policy eval --record DIR`
with `policy replay DIR`, which reproduces a verdict byte for byte or says why it cannot."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest

from dcpolicy.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
POLICIES = ROOT / "policies"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A working folder holding fra-3.yaml, a portfolio with a referenced file, and a policy of one's own."""
    shutil.copy(EXAMPLES / "fra-3.yaml", tmp_path / "fra-3.yaml")
    (tmp_path / "sites").mkdir()
    shutil.copy(EXAMPLES / "tokyo-1.yaml", tmp_path / "sites" / "tokyo-1.yaml")
    (tmp_path / "portfolio.yaml").write_text("dcpolicy: portfolio/1\nfacilities:\n  - fra-3.yaml\n  - sites/tokyo-1.yaml\n",
                                             encoding="utf-8")
    shutil.copy(POLICIES / "nl.policy", tmp_path / "mine.policy")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COLUMNS", raising=False)
    return tmp_path


def _run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------- the options in the JSON result
def test_the_json_result_records_the_options_and_the_policies_with_their_sha256(site, capsys):
    code, out, _ = _run(capsys, "eval", "-j", "de,jp", "--as-of", "2031-04-01", "--period", "2025", "--format", "json",
                        "--trace", "none", "--fail-on", "unknown,mandatory", "--set", "period.energy.it=22 GWh",
                        "fra-3.yaml")
    document = json.loads(out)
    options = document["options"]
    assert options["inputs"] == ["fra-3.yaml"]
    assert options["jurisdictions"] == "de,jp" and options["policy_files"] == []
    assert options["as_of"] == "2031-04-01" and options["period"] == "2025" and options["trace"] == "none"
    assert options["fail_on"] == ["mandatory", "unknown"] and options["set"] == ["period.energy.it=22 GWh"]
    assert options["policies"] == [{"jurisdiction": "de", "file": "policies/de.policy", "sha256": _sha(POLICIES / "de.policy")},
                                   {"jurisdiction": "jp", "file": "policies/jp.policy", "sha256": _sha(POLICIES / "jp.policy")}]
    assert document["tool"]["name"] == "dcpolicy" and code in (0, 1)


def test_the_options_name_a_policy_of_ones_own_and_the_default_regimes(site, capsys):
    _, out, _ = _run(capsys, "eval", "--policy", "mine.policy", "--as-of", "2026-06-01", "--format", "json", "fra-3.yaml")
    options = json.loads(out)["options"]
    assert options["jurisdictions"] is None and options["policy_files"] == ["mine.policy"]
    assert options["policies"] == [{"jurisdiction": "nl", "file": "mine.policy", "sha256": _sha(site / "mine.policy")}]
    assert options["trace"] == "reasons"


def test_the_jsonl_header_records_the_options(site, capsys):
    _, out, _ = _run(capsys, "eval", "-j", "de", "--as-of", "2031-04-01", "--format", "jsonl", "--jobs", "1", "fra-3.yaml")
    head = json.loads(out.splitlines()[0])
    assert head["kind"] == "run" and head["options"]["jurisdictions"] == "de"
    assert head["options"]["policies"] == [{"jurisdiction": "de", "file": "policies/de.policy",
                                            "sha256": _sha(POLICIES / "de.policy")}]


# ---------------------------------------------------------------- record and replay
def test_a_recorded_json_run_replays_byte_for_byte(site, capsys):
    code, out, err = _run(capsys, "eval", "-j", "de,jp", "--as-of", "2031-04-01", "--format", "json", "--record", "rec",
                          "portfolio.yaml")
    assert code in (0, 1) and "recorded in rec" in err
    record = site / "rec"
    assert (record / "result").read_bytes() == out.encode("utf-8")
    manifest = json.loads((record / "record.json").read_text(encoding="utf-8"))
    assert manifest["format"] == "dcpolicy/record/1" and manifest["result"]["exit_code"] == code
    assert manifest["arguments"] == ["portfolio.yaml", "-j", "de,jp", "--as-of", "2031-04-01", "--format", "json",
                                     "--fail-on", "mandatory"]
    assert manifest["files"] == {name: _sha(site / name) for name in ("fra-3.yaml", "portfolio.yaml", "sites/tokyo-1.yaml")}
    assert manifest["policies"] == {"policies/de.policy": _sha(POLICIES / "de.policy"),
                                    "policies/jp.policy": _sha(POLICIES / "jp.policy")}
    for name in manifest["files"]:
        assert (record / "files" / name).read_bytes() == (site / name).read_bytes()
    assert (record / "policies" / "de.policy").read_bytes() == (POLICIES / "de.policy").read_bytes()
    (site / "fra-3.yaml").write_text("id: changed\n", encoding="utf-8")  # the originals may change or go: the record holds
    code, out, err = _run(capsys, "replay", "rec")
    assert code == 0, err
    assert "reproduced byte for byte" in out and manifest["result"]["sha256"] in out


def test_a_run_without_as_of_records_the_date_it_used(site, capsys):
    import datetime

    code, _, _ = _run(capsys, "eval", "-j", "de", "--format", "summary", "--record", "rec", "fra-3.yaml")
    manifest = json.loads((site / "rec" / "record.json").read_text(encoding="utf-8"))
    assert manifest["arguments"][manifest["arguments"].index("--as-of") + 1] == datetime.date.today().isoformat()
    assert _run(capsys, "replay", "rec")[0] == 0


def test_a_table_with_what_if_stdin_and_a_policy_of_ones_own_replays(site, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setattr("sys.stdin", io.StringIO((site / "fra-3.yaml").read_text(encoding="utf-8")))
    code, out, _ = _run(capsys, "eval", "-j", "de", "--policy", "mine.policy", "--as-of", "2031-04-01", "--explain",
                        "--set", "period.energy.total=30 GWh", "--record", "rec", "-")
    assert (site / "rec" / "stdin").read_bytes() == (site / "fra-3.yaml").read_bytes()
    assert json.loads((site / "rec" / "record.json").read_text(encoding="utf-8"))["columns"] == 120
    assert "30 GWh" in out
    monkeypatch.setenv("COLUMNS", "60")  # the replay uses the recorded width, not the terminal's
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, out, err = _run(capsys, "replay", "rec")
    assert code == 0, err


@pytest.mark.parametrize("tamper, words", [
    (lambda r: (r / "files" / "fra-3.yaml").write_text("id: other\n", encoding="utf-8"),
     "fra-3.yaml: its sha256 is not the one"),
    (lambda r: (r / "result").write_bytes(b"{}\n"), "result: its sha256 is not the one"),
    (lambda r: (r / "policies" / "de.policy").write_text("jurisdiction de", encoding="utf-8"),
     "de.policy: its sha256 is not the one"),
    (lambda r: (r / "files" / "fra-3.yaml").unlink(), "fra-3.yaml: missing from the record"),
    (lambda r: (r / "record.json").unlink(), "record.json: missing"),
    (lambda r: (r / "record.json").write_text("{not json", encoding="utf-8"), "not a record manifest"),
    (lambda r: (r / "record.json").write_text('{"format": "other"}', encoding="utf-8"), '"format" is not'),
    (lambda r: _edit(r, lambda m: m.__setitem__("files", {"../../etc/passwd": "0" * 64})), "points outside the record"),
    (lambda r: _edit(r, lambda m: m.pop("arguments")), '"arguments" is missing'),
])
def test_a_tampered_record_is_refused_naming_the_file(site, capsys, tamper, words):
    _run(capsys, "eval", "-j", "de", "--as-of", "2031-04-01", "--format", "json", "--record", "rec", "fra-3.yaml")
    tamper(site / "rec")
    code, out, err = _run(capsys, "replay", "rec")
    assert code == 2 and out == ""
    assert words in err and "Traceback" not in err


def _edit(record: Path, change) -> None:
    manifest = json.loads((record / "record.json").read_text(encoding="utf-8"))
    change(manifest)
    (record / "record.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_a_result_that_no_longer_comes_out_is_a_difference_with_a_diff(site, capsys):
    _run(capsys, "eval", "-j", "de", "--as-of", "2031-04-01", "--format", "json", "--record", "rec", "fra-3.yaml")
    record = site / "rec"
    changed = (record / "result").read_bytes().replace(b'"verdict":"fail"', b'"verdict":"pass"', 1)
    (record / "result").write_bytes(changed)  # altered consistently with the manifest: the run disagrees
    _edit(record, lambda m: m["result"].__setitem__("sha256", hashlib.sha256(changed).hexdigest()))
    code, _, err = _run(capsys, "replay", "rec")
    assert code == 1
    assert '-' in err and '"verdict":"pass"' in err and "the result differs from the record" in err


def test_a_shipped_policy_changed_since_the_run_is_reported(site, capsys):
    _run(capsys, "eval", "-j", "de", "--as-of", "2031-04-01", "--format", "json", "--record", "rec", "fra-3.yaml")
    kept = site / "rec" / "policies" / "de.policy"  # the record as if made by a dcpolicy whose de.policy differed
    kept.write_bytes(kept.read_bytes() + b"# an older wording\n")
    _edit(site / "rec", lambda m: m["policies"].__setitem__("policies/de.policy", _sha(kept)))
    code, _, err = _run(capsys, "replay", "rec")
    assert code == 1 and "policies/de.policy is not the policy the run was recorded with" in err


@pytest.mark.parametrize("argv, words", [
    (["--format", "jsonl"], "not jsonl"),
    (["--record", "occupied"], "is not an empty folder"),
])
def test_record_refuses_what_it_cannot_keep(site, capsys, argv, words):
    (site / "occupied").mkdir()
    (site / "occupied" / "x").write_text("x", encoding="utf-8")
    code, out, err = _run(capsys, "eval", "-j", "de", "--record", "rec", *argv, "fra-3.yaml")
    assert code == 2 and words in err and out == ""


def test_record_needs_inputs_inside_the_current_folder(site, capsys):
    code, _, err = _run(capsys, "eval", "-j", "de", "--format", "json", "--record", "rec", str(site / "fra-3.yaml"))
    assert code == 2 and "must be a relative path inside the current folder" in err


def test_a_run_without_a_verdict_records_nothing(site, capsys):
    (site / "bad.yaml").write_text("id: bad\nname: Bad\npower:\n  it_installed: 300\n", encoding="utf-8")
    code, _, err = _run(capsys, "eval", "-j", "de", "--format", "json", "--record", "rec", "bad.yaml")
    assert code == 2 and "nothing recorded in rec" in err
    assert not (site / "rec" / "record.json").exists()


def test_replay_of_a_folder_that_is_not_a_record(site, capsys):
    code, _, err = _run(capsys, "replay", "nowhere")
    assert code == 2 and '"nowhere" is not a folder' in err


def test_verdicts_alone_are_recorded_and_replayed_byte_for_byte(site, capsys):
    code, out, _ = _run(capsys, "eval", "-j", "de,jp", "--as-of", "2031-04-01", "--format", "verdicts", "--record", "rec",
                        "portfolio.yaml")
    assert out.startswith("kind,id,jurisdiction,status,rule,severity,verdict,set_aside\n")
    assert (site / "rec" / "result").read_text(encoding="utf-8") == out
    replayed, said, _ = _run(capsys, "replay", "rec")
    assert replayed == code and "reproduced byte for byte" in said
