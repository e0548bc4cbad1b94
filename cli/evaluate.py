"""`policy eval`: parses its options into one request, calls the façade (cli/api.py), renders the Run."""

from __future__ import annotations

import datetime
import functools
import re
import sys

from ..dsl.dates import why_not_a_date

from . import escape, exits
from .api import FAIL_ON, EvalRequest, InvalidInput, InvalidPolicy, UsageError

# Every evaluation reads its input, loads or compiles its plans, judges and renders: these modules are
# imported with the command, so within cli/main.py's start-up (made with the collector paused, then
# frozen out of its walks), not in the middle of the run.
from ..evaluator import home, inputs, plan_cache  # noqa: E402,F401,I001
from . import jsonl, render  # noqa: E402,F401

EXPLAINED_FORMATS = ("table", "json", "markdown")  # --format summary has one line per evaluation: no room


# The dates the tool judges at (--as-of, timeline years; docs/facility.md, "Limits"). Wide enough for any
# law and any plan, narrow enough that every date computed from them (a period a year on, a timeline 61
# years on, a deadline some months on) stays inside the calendar Python can hold (years 1 to 9999).
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2199, 12, 31)
_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")  # [0-9]: no full-width or other script's digits


def parse_as_of(text: str | None) -> datetime.date:
    """--as-of: exactly YYYY-MM-DD (not 20310101, not 2031-W01), a day that exists, from EARLIEST to LATEST."""
    if text is None:
        return datetime.date.today()
    if not _ISO_DAY.match(text):
        raise UsageError(f'--as-of "{escape.field(text)}" is not a date; write YYYY-MM-DD, e.g. 2031-04-01')
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f'--as-of "{text}" is not a date that exists; {why_not_a_date(text)}') from None
    if not EARLIEST <= day <= LATEST:
        raise UsageError(f"--as-of {text} is outside the dates dcpolicy judges at, {EARLIEST} to {LATEST}")
    return day


def check_year(option: str, year: int | None) -> None:
    """A year option (timeline --from, --to) within the years of EARLIEST and LATEST."""
    if year is not None and not EARLIEST.year <= year <= LATEST.year:
        raise UsageError(f"{option} {year} is outside the years dcpolicy judges, {EARLIEST.year} to {LATEST.year}")


def parse_fail_on(text: str) -> frozenset[str]:
    chosen = {part.strip() for part in text.split(",") if part.strip()}
    unknown = chosen - set(FAIL_ON)
    if unknown:
        raise UsageError(f"--fail-on takes {', '.join(FAIL_ON)} (comma-separated), not {', '.join(sorted(unknown))}")
    return frozenset(chosen)


def check_explain(explain: bool, output_format: str) -> None:
    from .ci_formats import CI_FORMATS

    if explain and output_format not in EXPLAINED_FORMATS + CI_FORMATS:  # CI formats always carry the trace
        raise UsageError(f"--explain cannot be shown in --format {output_format} (one line per evaluation); "
                         f"use --format {', '.join(EXPLAINED_FORMATS[:-1])} or {EXPLAINED_FORMATS[-1]}")


def read_options(args):
    """--max-input-size and --allow-outside as dsl/files.py ReadOptions."""
    from ..dsl.files import DEFAULT_MAX_BYTES, ReadOptions, parse_size

    text = getattr(args, "max_input_size", None)
    try:
        max_bytes = DEFAULT_MAX_BYTES if text is None else parse_size(text)
    except ValueError as err:
        raise UsageError(f"--max-input-size {err}") from None
    return ReadOptions(max_bytes, bool(getattr(args, "allow_outside", False)))


