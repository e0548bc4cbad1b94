"""`--jobs N`: streamed batches judged in worker processes, their outputs handed on in input order.

The parent reads the input and writes the output; each worker evaluates and renders whole batches
(the costly part). Workers are forked, so they inherit the compiled plans and the judging function
without pickling them; only the facilities go to them, as plain tuples without their file's text
(evaluator/facts.py `to_plain`), and only the rendered text comes back. Outputs are handed on strictly in submission
order, so the bytes are those of `--jobs 1`. A run of one batch never starts a worker.
"""

from __future__ import annotations

import collections
import multiprocessing
import os

# The judging function of the pool this worker process belongs to (set once by the initializer, in
# the worker only: a forked process has exactly one job to do).
_JUDGE = None


def available_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class Inline:
    """--jobs 1: judge each batch here and hand its output on at once."""

    def __init__(self, judge, emit):
        self.judge, self.emit = judge, emit

    def submit(self, facilities) -> None:
        self.emit(self.judge(facilities))

    def finish(self) -> None:
        pass

    def close(self) -> None:
        pass


class Workers:
    """--jobs N: at most 2N batches in flight; outputs handed on in the order the batches came."""

    def __init__(self, jobs: int, judge, emit):
        self.jobs, self.judge, self.emit = jobs, judge, emit
        self.pool = None
        self.held = None  # the first batch, judged here if it turns out to be the only one
        self.pending: collections.deque = collections.deque()

    def submit(self, facilities) -> None:
        if self.pool is None and self.held is None:
            self.held = facilities
            return
        if self.pool is None:
            from concurrent.futures import ProcessPoolExecutor

            self.pool = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("fork"),
                                            initializer=_start, initargs=(self.judge,))
            self._send(self.held)
            self.held = None
        self._send(facilities)
        while self.pending and (self.pending[0].done() or len(self.pending) > 2 * self.jobs):
            self.emit(self.pending.popleft().result())

    def _send(self, facilities) -> None:
        from ..evaluator.facts import to_plain

        self.pending.append(self.pool.submit(_judge, [to_plain(f) for f in facilities]))

    def finish(self) -> None:
        if self.held is not None:
            self.emit(self.judge(self.held))
            self.held = None
        while self.pending:
            self.emit(self.pending.popleft().result())

    def close(self) -> None:
        if self.pool is not None:
            for future in self.pending:
                future.cancel()
            self.pool.shutdown(wait=True, cancel_futures=True)


def runner(jobs: int, judge, emit):
    """Inline for one job (or where processes cannot be forked), else Workers."""
    return Workers(jobs, judge, emit) if jobs > 1 and can_fork() else Inline(judge, emit)


def _start(judge) -> None:
    global _JUDGE
    _JUDGE = judge


def _judge(plain):
    from ..evaluator.facts import from_plain

    sources: dict = {}
    return _JUDGE([from_plain(f, sources) for f in plain])
