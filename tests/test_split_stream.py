"""--jobs on one large register (issue 9, item 5): each worker reads its own share; the bytes are those of --jobs 1."""

from __future__ import annotations

import contextlib
import datetime
import functools
from pathlib import Path

import pytest

from dcpolicy.cli import api, split_stream
from dcpolicy.cli.evaluate import _jsonl_batch, _jsonl_parts
from dcpolicy.cli.jsonl import Writers
from dcpolicy.evaluator import inputs
from dcpolicy.evaluator.facts import SourceFile
from dcpolicy.evaluator.register_split import merged, read_share, shares

AS_OF = datetime.date(2031, 6, 1)


def _facility(i: int, operator: str, country: str = "DE", name: str | None = None) -> str:
    return (f"  - id: dc-{i}\n    name: {name or f'DC {i}'}\n    operator_id: {operator}\n    started: 2015-05-01\n"
            f"    location: {{country: {country}}}\n    power: {{nominal_connected: 2 MW, it_installed: 1 MW}}\n"
            f"    periods:\n      - period: 2030\n        energy: {{total: {12 + i % 5} GWh, it: 10 GWh}}\n"
            f"      - period: 2029\n        energy: {{total: 12 GWh, it: 10 GWh}}\n")


def _register(tmp_path, facilities: list[str]) -> str:
    path = tmp_path / "register.yaml"
    path.write_text("dcpolicy: portfolio/1\nfacilities:\n" + "".join(facilities), encoding="utf-8")
    return str(path)


def _operators(n: int, per: int = 3) -> list[str]:
    return [_facility(i, f"op-{i // per}") for i in range(n)]


@pytest.fixture
def small_shares(monkeypatch):
    """Registers of a few dozen facilities split as a large one would be: shares of 4, batches of 5."""
    monkeypatch.setattr(inputs, "STREAM_FROM_DISK", 0)
    monkeypatch.setattr(split_stream, "SHARE_MIN", 4)
    monkeypatch.setattr(split_stream, "SHARE_MAX", 4)
    used = []
    real = split_stream.run_split
    monkeypatch.setattr(split_stream, "run_split", lambda *a, **k: used.append(real(*a, **k)) or used[-1])
    return used


def _run(path, jobs: int, jurisdictions: str = "all"):
    """(output, error text or None, unjudged) of the streamed run, as the CLI makes it."""
    request = api.EvalRequest(inputs=(path,), as_of=AS_OF, jurisdictions=jurisdictions)
    texts: list[str] = []
    unjudged: list[str] = []
    error = None
    try:
        api.evaluate_stream(request, lambda out: texts.append(out[0]), batch_size=5, jobs=jobs,
                            render=functools.partial(_jsonl_batch, Writers("reasons"), request.fail_on),
                            render_parts=functools.partial(_jsonl_parts, Writers("reasons"), request.fail_on),
                            unjudged=unjudged)
    except (api.InvalidInput, api.UsageError) as err:
        error = f"{type(err).__name__}: {err}"
    return "".join(texts), error, unjudged


def test_each_worker_reads_its_share_and_the_bytes_are_those_of_one_job(tmp_path, small_shares):
    path = _register(tmp_path, _operators(40))
    one = _run(path, 1)
    assert small_shares == []  # one job never splits
    for jobs in (2, 3):
        assert _run(path, jobs) == one
    assert [o.done for o in small_shares] == [True, True]
    assert one[0].count('"kind":"evaluation"') == 40 * len(api.resolve_policies("all", ()))
    assert one[0].count('"kind":"operator"') > 0 and one[1] is None


def test_home_regimes_and_unjudged_facilities_split_as_one_job(tmp_path, small_shares):
    facilities = [_facility(i, f"op-{i // 4}", country=("DE", "JP", "US")[i % 3]) for i in range(30)]
    path = _register(tmp_path, facilities)
    one = _run(path, 1, "home")
    assert one[2]  # the US facilities: no chosen regime governs them
    assert _run(path, 2, "home") == one and small_shares[-1].done


