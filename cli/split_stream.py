"""`--jobs N` on one large register: each worker reads, loads, judges and renders its own share of the entries.

The parent finds where the entries start (evaluator/register_split.py) and never parses them; each forked
worker reads its byte range, loads its facilities, and returns, per run of facilities of one operator
("group"), the rendered lines: evaluation lines (when the output is a file or pipe, written to a file of
the run's private folder and returned as where they lie, cli/spool.py) and, per jurisdiction, operator lines. A first or last
group whose operator goes on in the neighbouring share (the worker reads the entry on each side) comes
back as plain facilities, and the parent judges it once whole. The parent then closes batches exactly where `--jobs 1` does (evaluator/
batches.py: at the first operator change once a batch holds `size` facilities) and writes each batch as
`--jobs 1` would (its evaluations in input order, then its operator lines in jurisdiction order), so the
bytes are the same.

Anything the shares cannot settle alone — a share that does not load cleanly, an id seen twice, an
operator whose facilities are not together, a facility without a country under -j home — makes the parent
stop at the last batch it wrote and hand the rest to the ordinary streamed reading (`Outcome.skip`
facilities already written), which finds, words and locates the problem as `--jobs 1` does.
"""

from __future__ import annotations

import collections
import multiprocessing
import os

import attrs

from ..dsl.data import frozen

SHARE_MIN, SHARE_MAX = 250, 2000  # entries per share: enough to judge in bulk, enough shares to keep N busy

_CONTEXT = None  # in a worker: the _Context of the run (set once by the pool's initializer; forked, not pickled)


@frozen
class Outcome:
    done: bool  # every facility was written; otherwise the ordinary reading goes on after `skip` of them
    skip: int  # facilities written (and counted)
    closed: frozenset


@attrs.define
class _Context:
    real: str
    source: object  # facts.SourceFile without its text
    operator: str | None
    judge_parts: object  # facilities -> (evaluation text, {jurisdiction: operator text}, exit code)
    chosen: list
    home: bool
    spool: str | None  # the folder the workers write their evaluation text to (cli/spool.py), or None
    encoding: object  # spool.Encoding: the output's, so the spooled bytes are what writing the text gives


@attrs.define
class _Group:
    key: str
    has_operator: bool
    plain: list | None  # facilities as facts.to_plain tuples, or None when judged in the worker
    parts: tuple | None  # (evaluation text or its spool.Span, {jurisdiction: operator text}, exit code)
    infos: list  # per facility: (id, has country, judged by some chosen regime)


