"""Streamed evaluation (issue 9): `--format jsonl`, bounded batches, `--trace`, the C-encoded JSON document."""

from __future__ import annotations

import datetime
import json
import weakref
from pathlib import Path

import pytest

from dcpolicy.cli import api
from dcpolicy.cli.jsonl import json_document, jsonl_header, jsonl_lines
from dcpolicy.evaluator.inputs import load_inputs
from dcpolicy.evaluator.yaml_stream import streamable

ROOT = Path(__file__).resolve().parent.parent
AS_OF = datetime.date(2031, 6, 1)


def _facility(i: int, operator: str, pue: float = 1.4, extra: str = "") -> str:
    return (f"  - id: dc-{i}\n    name: DC {i}\n    operator_id: {operator}\n    started: 2015-05-01\n"
            f"    location: {{country: DE}}\n    power: {{nominal_connected: 2 MW, it_installed: 1 MW}}\n{extra}"
            f"    periods:\n      - period: 2030\n        energy: {{total: {pue * 10:.3f} GWh, it: 10 GWh}}\n"
            f"      - period: 2029\n        energy: {{total: 12 GWh, it: 10 GWh}}\n")


def _portfolio(tmp_path, operators: list[str], head: str = "dcpolicy: portfolio/1\n", tail: str = "") -> str:
    body = "".join(_facility(i, op, 1.2 + 0.05 * (i % 5)) for i, op in enumerate(operators))
    path = tmp_path / "register.yaml"
    path.write_text(head + "facilities:\n" + body + tail, encoding="utf-8")
    return str(path)


def _request(path, **extra):
    return api.EvalRequest(inputs=(path,), as_of=AS_OF, jurisdictions="all", **extra)


def _streamed_lines(request, batch_size: int, trace: str = "reasons") -> list[str]:
    lines: list[str] = []
    lines.append(jsonl_header(api.evaluate(request)))
    api.evaluate_stream(request, lambda run: lines.extend(jsonl_lines(run, trace)), batch_size=batch_size)
    return lines


OPERATORS = [f"op-{i // 3}" for i in range(12)]  # four operators of three facilities, in order


def test_jsonl_records_equal_the_json_document_whatever_the_batch_size(tmp_path):
    path = _portfolio(tmp_path, OPERATORS)
    request = _request(path)
    document = json.loads("".join(json_document(api.evaluate(request))))
    for batch_size in (1, 4, 500):
        records = [json.loads(line) for line in _streamed_lines(request, batch_size)]
        assert records[0] == {"kind": "run", **{k: document[k] for k in ("format", "tool", "as_of", "counting")}}
        evaluations = [r for r in records if r.pop("kind") == "evaluation"]
        operators = [r for r in records[1:] if "operator" in r and "facility" not in r]
        assert evaluations == document["evaluations"]
        assert sorted(operators, key=json.dumps) == sorted(document["operators"], key=json.dumps)
        assert len(evaluations) == 12 * len(api.resolve_policies("all", ()))
        assert {e["status"] for e in evaluations} >= {"non_compliant", "compliant"}


def test_each_batch_holds_whole_operators_and_is_bounded(tmp_path):
    sizes = []
    api.evaluate_stream(_request(_portfolio(tmp_path, OPERATORS)),
                        lambda run: sizes.append(len({e.facility for e in run.evaluations})), batch_size=4)
    assert sizes == [6, 6]  # closes at the first operator boundary past 4 facilities


def test_streamed_loading_keeps_no_facility(tmp_path):
    path = _portfolio(tmp_path, OPERATORS)
    refs = []

    def sink(facility):
        assert sum(ref() is not None for ref in refs) <= 1  # only the one the loader's last step still names
        refs.append(weakref.ref(facility))

    load_inputs([path], sink=sink)
    assert len(refs) == 12
    assert [f.id for f in load_inputs([path]).facilities] == [f"dc-{i}" for i in range(12)]


def test_streamed_and_whole_loading_read_the_same_facilities(tmp_path):
    for path in (_portfolio(tmp_path, OPERATORS), str(ROOT / "examples"), str(ROOT / "examples" / "portfolio.yaml")):
        got = []
        load_inputs([path], sink=got.append)
        assert tuple(got) == load_inputs([path]).facilities


def test_a_portfolio_with_keys_after_its_list_is_read_whole(tmp_path):
    path = _portfolio(tmp_path, ["x"] * 2, head="dcpolicy: portfolio/1\n", tail="operator: late-op\n")
    assert not streamable(Path(path).read_text())
    got = []
    load_inputs([path], sink=got.append)
    assert [f.operator_id for f in got] == ["x", "x"]
    assert streamable(Path(_portfolio(tmp_path, ["x"])).read_text())


def test_an_operator_split_across_batches_is_refused_with_its_facility(tmp_path):
    path = _portfolio(tmp_path, ["a", "b", "a"])
    with pytest.raises(api.UsageError, match=r"facility dc-2 \(.*register.yaml:\d+:\d+\) belongs to operator a"):
        api.evaluate_stream(_request(path), lambda run: None, batch_size=1)
    api.evaluate_stream(_request(path), lambda run: None, batch_size=3)  # one batch: judged together


