"""`policy eval`: parses its options into one request, calls the façade (cli/api.py), renders the Run."""

from __future__ import annotations

import datetime
import sys

from . import exits
from .api import FAIL_ON, EvalRequest, InvalidInput, InvalidPolicy, UsageError

EXPLAINED_FORMATS = ("table", "json", "markdown")  # --format summary has one line per evaluation: no room


def parse_as_of(text: str | None) -> datetime.date:
    if text is None:
        return datetime.date.today()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f'--as-of "{text}" is not a date; write YYYY-MM-DD, e.g. 2031-04-01') from None


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


def request_from(args) -> EvalRequest:
    """The parsed arguments as one frozen request (UsageError for a value that cannot be read)."""
    check_explain(args.explain, args.format)
    return EvalRequest(inputs=tuple(args.inputs), as_of=parse_as_of(args.as_of), jurisdictions=args.jurisdiction,
                       policy_files=tuple(args.policy or ()), period=args.period,
                       fail_on=parse_fail_on(args.fail_on), overrides=tuple(getattr(args, "overrides", ()) or ()))


def run(args) -> int:
    from .api import evaluate

    if args.format == "html":  # the report's matrices and explanations: it needs the plans beside the Run
        from .report import page  # (it explains every failing or unknown rule, with or without --explain)
        from .views import run_view

        return run_view(args, "eval", lambda evaluated, request, _: page(
            evaluated, request, ("matrix", "obligations", "explained", "audit")))

    try:
        request = request_from(args)
        stdin_text = sys.stdin.read() if "-" in request.inputs else None
        result = evaluate(request, stdin_text)
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
        print(f"policy eval: {count} input error{'s' * (count != 1)}; nothing was evaluated", file=sys.stderr)
        return exits.USAGE
    if result.unjudged:
        from .api import home_jurisdictions
        from .site_words import unjudged

        print(unjudged(result.unjudged, home_jurisdictions()), file=sys.stderr)
    _render(result, args)
    return exits.for_run(result, request.fail_on)


def _render(result, args) -> None:
    from . import render
    from .ci_formats import CI_FORMATS

    if result.overrides and args.format in ("table", "summary", "markdown"):
        from .site_words import what_if_lines

        prefix = "> " if args.format == "markdown" else ""
        sys.stdout.write("".join(f"{prefix}{line}\n" for line in what_if_lines(result.overrides)) + "\n")
    if args.format in CI_FORMATS:
        from .ci_formats import write
        from .ci_model import from_run

        sys.stdout.write(write(args.format, from_run(result, parse_fail_on(args.fail_on)), "eval"))
    elif args.format == "json":
        text = render.to_json(result, explain=args.explain)
        if result.overrides:
            from .views import with_overrides

            text = with_overrides(text, result.overrides, "json")
        sys.stdout.write(text)
    elif args.format == "summary":
        sys.stdout.write(render.to_summary(result))
    elif args.format == "markdown":
        sys.stdout.write(render.to_markdown(result, args.explain))
    else:
        from rich.console import Console

        class _Console(Console):
            def on_broken_pipe(self) -> None:  # rich would exit 1, which reads as a failing rule
                self.quiet = True
                raise BrokenPipeError  # main.console() ends quietly, like every other command

        from .table_layout import table_width

        console = _Console(width=table_width(), soft_wrap=False)  # COLUMNS honoured when piped too
        render.to_table(result, args.explain, console)