def run_split(request, judge_parts, chosen, home: bool, codes: list[str], jobs: int, batch_size: int, emit,
              unjudged: list | None, witnesses: dict, encoding=None) -> Outcome | None:
    """None when the input is not one register to split (the ordinary reading does all). With the output's
    `encoding` (cli/spool.py), the workers' evaluation text reaches `emit` as spool.Spooled pieces."""
    from ..evaluator import inputs, register_file
    from ..evaluator.facts import SourceFile
    from ..evaluator.register_split import merged, shares
    from .workers import can_fork

    if jobs < 2 or len(request.inputs) != 1 or not can_fork():
        return None
    display = request.inputs[0]
    real = os.path.realpath(display)
    try:
        if display == inputs.STDIN or not os.path.isfile(real) or display.lower().endswith(".csv") or \
                os.path.getsize(real) < inputs.STREAM_FROM_DISK:
            return None
        scan = register_file.scan(real)
        if not scan.streamable:
            return None
        source = SourceFile(display, scan.sha256, "")
        operator = _portfolio_operator(real, display)
        if operator is False:
            return None
        parts = shares(real, SHARE_MIN)
        if parts is None:
            return None
        size = max(SHARE_MIN, min(SHARE_MAX, sum(s.entries for s in parts) // (4 * jobs)))
        parts = merged(parts, size // SHARE_MIN)
    except OSError:
        return None
    from concurrent.futures import ProcessPoolExecutor

    from .spool import Folder

    folder = Folder.make() if encoding is not None else None
    context = _Context(real, source, operator, judge_parts, chosen, home, folder and folder.path, encoding)
    merger = _Merger(batch_size, home, codes, judge_parts, emit, unjudged, witnesses)
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"), initializer=_start,
                               initargs=(context,))
    try:
        pending: collections.deque = collections.deque()
        todo = iter(parts)
        for share in todo:
            pending.append(pool.submit(_share, share))
            if len(pending) >= 2 * jobs:
                break
        while pending:
            result = pending.popleft().result()
            share = next(todo, None)
            if share is not None:
                pending.append(pool.submit(_share, share))
            if result is None or not merger.share(*result):
                return merger.outcome(done=False)
        merger.close()
        return merger.outcome(done=True)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        if folder is not None:
            folder.remove()


def _portfolio_operator(real: str, display: str):
    """The portfolio's `operator` (None when it has none); False when its head has any problem or is not a
    portfolio's (the ordinary reading then says what)."""
    from ..evaluator import register_file
    from ..evaluator.documents import document_kind, read_portfolio
    from ..evaluator.yaml_stream import StreamedPortfolio, TextFeed

    document = StreamedPortfolio(TextFeed(register_file.pieces(real)), display, lambda: "")
    try:
        problems: list = []
        if not document.open() or document.diagnostics or document_kind(document.root, problems.append) != \
                "portfolio":
            return False
        operator, _ = read_portfolio(document.root, problems.append)
        return False if problems else operator
    finally:
        document.parser.dispose()


class _Merger:
    """The parent's side: groups in input order, batches closed as evaluator/batches.py closes them."""

    def __init__(self, size: int, home: bool, codes: list[str], judge_parts, emit, unjudged, witnesses):
        self.size, self.home, self.codes, self.judge_parts, self.emit = size, home, codes, judge_parts, emit
        self.unjudged, self.witnesses = unjudged, witnesses
        self.ids: set[str] = set()
        self.closed: set[str] = set()
        self.batch: list[_Group] = []
        self.batch_keys: set[str] = set()
        self.in_batch = 0
        self.written = 0
        self.spooled: collections.Counter = collections.Counter()  # a spool file's parts not yet written

    def share(self, groups: list[_Group], found_witnesses: list) -> bool:
        """Takes a share's groups; False when the rest must be read the ordinary way."""
        from ..evaluator.facts import from_plain

        for key, plain in found_witnesses:
            if key not in self.witnesses:
                self.witnesses[key] = from_plain(plain, {})
        for group in groups:
            if group.parts is not None and not isinstance(group.parts[0], str):
                self.spooled[group.parts[0].path] += 1
            for fid, has_country, _ in group.infos:
                if (self.home and not has_country) or fid in self.ids or group.key in self.closed:
                    return False  # the ordinary reading words it
                self.ids.add(fid)
            last = self.batch[-1] if self.batch else None
            if last is not None and last.key == group.key:  # the group goes on from the share before
                if last.plain is None or group.plain is None:
                    return False
                last.plain = last.plain + group.plain
                last.infos = last.infos + group.infos
            else:
                if group.key in self.batch_keys:
                    return False  # an operator's facilities apart within one batch
                if self.in_batch >= self.size:
                    self.close()
                self.batch.append(attrs.evolve(group))
                self.batch_keys.add(group.key)
            self.in_batch += len(group.infos)
        return True

    def close(self) -> None:
        """Writes the batch: its evaluation lines in input order, then its operator lines by jurisdiction."""
        from ..evaluator.facts import from_plain
        from .spool import Spooled, joined

        if not self.batch:
            return
        for group in self.batch:
            if group.parts is None:
                sources: dict = {}
                group.parts = self.judge_parts([from_plain(p, sources) for p in group.plain])
        text = joined([g.parts[0] for g in self.batch] + [g.parts[1].get(code, "") for code in self.codes
                                                           for g in self.batch])
        self.emit((text, max(g.parts[2] for g in self.batch), self.in_batch))
        if isinstance(text, Spooled):
            self._written(text)
        self.closed.update(g.key for g in self.batch if g.has_operator)
        for group in self.batch:
            if self.unjudged is not None and self.home:
                self.unjudged.extend(fid for fid, _, judged in group.infos if not judged)
        self.written += self.in_batch
        self.batch, self.batch_keys, self.in_batch = [], set(), 0

    def _written(self, text) -> None:
        """Each spool file whose every part is now written is removed (the folder goes at the end anyway)."""
        for group in self.batch:
            if not isinstance(group.parts[0], str):
                self.spooled[group.parts[0].path] -= 1
        for path in text.paths():
            if self.spooled[path] <= 0:
                del self.spooled[path]
                try:
                    os.unlink(path)
                except OSError:
                    pass

    def outcome(self, done: bool) -> Outcome:
        return Outcome(done, self.written, frozenset(self.closed))


def _start(context) -> None:
    global _CONTEXT
    _CONTEXT = context


def _share(share):
    """In a worker: the share's groups and the first facility of each set of periods, or None (not split: the
    ordinary reading, which is the reference, then reads on from the last batch written)."""
    try:
        return _share_groups(share)
    except Exception:  # noqa: BLE001 - whatever a share could not do, the ordinary reading does and words
        return None


def _share_groups(share):
    from ..evaluator.batches import operator_key
    from ..evaluator.register_split import NotSplit, neighbour, read_share

    context = _CONTEXT
    try:
        facilities = read_share(context.real, share, context.source, context.operator)
        before, after = (neighbour(context.real, entry, context.source, context.operator)
                         for entry in (share.before, share.after))
    except NotSplit:
        return None
    runs: list[list] = []
    for facility in facilities:
        if runs and operator_key(runs[-1][0]) == operator_key(facility):
            runs[-1].append(facility)
        else:
            runs.append([facility])
    if len({operator_key(run[0]) for run in runs}) != len(runs):
        return None  # an operator's facilities apart: the ordinary reading batches them as --jobs 1 does
    writer = None
    if context.spool is not None:
        from .spool import Writer

        try:
            writer = Writer(context.spool, f"share-{share.start}", context.encoding)
        except OSError:  # the text comes back through the pipe, as without a folder
            writer = None
    try:
        groups, witnesses = _judged(context, facilities, runs, before, after, writer)
    finally:
        if writer is not None:
            writer.close()
    return groups, witnesses


def _judged(context, facilities, runs, before, after, writer):
    from ..evaluator.batches import operator_key
    from ..evaluator.facts import to_plain
    from ..evaluator.home import judges

    groups, witnesses, seen = [], [], set()
    for facility in facilities:
        key = tuple((p.label, p.kind, p.start, p.end) for p in facility.periods)
        if key not in seen:
            seen.add(key)
            witnesses.append((key, to_plain(facility)))
    for index, run in enumerate(runs):
        infos = [(f.id, bool(f.facts.get("location.country")),
                  any(judges(c, f) for c in context.chosen)) for f in run]
        edge = (index == 0 and before is not None and operator_key(before) == operator_key(run[0])) or (
            index == len(runs) - 1 and after is not None and operator_key(after) == operator_key(run[0]))
        parts = None if edge else context.judge_parts(run)
        if parts is not None and writer is not None:
            try:
                parts = (writer.add(parts[0]), *parts[1:])
            except OSError:  # the folder's disk is full (a small tmpfs): the rest comes back through the pipe
                writer = None
        groups.append(_Group(operator_key(run[0]), run[0].operator_id is not None,
                             [to_plain(f) for f in run] if edge else None, parts, infos))
    return groups, witnesses