def test_an_input_error_stops_the_stream_and_is_located(tmp_path, policy_cli):
    path = tmp_path / "register.yaml"
    bad = _facility(1, "b").replace("2 MW", "2 parsecs")
    path.write_text("facilities:\n" + _facility(0, "a") + bad + _facility(2, "c"), encoding="utf-8")
    run = policy_cli(["eval", "-j", "de", "--as-of", "2031-06-01", "--format", "jsonl", str(path)])
    assert run.exit_code == 2
    assert f"{path}:18:32: F203" in run.stderr and "only what came before the first error was evaluated" in run.stderr
    # nothing after the error is evaluated; the batch before it may be (here it was still pending)
    assert all(json.loads(line).get("facility") != "dc-2" for line in run.stdout.splitlines())


def test_jsonl_cli_exit_code_counts_every_batch(policy_cli, tmp_path):
    path = _portfolio(tmp_path, OPERATORS)
    run = policy_cli(["eval", "-j", "de", "--as-of", "2031-06-01", "--format", "jsonl", "--trace", "none", path])
    assert run.exit_code == 1  # some facility fails de.pue_existing_2030
    records = [json.loads(line) for line in run.stdout.splitlines()]
    assert [r["kind"] for r in records] == ["run"] + ["evaluation"] * 12
    assert all("trace" not in result for r in records[1:] for result in r["results"])


def test_trace_levels(policy_cli):
    fra = "examples/fra-3.yaml"
    base = ["eval", "-j", "de", "--as-of", "2031-04-01", "--format", "json", fra]
    default, reasons, full, explain, none = (
        json.loads(policy_cli(base + extra).stdout)["evaluations"][0]["results"][0]
        for extra in ([], ["--trace", "reasons"], ["--trace", "full"], ["--explain"], ["--trace", "none"]))
    assert default == reasons and full == explain and "trace" not in none
    assert {"clause", "expression", "value", "span"} == set(reasons["trace"][0])
    assert "steps" in json.dumps(full["trace"]) or full["trace"] != reasons["trace"]


@pytest.mark.parametrize("extra, words", [
    (["--format", "summary", "--trace", "reasons"], "--trace reasons cannot be shown in --format summary"),
    (["--format", "json", "--explain", "--trace", "none"], "cannot go with --trace none"),
    (["--format", "jsonl", "--explain"], "--explain cannot be shown in --format jsonl"),
])
def test_trace_usage_errors(policy_cli, extra, words):
    run = policy_cli(["eval", "-j", "de", "examples/fra-3.yaml", *extra])
    assert run.exit_code == 2 and words in run.stderr


def test_json_document_is_deterministic_and_one_evaluation_per_line(policy_cli):
    argv = ["eval", "--as-of", "2031-04-01", "--format", "json", "examples/portfolio.yaml"]
    first, second = policy_cli(argv).stdout, policy_cli(argv).stdout
    assert first == second
    lines = first.splitlines()
    document = json.loads(first)
    assert len(lines) == 1 + len(document["evaluations"]) + 1 + len(document["operators"]) + 1
    assert lines[1].rstrip(",") == json.dumps(document["evaluations"][0], ensure_ascii=False, separators=(",", ":"))


# ---------------------------------------------------------------- --jobs
def _jobs_output(request, jobs: int, batch_size: int = 2) -> str:
    from dcpolicy.cli.evaluate import _jsonl_batch
    from dcpolicy.cli.jsonl import Writers

    texts: list[str] = []
    render = lambda run: _jsonl_batch(Writers("reasons"), request.fail_on, run)  # noqa: E731 - inherited by forked workers
    api.evaluate_stream(request, lambda out: texts.append(out[0]), batch_size=batch_size, jobs=jobs, render=render)
    return "".join(texts)


def test_jobs_give_the_bytes_of_one_job(tmp_path):
    request = _request(_portfolio(tmp_path, OPERATORS))
    one = _jobs_output(request, 1)
    assert one == _jobs_output(request, 2) == _jobs_output(request, 3, batch_size=1)
    assert one.count("\n") == 12 * len(api.resolve_policies("all", ())) + 4  # every evaluation, and the jp operators


def test_jobs_write_what_came_before_an_input_error_as_one_job_does(tmp_path):
    path = tmp_path / "register.yaml"
    good = "".join(_facility(i, f"op-{i}") for i in range(6))
    path.write_text("facilities:\n" + good + _facility(6, "x").replace("2 MW", "2 parsecs"), encoding="utf-8")
    outputs = []
    for jobs in (1, 2):
        texts: list[str] = []
        with pytest.raises(api.InvalidInput):
            api.evaluate_stream(_request(str(path)), lambda out: texts.append(out), batch_size=1, jobs=jobs,
                                render=lambda run: "".join(jsonl_lines(run, "none")))
        outputs.append("".join(texts))
    regimes = len(api.resolve_policies("all", ()))
    assert outputs[0] == outputs[1] and outputs[0].count('"facility":"dc-4"') == regimes  # dc-5's batch never closed
    assert '"facility":"dc-5"' not in outputs[0]