def stdin_input(request) -> str | None:
    """Standard input as text when "-" is among the inputs: at most the size limit, UTF-8 (else InvalidInput, located)."""
    if "-" not in request.inputs:
        return None
    from ..dsl.diagnostics import DiagnosticError, Span, utf8_error_position
    from ..dsl.facility_messages import F101
    from ..dsl.files import STDIN, TooLarge, read_stdin

    limit = request.reading.max_bytes
    buffer = getattr(sys.stdin, "buffer", None)
    try:
        if buffer is None:  # a text stream put in its place (tests)
            text = sys.stdin.read(limit + 1)
            data = text.encode("utf-8", "surrogateescape")
            if len(text) > limit:
                raise TooLarge(0, f"it is more than {limit:,} characters, over the input size limit", STDIN)
        else:
            data = read_stdin(buffer, limit)
    except TooLarge as err:
        raise InvalidInput(DiagnosticError([F101.too_large.at(Span.point(STDIN, 1, 1), file=STDIN,
                                                              reason=err.strerror)])) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = utf8_error_position(data, exc)
        raise InvalidInput(DiagnosticError([F101.input_not_utf8.at(Span.point(STDIN, line, column), file=STDIN,
                                                                   byte=data[exc.start])])) from None


# --trace: how much of each rule's trace the output carries, "none", "reasons" (one step per clause: its
# expression, value and place in the policy) or "full" (the tree of steps, --explain). Without it, each
# format shows what it always has: JSON one step per clause, the tables and SARIF and GitHub annotations
# none, JUnit, TAP and the HTML page's explanations the tree (docs/results.md, "Trace").
TRACE_DEFAULTS = {"json": "reasons", "jsonl": "reasons", "table": "none", "markdown": "none", "summary": "none",
                  "verdicts": "none",
                  "html": "full", "junit": "full", "tap": "full", "sarif": "none", "github": "none"}


def trace_mode(args) -> str:
    """--trace as the output format honours it (--explain is --trace full); UsageError where it cannot be."""
    chosen = getattr(args, "trace", None)
    if args.explain and chosen not in (None, "full"):
        raise UsageError(f"--explain shows the full trace; it cannot go with --trace {chosen}")
    if args.explain:
        return "full"
    if chosen is None:
        return TRACE_DEFAULTS[args.format]
    if args.format in ("summary", "verdicts") and chosen != "none":
        room = "one line per evaluation" if args.format == "summary" else "verdicts alone, one line per rule"
        raise UsageError(f"--trace {chosen} cannot be shown in --format {args.format} ({room}); "
                         "use --format table, markdown or json")
    return chosen


def request_from(args) -> EvalRequest:
    """The parsed arguments as one frozen request (UsageError for a value that cannot be read)."""
    check_explain(args.explain, args.format)
    trace_mode(args)
    return EvalRequest(inputs=tuple(args.inputs), as_of=parse_as_of(args.as_of), jurisdictions=args.jurisdiction,
                       policy_files=tuple(args.policy or ()), period=args.period,
                       fail_on=parse_fail_on(args.fail_on), overrides=tuple(getattr(args, "overrides", ()) or ()),
                       reading=read_options(args))


