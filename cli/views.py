"""What the operator views (compare, timeline, priorities, report) share: their options and error handling.

Each view evaluates like `policy eval` (same -j, --policy, --as-of, --period, --set) through the façade,
then renders from the results alone. Errors end the same way as in `policy eval`.
"""

from __future__ import annotations

import sys

from . import exits
from .api import EvalRequest, InvalidInput, InvalidPolicy, UsageError

VIEW_FORMATS = ("text", "markdown", "json", "html")


def add_options(parser, formats=VIEW_FORMATS) -> None:
    parser.add_argument("inputs", nargs="+", metavar="FILE", help="facility or portfolio YAML files, folders, or -")
    parser.add_argument("-j", "--jurisdiction", metavar="CODES",
                        help='regimes as for policy eval: home (default when every facility gives its country), '
                             'all, or codes such as home,jp or de,jp')
    parser.add_argument("--policy", action="append", metavar="FILE", help="also evaluate this policy file")
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="evaluation date (default: today)")
    parser.add_argument("--period", metavar="LABEL", help="reporting period to judge (default: the latest)")
    parser.add_argument("--set", action="append", default=[], metavar="PATH=VALUE", dest="overrides",
                        help='what-if: override a fact as if the file said it, e.g. --set period.energy.total="27 '
                             'GWh" (repeatable; period facts change the latest period)')
    parser.add_argument("--format", choices=formats, default="text")
    from .main import add_input_limits

    add_input_limits(parser)
    parser.add_argument("--width", type=int, metavar="N", help="text width (default: the terminal's, or COLUMNS)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")


def request_from(args) -> EvalRequest:
    from .evaluate import parse_as_of, parse_fail_on, read_options

    return EvalRequest(inputs=tuple(args.inputs), as_of=parse_as_of(args.as_of), jurisdictions=args.jurisdiction,
                       policy_files=tuple(args.policy or ()), period=args.period,
                       fail_on=parse_fail_on(getattr(args, "fail_on", "mandatory")),
                       overrides=tuple(getattr(args, "overrides", ()) or ()), reading=read_options(args))


def run_view(args, command: str, build) -> int:
    """Evaluate as args ask, then `build(evaluated, args)` returns the text to write; the exit code is eval's."""
    from .api import evaluate_all
    from .evaluate import stdin_input

    try:
        request = request_from(args)
        stdin_text = stdin_input(request)
        evaluated = evaluate_all(request, stdin_text)
        text = build(evaluated, request, args)
    except UsageError as err:
        print(f"policy {command}: error: {err}", file=sys.stderr)
        return exits.USAGE
    except InvalidPolicy as err:
        print(err.diagnostics.render(), file=sys.stderr)
        print(f"policy {command}: a policy file is invalid; run `policy check` on it", file=sys.stderr)
        return exits.INVALID_POLICY
    except InvalidInput as err:
        print(err.diagnostics.render(), file=sys.stderr)
        count = len(err.diagnostics.diagnostics)
        print(f"policy {command}: {count} input error{'s' * (count != 1)}; nothing was evaluated", file=sys.stderr)
        return exits.USAGE
    if evaluated.run.unjudged:
        from .api import MAIN_JURISDICTIONS
        from .site_words import unjudged

        print(unjudged(evaluated.run.unjudged, MAIN_JURISDICTIONS), file=sys.stderr)
    if evaluated.run.overrides:
        text = with_overrides(text, evaluated.run.overrides, args.format)
    if args.format in ("text", "markdown"):  # no control character from an input reaches a terminal
        from .escape import lines

        text = lines(text)
    _write(text, getattr(args, "output", None))
    return exits.for_run(evaluated.run, request.fail_on)


def with_overrides(text: str, overrides, output_format: str) -> str:
    """The output saying which facts --set overrode: a JSON key, or lines before the text."""
    from .site_words import overrides_json, what_if_lines

    if output_format == "json":
        import json

        document = json.loads(text)
        document["overrides"] = overrides_json(overrides)
        return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    if output_format in ("text", "markdown", "table", "summary"):
        prefix = "> " if output_format == "markdown" else ""
        return "".join(f"{prefix}{line}\n" for line in what_if_lines(overrides)) + "\n" + text
    return text


def _write(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from .escape import UTF8_ERRORS

    with open(output, "w", encoding="utf-8", errors=UTF8_ERRORS, newline="\n") as handle:  # always valid UTF-8
        handle.write(text)
