"""`policy eval --format jsonl`: facilities read, judged and handed on batch by batch, so memory stays flat.

The façade's `evaluate_stream` (cli/api.py) calls this. Batches keep each operator's facilities together
(evaluator/batches.py); with `jobs` > 1 they are judged in worker processes and emitted in input order
(cli/workers.py). The regimes are chosen before any facility is read: -j home judges each facility under
the regimes whose territory contains it, as `policy eval` does; without -j and --policy the stream cannot
first see whether every facility gives its country, so it judges at home and stops, as a usage error, at a
facility without one (docs/results.md, "Streamed output").
"""

from __future__ import annotations

import gc

from ..dsl.diagnostics import DiagnosticError
from .api import (HOME, InvalidInput, UsageError, check_period, choose, compile_plans, evaluate_plans,
                  resolve_policies, wants_home)


def evaluate_stream(request, emit, stdin_text, batch_size: int, jobs: int, render, provenance: bool,
                    unjudged: list | None, render_parts=None, applied: list | None = None, judge_batch=None,
                    encoding=None) -> int:
    """Facilities read, judged and emitted batch by batch (_evaluate_stream), with the cyclic collector paused
    and run every few batches instead (_Collector)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _evaluate_stream(request, emit, stdin_text, batch_size, jobs, render, provenance, unjudged,
                                render_parts, applied, judge_batch, encoding)
    finally:
        if was_enabled:
            gc.enable()


class _Collector:
    """Reading and judging a batch makes tens of thousands of objects that live until the batch is written
    and are then freed by reference counting; the cyclic collector, left running, walked them again and
    again (measured: a tenth of a jsonl run's CPU). Paused for the stream, it runs once every EVERY facilities
    read or judged (in each process: a --jobs worker inherits the pause), so whatever garbage does form
    cycles is still bounded by a few batches and memory stays flat. Counted in facilities, not calls: a
    --jobs worker judges its share one operator at a time while holding the whole share, and a collection
    every few calls walked that share hundreds of times."""

    EVERY = 800

    def __init__(self):
        self.count = 0
        self.next = self.EVERY

    def counted(self, facilities) -> None:
        self.count += len(facilities)
        if self.count >= self.next:
            self.next = self.count + self.EVERY
            gc.collect()


def _evaluate_stream(request, emit, stdin_text, batch_size: int, jobs: int, render, provenance: bool,
                     unjudged: list | None, render_parts=None, applied: list | None = None, judge_batch=None,
                     encoding=None) -> int:
    """Returns how many facilities were evaluated. InvalidInput and UsageError (an operator split across the input, a facility without a country under -j home, a --period no facility has, a `--set ID:…`
    naming no facility of the input) can come after some batches were emitted. `judge_batch(plans, where,
    loaded)`, when given, judges a batch in place of the full evaluation (--format verdicts). With --set, each facility
    is judged with its overrides written in (as `policy eval` does) and `applied` gains what they replaced
    (evaluator/overrides.Applied), for the stream's last line."""
    from ..evaluator.batches import Batches, OperatorSplit
    from ..evaluator.facts import LoadedInput
    from ..evaluator.home import Chosen, judges
    from ..evaluator.inputs import StreamOrderError, load_inputs
    from .workers import runner

    from ..evaluator.overrides import OverrideError

    plans, where, home = _chosen(request)
    chosen = [Chosen(plan, flag) for plan, flag in zip(plans, where)]
    batches = Batches(batch_size)
    witnesses: dict = {}  # one facility per distinct set of periods, for the --period check at the end
    count = 0
    collector = _Collector()

    def judge(facilities):
        collector.counted(facilities)
        if judge_batch is not None:
            return render(judge_batch(plans, where, LoadedInput(tuple(facilities), ())))
        run = evaluate_plans(plans, LoadedInput(tuple(facilities), ()), request.as_of, request.period,
                             request.fail_on, where=list(where), provenance=provenance)
        return render(run) if render is not None else run

    skip = 0
    # one large register: each worker reads its share (split_stream.py); what-if overrides are written in
    # by the reading in this process, so a run with --set reads the input here
    if render_parts is not None and jobs > 1 and not request.overrides:
        from .split_stream import run_split

        def judge_parts(facilities):
            collector.counted(facilities)
            return render_parts(evaluate_plans(plans, LoadedInput(tuple(facilities), ()), request.as_of,
                                               request.period, request.fail_on, where=list(where),
                                               provenance=provenance))

        split = run_split(request, judge_parts, chosen, home, [plan.code for plan in plans], jobs, batch_size, emit,
                          unjudged, witnesses, encoding)
        if split is not None:
            count = skip = split.skip
            batches.closed.update(split.closed)
            if split.done:
                return _finish(request, plans, witnesses, count)

    batches_out = runner(jobs, judge, emit)

    def take(facility) -> None:
        nonlocal count, skip
        if skip:  # already written by the split reading
            skip -= 1
            return
        if home:
            _check_country(facility, request.jurisdictions is None)
            if unjudged is not None and not any(judges(c, facility) for c in chosen):
                unjudged.append(facility.id)
        count += 1
        witnesses.setdefault(tuple((p.label, p.kind, p.start, p.end) for p in facility.periods), facility)
        batch = batches.add(facility)
        if batch:
            collector.counted(batch)
            batches_out.submit(batch)

    try:
        try:
            loaded = load_inputs(list(request.inputs), stdin_text, sink=take, overrides=request.overrides,
                                 reading=request.reading)
        except DiagnosticError as err:
            batches_out.finish()  # what was read before the first error is written, whatever the jobs
            raise InvalidInput(err) from None
        except (OperatorSplit, StreamOrderError, OverrideError) as err:
            batches_out.finish()
            raise UsageError(str(err)) from None
        except UsageError:
            batches_out.finish()
            raise
        rest = batches.finish()
        if rest:
            batches_out.submit(rest)
        batches_out.finish()
    finally:
        batches_out.close()
    count = _finish(request, plans, witnesses, count)
    if applied is not None:
        applied.extend(loaded.overrides)
    return count


def _finish(request, plans, witnesses: dict, count: int) -> int:
    from ..evaluator.facts import LoadedInput

    if not count:
        raise UsageError("no facilities in the input")
    check_period(request.period, plans, LoadedInput(tuple(witnesses.values()), ()))
    return count


def chosen_policies(request) -> list:
    """The policy files the streamed run judges with (the files _chosen compiles), before any input is read."""
    by_default = request.jurisdictions is None and not request.policy_files
    if not by_default and not wants_home(request.jurisdictions, request.policy_files, None):
        return resolve_policies(request.jurisdictions, request.policy_files)
    from ..evaluator.facts import LoadedInput

    return [path for path, _ in choose(request.jurisdictions or HOME, request.policy_files, LoadedInput((), ()))]


def _chosen(request) -> tuple[list, tuple[bool, ...], bool]:
    """The compiled plans, where each judges (True: every facility; False: those its territory contains)
    and whether the choice is by territory (-j home, or the default without -j and --policy)."""
    by_default = request.jurisdictions is None and not request.policy_files
    if not by_default and not wants_home(request.jurisdictions, request.policy_files, None):
        plans = compile_plans(resolve_policies(request.jurisdictions, request.policy_files))
        return plans, tuple(True for _ in plans), False
    from ..evaluator.facts import LoadedInput

    # With -j given, choose checks every facility has a country; none is read yet: take() does it.
    picked = choose(request.jurisdictions or HOME, request.policy_files, LoadedInput((), ()))
    plans = compile_plans([path for path, _ in picked])
    where = tuple(plan.territory is None if everywhere is None else everywhere
                  for plan, (_, everywhere) in zip(plans, picked))
    return plans, where, True


def _check_country(facility, by_default: bool) -> None:
    if facility.facts.get("location.country"):
        return
    from . import site_words

    if not by_default:
        raise UsageError(site_words.no_country(facility.id, facility.source.path))
    raise UsageError(f"--format jsonl streams, so without -j it cannot first see whether every facility gives its "
                     f"country and judges each under the law of its location; {facility.id} "
                     f"({facility.source.path}) has no location.country: add it (ISO 3166-1, e.g. DE), or name "
                     f"the regimes with -j (e.g. -j all)")