def run(args) -> int:
    from .api import evaluate_all

    if getattr(args, "record", None):  # the same run, kept with its inputs for `policy replay` (cli/record.py)
        from .record import record

        return record(args, run)
    if args.format == "html":  # the report's matrices and explanations: it needs the plans beside the Run
        from .report import page  # (it explains every failing or unknown rule, with or without --explain)
        from .views import run_view

        try:
            trace = trace_mode(args)
        except UsageError as err:
            print(f"policy eval: error: {err}", file=sys.stderr)
            return exits.USAGE
        return run_view(args, "eval", lambda evaluated, request, _: page(
            evaluated, request, ("matrix", "obligations", "explained", "audit"), trace=trace))

    try:
        request = request_from(args)
        stdin_text = stdin_input(request)
        if args.format == "jsonl":
            _check_overrides(request.overrides)  # before the header is written
            return _stream(request, stdin_text, trace_mode(args), parse_jobs(getattr(args, "jobs", None)))
        if args.format == "verdicts":  # verdicts alone, one CSV row per rule (cli/verdict_rows.py)
            from .verdict_rows import stream

            _check_overrides(request.overrides)
            return stream(request, stdin_text, parse_jobs(getattr(args, "jobs", None)), _StreamOutput())
        evaluated = evaluate_all(request, stdin_text)
        result = evaluated.run
    except UsageError as err:
        print(f"policy eval: error: {err}", file=sys.stderr)
        return exits.USAGE
    except InvalidPolicy as err:
        print(err.diagnostics.render(), file=sys.stderr)
        print("policy eval: a policy file is invalid; run `policy check` on it", file=sys.stderr)
        return exits.INVALID_POLICY
    except InvalidInput as err:
        print(err.diagnostics.render(), file=sys.stderr)
        count = len(err.diagnostics.diagnostics)
        done = "only what came before the first error was evaluated" if args.format in ("jsonl", "verdicts") \
            else "nothing was evaluated"
        print(f"policy eval: {count} input error{'s' * (count != 1)}; {done}", file=sys.stderr)
        return exits.USAGE
    if result.unjudged:
        from .api import home_jurisdictions
        from .site_words import unjudged

        print(unjudged(result.unjudged, home_jurisdictions()), file=sys.stderr)
    options = options_record(request, evaluated.plans, trace_mode(args)) if args.format == "json" else None
    _render(result, args, options)
    return exits.for_run(result, request.fail_on)


def options_record(request, plans, trace: str | None) -> dict:
    """The options a JSON result records (docs/results.md, "Options"): what was asked and what it used."""
    from .jsonl import options

    return options(request, plans, trace)


def _stream(request, stdin_text, trace: str, jobs: int) -> int:
    """--format jsonl: the header, then each batch's lines as soon as it is judged (by --jobs workers)."""
    from ..evaluator.results import SET_ASIDE, Run
    from . import api
    from .jsonl import Writers, jsonl_header

    from .stream import chosen_policies

    writers = Writers(trace)  # one per process (each --jobs worker its own copy)
    counting = tuple(r for r in SET_ASIDE if r in request.fail_on)
    chosen = options_record(request, api.compile_plans(chosen_policies(request)), trace)
    sys.stdout.write(jsonl_header(Run(request.as_of, (), (), counting), chosen))
    output = _StreamOutput()
    unjudged: list[str] = []  # -j home: facilities no chosen regime governs
    applied: list = []  # --set: the facts the overrides replaced, the stream's last line
    try:
        api.evaluate_stream(request, output.emit, stdin_text, batch_size=api.STREAM_BATCH, jobs=jobs,
                            render=functools.partial(_jsonl_batch, writers, request.fail_on), provenance=trace == "full",
                            unjudged=unjudged, render_parts=functools.partial(_jsonl_parts, writers, request.fail_on),
                            applied=applied, encoding=_spool_encoding(sys.stdout))
    finally:
        output.stop()
    if request.overrides:
        from .jsonl import jsonl_overrides

        sys.stdout.write(jsonl_overrides(applied))
    if unjudged:
        from .site_words import unjudged as unjudged_note

        print(unjudged_note(unjudged, api.home_jurisdictions()), file=sys.stderr)
    return output.code


