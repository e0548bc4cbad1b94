"""Streamed output (issue 9) beside territories and what-if (issue 10): -j home, the default choice, --set."""

from __future__ import annotations

import json

import pytest

from dcpolicy.evaluator.inputs import load_inputs
from dcpolicy.evaluator.overrides import OverrideError

PORTFOLIO = "examples/portfolio.yaml"


def _records(stdout: str, kind: str) -> list[dict]:
    records = [json.loads(line) for line in stdout.splitlines()]
    return [{k: v for k, v in r.items() if k != "kind"} for r in records if r["kind"] == kind]


@pytest.mark.parametrize("choice", [["-j", "home"], [], ["-j", "home,jp"]])
def test_jsonl_judges_each_facility_at_home_as_json_does(policy_cli, choice):
    argv = ["eval", *choice, "--as-of", "2031-06-01", PORTFOLIO]
    document = json.loads(policy_cli(argv + ["--format", "json"]).stdout)
    streamed = policy_cli(argv + ["--format", "jsonl", "--jobs", "1"])
    evaluations = _records(streamed.stdout, "evaluation")
    assert evaluations == document["evaluations"]
    assert {(e["facility"], e["jurisdiction"]) for e in evaluations} >= {("fra-3", "de"), ("fra-3", "eu")}
    assert (("fra-3", "jp") in {(e["facility"], e["jurisdiction"]) for e in evaluations}) == ("jp" in str(choice))
    assert streamed.exit_code == policy_cli(argv + ["--format", "json"]).exit_code


def _write(tmp_path, country: str | None) -> str:
    where = f"location: {{country: {country}}}\n" if country else ""
    path = tmp_path / "site.yaml"
    path.write_text("dcpolicy: facility/1\nid: site-1\nname: Site\nstarted: 2015-05-01\n" + where +
                    "power: {nominal_connected: 2 MW, it_installed: 1 MW}\n"
                    "periods:\n  - period: 2030\n    energy: {total: 14 GWh, it: 10 GWh}\n", encoding="utf-8")
    return str(path)


def test_jsonl_without_j_stops_at_a_facility_without_country(policy_cli, tmp_path):
    run = policy_cli(["eval", "--as-of", "2031-06-01", "--format", "jsonl", _write(tmp_path, None)])
    assert run.exit_code == 2
    assert "site-1" in run.stderr and "no location.country" in run.stderr and "-j all" in run.stderr


def test_jsonl_under_explicit_home_names_the_facility_without_country(policy_cli, tmp_path):
    run = policy_cli(["eval", "-j", "home", "--as-of", "2031-06-01", "--format", "jsonl", _write(tmp_path, None)])
    assert run.exit_code == 2 and "-j home judges each facility" in run.stderr and "site-1" in run.stderr


def test_jsonl_under_home_notes_a_facility_no_regime_governs(policy_cli, tmp_path):
    run = policy_cli(["eval", "-j", "home", "--as-of", "2031-06-01", "--format", "jsonl", _write(tmp_path, "BR")])
    assert run.exit_code == 0 and _records(run.stdout, "evaluation") == []
    assert "governs the location of site-1" in run.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_set_with_jsonl_streams_what_json_gives_and_ends_with_the_overrides(policy_cli, jobs):
    argv = ["eval", "-j", "de,eu", "--as-of", "2031-06-01", "--set", "fra-3:period.energy.total=99 GWh",
            "--set", "facility.power.nominal_connected=2 MW", PORTFOLIO]
    document = json.loads(policy_cli(argv + ["--format", "json"]).stdout)
    streamed = policy_cli(argv + ["--format", "jsonl", "--jobs", jobs])
    lines = [json.loads(line) for line in streamed.stdout.splitlines()]
    assert [r["kind"] for r in lines[:1] + lines[-1:]] == ["run", "overrides"]
    assert _records(streamed.stdout, "evaluation") == document["evaluations"]
    assert lines[-1]["overrides"] == document["overrides"]
    assert {o["facility"] for o in document["overrides"]} >= {"fra-3"} and len(document["overrides"]) > 2
    assert streamed.exit_code == policy_cli(argv + ["--format", "json"]).exit_code


def test_set_with_jsonl_that_cannot_be_read_or_names_no_facility_is_a_usage_error(policy_cli):
    unreadable = policy_cli(["eval", "-j", "de", "--format", "jsonl", "--set", "period.energy.total", PORTFOLIO])
    assert unreadable.exit_code == 2 and unreadable.stdout == "" and "write PATH=VALUE" in unreadable.stderr
    nowhere = policy_cli(["eval", "-j", "de", "--format", "jsonl", "--set", "nowhere:period.energy.total=9 GWh",
                          PORTFOLIO])
    assert nowhere.exit_code == 2 and "--set names facility nowhere, which is not in the input" in nowhere.stderr
    assert "overrides" not in nowhere.stdout  # the evaluations read before the end stand; no overrides line


def test_set_with_json_lists_the_overrides_in_the_document(policy_cli):
    argv = ["eval", "-j", "de", "--as-of", "2031-06-01", "--format", "json", "examples/fra-3.yaml"]
    plain = json.loads(policy_cli(argv).stdout)
    changed = policy_cli(argv + ["--set", "fra-3:period.energy.total=99 GWh"])
    document = json.loads(changed.stdout)
    assert "overrides" not in plain and document["overrides"]
    assert "fra-3" in json.dumps(document["overrides"]) and document["evaluations"] != plain["evaluations"]


def test_streamed_loading_applies_overrides_and_checks_ids(tmp_path):
    handed = []
    loaded = load_inputs(["examples/fra-3.yaml"], sink=handed.append,
                         overrides=("fra-3:period.energy.total=99 GWh",))
    assert [f.id for f in handed] == ["fra-3"] and loaded.facilities == () and loaded.overrides
    latest = max(handed[0].periods, key=lambda p: p.start)
    assert latest.facts["energy.total"].written == "99 GWh" and latest.facts["energy.total"].span.file == "--set"
    with pytest.raises(OverrideError, match="nowhere-1"):
        load_inputs(["examples/fra-3.yaml"], sink=lambda f: None, overrides=("nowhere-1:period.energy.total=1 GWh",))