@pytest.mark.parametrize("fault", ["invalid value", "duplicate id", "operator apart", "quoted line", "no country"])
def test_what_a_share_cannot_settle_is_read_the_ordinary_way_with_the_same_bytes(tmp_path, small_shares, fault):
    facilities = _operators(40)
    if fault == "invalid value":
        facilities[22] = facilities[22].replace("2 MW", "2 parsecs")
    elif fault == "duplicate id":
        facilities[30] = facilities[30].replace("id: dc-30", "id: dc-3")
    elif fault == "operator apart":
        facilities[33] = facilities[33].replace("op-11", "op-2")
    elif fault == "quoted line":  # a line at the entries' indentation inside a quoted name: not an entry
        facilities[17] = _facility(17, "op-5", name='"DC 17\n  - and more"')
    else:
        facilities[25] = facilities[25].replace("location: {country: DE}", "location: {}")
    path = _register(tmp_path, facilities)
    jurisdictions = "home" if fault == "no country" else "all"
    one = _run(path, 1, jurisdictions)
    assert _run(path, 2, jurisdictions) == one
    assert small_shares[-1].done is False  # the parent read on the ordinary way
    if fault != "quoted line":
        assert one[1] is not None and one[0].count('"kind":"evaluation"') > 0  # batches before the problem
    else:
        assert one[1] is None and '"facility":"dc-17"' in one[0]


def test_shares_start_at_entry_lines_and_load_as_the_whole_file(tmp_path):
    path = _register(tmp_path, _operators(10))
    found = shares(path, 4)
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    data = Path(path).read_bytes()
    assert [s.entries for s in found] == [4, 4, 2]
    assert [lines[s.line] for s in found] == ["  - id: dc-0", "  - id: dc-4", "  - id: dc-8"]
    assert [data[s.start:s.start + 12] for s in found] == [b"  - id: dc-0", b"  - id: dc-4", b"  - id: dc-8"]
    assert found[-1].end == len(data)
    source = SourceFile(path, "0" * 64, "")
    whole = inputs.load_inputs([path]).facilities
    split = [f for share in found for f in read_share(path, share, source, None)]
    assert [(f.id, f.facts, f.periods) for f in split] == [(f.id, f.facts, f.periods) for f in whole]
    assert shares(path, 10) is None  # one share: nothing to split


def test_merged_shares_are_the_shares_of_the_larger_size(tmp_path):
    path = _register(tmp_path, _operators(23))
    for count in (1, 2, 3, 5):
        assert merged(shares(path, 2), count) == shares(path, 2 * count)


# ---------------------------------------------------------------- the workers' text through files (cli/spool.py)
def _spooled(path, jobs: int, stream, monkeypatch, jurisdictions: str = "all") -> list:
    """Runs as the CLI does with `stream` as stdout; returns the types of what was emitted."""
    from dcpolicy.cli.evaluate import _spool_encoding, _StreamOutput

    monkeypatch.setattr("sys.stdout", stream)
    output = _StreamOutput()
    kinds: list = []
    request = api.EvalRequest(inputs=(path,), as_of=AS_OF, jurisdictions=jurisdictions)
    try:
        api.evaluate_stream(request, lambda out: kinds.append(type(out[0]).__name__) or output.emit(out),
                            batch_size=5, jobs=jobs,
                            render=functools.partial(_jsonl_batch, Writers("reasons"), request.fail_on),
                            render_parts=functools.partial(_jsonl_parts, Writers("reasons"), request.fail_on),
                            encoding=_spool_encoding(stream))
    except (api.InvalidInput, api.UsageError):
        kinds.append("error")
    stream.flush()
    return kinds


def _names(n: int) -> list[str]:  # names the ASCII output cannot show, and one JSON must escape
    return [_facility(i, f"op-{i // 3}", name=f'"Rechenzentrum Köln ≤ {i} \\u2028"') for i in range(n)]


@pytest.mark.parametrize("mode", ["w", "a"])  # "a": O_APPEND, which sendfile refuses: copied by reading
def test_spooled_output_is_the_bytes_of_one_job_and_its_files_are_removed(tmp_path, small_shares, monkeypatch, mode):
    import tempfile

    from dcpolicy.cli.escape import UTF8_ERRORS

    path = _register(tmp_path, _names(40))
    spool_root = tmp_path / "tmp"
    spool_root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool_root))
    outputs = {}
    for jobs in (1, 2):
        out = tmp_path / f"out-{jobs}.jsonl"
        out.write_bytes(b"before\n")
        with open(out, mode, encoding="utf-8", errors=UTF8_ERRORS) as stream:
            kinds = _spooled(path, jobs, stream, monkeypatch)
        outputs[jobs] = out.read_bytes()
        assert ("Spooled" in kinds) == (jobs == 2)
    assert outputs[2] == outputs[1] and outputs[1].startswith(b"before\n" if mode == "a" else b'{"kind"')
    assert "Köln ≤" in outputs[1].decode("utf-8") and small_shares[-1].done
    assert list(spool_root.iterdir()) == []  # every worker's file and the folder are gone