class _StreamOutput:
    """A streamed run's output (jsonl, verdicts): each batch's text written as soon as it comes, its exit code
    kept (`code`: the worst), and the facilities evaluated so far on stderr, only when stderr is a terminal
    (rich; gone when the run ends). The progress appears with the first batch written, so a run of one batch
    never shows it."""

    def __init__(self):
        self.bar = None
        self.task = None
        self.code = exits.OK

    def emit(self, rendered) -> None:
        text, code, facilities = rendered
        if isinstance(text, str):
            sys.stdout.write(text)
        else:  # spool.Spooled: --jobs workers' text, copied from their files
            text.write_to(sys.stdout)
        sys.stdout.flush()
        self.code = max(self.code, code)
        self.advance(facilities)

    def advance(self, facilities: int) -> None:
        if not sys.stderr.isatty():
            return
        if self.bar is None:
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self.bar = Progress(SpinnerColumn(), TextColumn("policy eval: {task.completed:,} facilities evaluated"),
                                TimeElapsedColumn(), console=Console(file=sys.stderr), transient=True,
                                redirect_stdout=False, redirect_stderr=False)  # results go to stdout untouched
            self.bar.start()
            self.task = self.bar.add_task("evaluating", total=None)
        self.bar.advance(self.task, facilities)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def _spool_encoding(stream):
    """The output's encoding when it is a file descriptor the --jobs workers' files can be copied to (cli/spool.py);
    None for any other stream (a test's capture), which then gets the text itself."""
    import io

    from .spool import Encoding

    try:
        stream.fileno()
        return Encoding(stream.encoding, stream.errors) if stream.encoding and hasattr(stream, "buffer") else None
    except (AttributeError, OSError, io.UnsupportedOperation):
        return None


def _jsonl_batch(writers, fail_on, run) -> tuple[str, int, int]:
    """One batch as its jsonl text, its exit code and its number of facilities (run in a worker with --jobs)."""
    from .jsonl import jsonl_lines

    facilities = len({e.facility for e in run.evaluations})
    return "".join(jsonl_lines(run, writers.trace, writers)), exits.for_run(run, fail_on), facilities


def _check_overrides(texts) -> None:
    """--set texts that cannot be read are a usage error before anything is written."""
    if not texts:
        return
    from ..evaluator.overrides import OverrideError, parse_overrides

    try:
        parse_overrides(texts)
    except OverrideError as err:
        raise UsageError(str(err)) from None


def _jsonl_parts(writers, fail_on, run) -> tuple[str, dict[str, str], int]:
    """One operator's facilities as their evaluation lines, operator lines by jurisdiction and exit code."""
    from .jsonl import jsonl_parts

    return (*jsonl_parts(run, writers.trace, writers), exits.for_run(run, fail_on))


def parse_jobs(text: str | None) -> int:
    """--jobs N (a whole number from 1), or "auto" / absent: every core this process may use."""
    from .workers import available_cores

    if text is None or text == "auto":
        return available_cores()
    if not text.isdigit() or int(text) < 1:
        raise UsageError(f'--jobs takes a whole number from 1, or "auto", not "{text}"')
    return int(text)


def _render(result, args, options=None) -> None:
    from . import render
    from .ci_formats import CI_FORMATS

    if result.overrides and args.format in ("table", "summary", "markdown"):
        from .site_words import what_if_lines

        prefix = "> " if args.format == "markdown" else ""
        sys.stdout.write("".join(f"{prefix}{line}\n" for line in what_if_lines(result.overrides)) + "\n")
    if args.format in CI_FORMATS:
        from .ci_formats import write
        from .ci_model import from_run

        sys.stdout.write(write(args.format, from_run(result, parse_fail_on(args.fail_on), trace_mode(args)), "eval"))
    elif args.format == "json":
        from .jsonl import json_document

        pieces = json_document(result, trace_mode(args), options)
        if result.overrides:  # what-if: the document gains the facts --set replaced
            from .views import with_overrides

            pieces = [with_overrides("".join(pieces), result.overrides, "json")]
        sys.stdout.writelines(pieces)
    elif args.format == "summary":
        sys.stdout.write(render.to_summary(result))
    elif args.format == "markdown":
        sys.stdout.write(render.to_markdown(result, trace_mode(args)))
    else:
        from rich.console import Console

        class _Console(Console):
            def on_broken_pipe(self) -> None:  # rich would exit 1, which reads as a failing rule
                self.quiet = True
                raise BrokenPipeError  # main.console() ends quietly, like every other command

        from .table_layout import table_width

        console = _Console(width=table_width(), soft_wrap=False)  # COLUMNS honoured when piped too
        render.to_table(result, trace_mode(args), console)