def test_jobs_option(policy_cli):
    argv = ["eval", "-j", "de", "--as-of", "2031-06-01", "--format", "jsonl", "examples/portfolio.yaml"]
    assert policy_cli(argv + ["--jobs", "2"]).stdout == policy_cli(argv + ["--jobs", "1"]).stdout
    bad = policy_cli(argv + ["--jobs", "0"])
    assert bad.exit_code == 2 and '--jobs takes a whole number from 1, or "auto", not "0"' in bad.stderr


# ---------------------------------------------------------------- progress
class _Terminal:
    """A stderr that says it is a terminal and keeps what is written."""

    def __init__(self, tty: bool):
        import io

        self.buffer, self.tty = io.StringIO(), tty

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> int:
        return self.buffer.write(text)

    def flush(self) -> None:
        pass

    def fileno(self) -> int:
        raise OSError("not a real terminal")


@pytest.mark.parametrize("tty", [True, False])
def test_progress_shows_on_a_terminal_only(tmp_path, monkeypatch, capsys, tty):
    from dcpolicy.cli.main import main

    monkeypatch.setattr(api, "STREAM_BATCH", 3)
    terminal = _Terminal(tty)
    monkeypatch.setattr("sys.stderr", terminal)
    code = main(["eval", "-j", "de", "--as-of", "2031-06-01", "--format", "jsonl", "--jobs", "1",
                 _portfolio(tmp_path, OPERATORS)])
    assert code == 1 and capsys.readouterr().out.count("\n") == 13  # stdout holds the results only
    shown = terminal.buffer.getvalue()
    assert ("facilities evaluated" in shown) is tty


# ---------------------------------------------------------------- a register read from disk in pieces (issue 9, item 3)
def _loaded_facts(path, monkeypatch, from_disk: bool):
    from dcpolicy.evaluator import inputs, register_file

    monkeypatch.setattr(inputs, "STREAM_FROM_DISK", 0 if from_disk else 1 << 40)
    monkeypatch.setattr(register_file, "CHUNK", 97)  # pieces that end mid-entry
    got = []
    load_inputs([path], sink=got.append)
    return got


def test_a_register_read_from_disk_in_pieces_loads_exactly_as_from_memory(tmp_path, monkeypatch):
    path = _portfolio(tmp_path, OPERATORS, tail="\n# the end\n")
    from_memory = _loaded_facts(path, monkeypatch, from_disk=False)
    from_disk = _loaded_facts(path, monkeypatch, from_disk=True)
    assert [(f.id, f.span, f.facts, f.periods, f.operator_id, f.source.sha256) for f in from_disk] == \
        [(f.id, f.span, f.facts, f.periods, f.operator_id, f.source.sha256) for f in from_memory]
    assert len(from_disk) == 12 and from_disk[0].source.text == ""  # the text is not held
    assert from_memory[0].source.sha256 == __import__("hashlib").sha256(Path(path).read_bytes()).hexdigest()


def test_an_error_in_a_register_read_from_disk_is_located_with_its_excerpt(tmp_path, monkeypatch):
    from dcpolicy.dsl.diagnostics import DiagnosticError

    path = _portfolio(tmp_path, OPERATORS)
    text = Path(path).read_text(encoding="utf-8").replace("it: 10 GWh}", "it: 10 GWh, it: 2 GWh}", 1)
    Path(path).write_text(text.replace("    name: DC 7\n", "    name: [DC 7\n"), encoding="utf-8")
    with pytest.raises(DiagnosticError) as caught:
        _loaded_facts(path, monkeypatch, from_disk=True)
    codes = [(d.code, d.span.line, d.span.column) for d in caught.value.diagnostics]
    lines = text.splitlines()
    duplicate = next(i for i, line in enumerate(lines, 1) if "it: 2 GWh" in line)
    assert codes[0] == ("F105", duplicate, lines[duplicate - 1].index("it: 2") + 1)
    assert codes[-1][0] == "F102" and codes[-1][1] > duplicate  # then the unclosed list, further down
    assert "it: 2 GWh" in caught.value.render()  # the excerpt, read again from the file


def test_the_stream_runs_the_collector_every_few_batches_and_gives_it_back(tmp_path, monkeypatch):
    """The cyclic collector is paused for the stream (it would walk every batch's objects again and again)
    and run every _Collector.EVERY facilities read or judged instead, so cyclic garbage stays bounded; afterwards
    it runs as before."""
    import gc

    from dcpolicy.cli import stream

    path = _portfolio(tmp_path, [f"op-{i}" for i in range(40)])
    collections, states = [], []
    monkeypatch.setattr(stream.gc, "collect", lambda *a: collections.append(a))
    monkeypatch.setattr(stream._Collector, "EVERY", 8)
    api.evaluate_stream(_request(path), lambda run: states.append(gc.isenabled()), batch_size=1)
    assert states == [False] * 40
    # each facility counted when read and when judged, but the last batch's, which the end of the input closes
    assert len(collections) == (2 * 40 - 1) // 8
    assert gc.isenabled()