def test_spooled_output_keeps_the_encoding_and_error_handler_of_the_stream(tmp_path, small_shares, monkeypatch):
    from dcpolicy.cli.escape import UTF8_ERRORS

    path = _register(tmp_path, _names(30))
    outputs = {}
    for jobs in (1, 2):
        out = tmp_path / f"out-{jobs}.jsonl"
        with open(out, "w", encoding="ascii", errors=UTF8_ERRORS) as stream:
            _spooled(path, jobs, stream, monkeypatch)
        outputs[jobs] = out.read_bytes()
    assert outputs[2] == outputs[1] and b"K?ln ? 0" in outputs[1]


def test_spooled_output_through_a_pipe(tmp_path, small_shares, monkeypatch):
    import os
    import threading

    path = _register(tmp_path, _operators(40))
    outputs = {}
    for jobs in (1, 2):
        read_end, write_end = os.pipe()
        chunks: list[bytes] = []
        reader = threading.Thread(target=lambda: chunks.extend(iter(lambda: os.read(read_end, 65536), b"")))
        reader.start()
        with open(write_end, "w", encoding="utf-8") as stream:
            _spooled(path, jobs, stream, monkeypatch)
        reader.join()
        os.close(read_end)
        outputs[jobs] = b"".join(chunks)
    assert outputs[2] == outputs[1] and outputs[1].count(b'"kind":"evaluation"') == 40 * len(
        api.resolve_policies("all", ()))


@pytest.mark.parametrize("fault", ["invalid value", "duplicate id", "no folder", "disk full"])
def test_spooled_output_read_on_the_ordinary_way_after_a_fault(tmp_path, small_shares, monkeypatch, fault):
    from dcpolicy.cli import spool

    facilities = _operators(40)
    if fault == "invalid value":
        facilities[22] = facilities[22].replace("2 MW", "2 parsecs")
    elif fault == "duplicate id":
        facilities[30] = facilities[30].replace("id: dc-30", "id: dc-3")
    elif fault == "no folder":  # no private folder can be made: the text comes back through the pipe
        monkeypatch.setattr(spool.Folder, "make", classmethod(lambda cls: None))
    else:  # the folder's disk fills after a few parts (the workers are forked: they inherit the patch)
        written = spool.Writer.add
        monkeypatch.setattr(spool.Writer, "add", lambda self, text: written(self, text) if self.offset < 3000 else
                            (_ for _ in ()).throw(OSError(28, "No space left on device")))
    path = _register(tmp_path, facilities)
    outputs, kinds = {}, {}
    for jobs in (1, 2):
        out = tmp_path / f"out-{jobs}.jsonl"
        with open(out, "w", encoding="utf-8") as stream:
            kinds[jobs] = _spooled(path, jobs, stream, monkeypatch)
        outputs[jobs] = out.read_bytes()
    assert outputs[2] == outputs[1] and outputs[1].count(b'"kind":"evaluation"') > 0
    assert ("error" in kinds[2]) == (fault in ("invalid value", "duplicate id"))
    assert ("Spooled" in kinds[2]) == (fault != "no folder") and small_shares[-1].done == (fault in ("no folder",
                                                                                                    "disk full"))


def test_joined_merges_neighbouring_texts_and_spans_in_order():
    from dcpolicy.cli.spool import Span, Spooled, joined

    assert joined(["a", "", "b"]) == "ab"
    a, b, elsewhere = Span("f", 0, 5), Span("f", 5, 7), Span("g", 0, 3)
    assert joined([a, b, "x", "", "y", elsewhere, Span("g", 4, 1)]) == Spooled(
        (Span("f", 0, 12), "xy", elsewhere, Span("g", 4, 1)))


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (a device whose writes find no room)")
def test_spooled_output_with_no_room_is_exit_5(tmp_path, small_shares, monkeypatch, capsys):
    from dcpolicy.cli import main as cli_main
    from dcpolicy.cli.spool import Span, Spooled

    path = _register(tmp_path, _operators(40))
    with open("/dev/full", "w", encoding="utf-8") as full:
        monkeypatch.setattr("sys.stdout", full)
        code = cli_main.main(["eval", "-j", "de", "--as-of", "2031-06-01", "--format", "jsonl", "--jobs", "2", path])
    assert code == 5 and "policy: cannot write the output: No space left on device" in capsys.readouterr().err
    spooled = tmp_path / "share"
    spooled.write_bytes(b"x" * 100)
    full = open("/dev/full", "w", encoding="utf-8")  # a device: sendfile refuses it, the copy by reading runs
    with pytest.raises(OSError) as raised:
        Spooled((Span(str(spooled), 0, 100),)).write_to(full)
    assert cli_main._no_room(raised.value)
    with contextlib.suppress(OSError):  # what is still buffered finds no room either
        full.close()
