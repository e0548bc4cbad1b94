"""The `policy` command: wires the stages together; each subcommand lives in its own module."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys

from .exits import CLOSED_PIPE as EXIT_CLOSED_PIPE
from .exits import INTERNAL_ERROR as EXIT_INTERNAL_ERROR
from .exits import OUTPUT_FAILED as EXIT_OUTPUT_FAILED

DEBUG_VARIABLE = "DCPOLICY_DEBUG"


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors exit 2 with one clear line, never a traceback
        self.print_usage(sys.stderr)
        print(f"policy: error: {message}", file=sys.stderr)
        raise SystemExit(2)

    def _get_formatter(self):
        # argparse makes a formatter for every option it adds, sized by shutil.get_terminal_size: the same
        # width, read without importing shutil (and zlib, bz2 and lzma with it) on every start
        return self.formatter_class(prog=self.prog, width=_terminal_columns() - 2)


def _terminal_columns() -> int:
    """shutil.get_terminal_size().columns: $COLUMNS, else the terminal's width, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole parser; with `only` (a subcommand's name) just that subcommand's options, so a run pays for
    the one it runs and imports no other command's module (the usage line still names every command)."""
    from .. import __version__

    parser = _Parser(prog="policy", description="Check data-centre efficiency policies and evaluate facilities against them.")
    parser.add_argument("--version", action="version", version=f"dcpolicy {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser,
                                     metavar=None if only is None else "{" + ",".join(SUBCOMMANDS) + "}")
    for name in SUBCOMMANDS if only is None else (only,):
        SUBCOMMANDS[name](commands, name)
    from .help_text import apply

    apply(commands)
    return parser


def _check_options(commands, name) -> None:
    from .ci_formats import CI_FORMATS

    check = commands.add_parser(name, help="parse and check policy files")
    check.add_argument("paths", nargs="+", metavar="PATH", help="policy files or folders of them")
    check.add_argument("--format", choices=("text", "json", *CI_FORMATS), default="text",
                       help="text (default), json, or a CI format: junit, sarif, github (workflow annotations), tap")
    check.add_argument("--strict", action="store_true", help="warnings fail the run too (exit 3)")


def _eval_options(commands, name) -> None:
    from .ci_formats import CI_FORMATS

    evaluate = commands.add_parser(name, help="evaluate facilities against policies")
    evaluate.add_argument("inputs", nargs="+", metavar="FACILITY",
                          help="facility or portfolio YAML files, folders of them, or - for stdin")
    evaluate.add_argument("-j", "--jurisdiction", metavar="CODES",
                          help='one code (de), several (de,jp), "all" (jp, de, cn, eu, ie, sg, fr, nl for every facility) or "home" '
                               "(each facility under the regimes whose territory contains its location; home,jp adds "
                               "jp for all); a shipped file stem (de-draft-2026) works too, in any case (default: "
                               "home when every facility has location.country, else all; unless --policy is given)")
    evaluate.add_argument("--policy", action="append", metavar="FILE",
                          help="evaluate against this policy file (repeatable); with -j, against both")
    evaluate.add_argument("--as-of", metavar="YYYY-MM-DD", help="evaluation date (default: today)")
    evaluate.add_argument("--period", metavar="LABEL", help="reporting period to judge, e.g. 2030 or FY2030 "
                          "(default: the latest that ends on or before --as-of)")
    add_input_limits(evaluate)
    evaluate.add_argument("--explain", action="store_true",
                          help="show the tree of steps of every rule (table, markdown and json formats)")
    evaluate.add_argument("--set", action="append", default=[], metavar="PATH=VALUE", dest="overrides",
                          help='what-if: override a fact as if the file said it, e.g. --set period.energy.total="27 '
                               'GWh" (repeatable; period.x is the latest period, period[2024].x a named one, '
                               "ID:PATH=VALUE one facility); the results list what was overridden")
    evaluate.add_argument("--format", choices=("table", "summary", "json", "jsonl", "verdicts", "markdown", "html",
                                               *CI_FORMATS),
                          default="table",
                          help="table (default), summary, json, jsonl (one evaluation per line, written as produced, "
                               "memory flat: registers), verdicts (CSV, one row per rule: verdicts alone, no "
                               "reasons, the fastest register sweep), markdown, html (a self-contained page: the matrix, "
                               "every failing or unknown rule explained, the audit block; policy report adds the "
                               "timeline and priorities), or a CI format: junit, sarif, github (workflow "
                               "annotations), tap")
    evaluate.add_argument("--trace", choices=("none", "reasons", "full"),
                          help="how much of each rule's trace to show: none, reasons (one step per clause) or full "
                               "(the tree of steps, as --explain); default: reasons for json and jsonl, full for junit, "
                               "tap and html, none for the others (summary: only none)")
    evaluate.add_argument("--jobs", metavar="N", help="jsonl, verdicts: evaluate in N processes (default auto: every core; "
                          "a run of one batch uses one), output identical to --jobs 1")
    evaluate.add_argument("--record", metavar="DIR",
                          help="also write the exact inputs, the policies' sha256, the options and the result to the "
                               "new folder DIR, so that `policy replay DIR` reproduces the verdict byte for byte")
    evaluate.add_argument("--fail-on", default="mandatory", metavar="LIST",
                          help="exit 1 when: mandatory (a mandatory rule in force fails; default), unknown (also a "
                               "mandatory rule is unknown), target (also a target fails), proposed (count proposed "
                               "rules too, in the status as well), projection (count verdicts projected from figures "
                               "that predate the rule too); comma-separated")


def _fmt_options(commands, name) -> None:
    fmt = commands.add_parser(name, help="print policies in canonical layout (comments kept)")
    fmt.add_argument("paths", nargs="+", metavar="PATH", help="policy files or folders of them, or - for stdin")
    mode = fmt.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="rewrite the files in place")
    mode.add_argument("--check", action="store_true", help="exit 1 listing the files not in canonical layout")
    mode.add_argument("--diff", action="store_true", help="print a unified diff per file; exit 1 if any differs")


def _test_options(commands, name) -> None:
    from .ci_formats import CI_FORMATS

    test = commands.add_parser(name, help="run policy test cases")
    test.add_argument("paths", nargs="*", metavar="PATH",
                      help="test case files or folders (default: the shipped policies' tests)")
    test.add_argument("-k", metavar="TEXT", help="only cases whose name contains TEXT")
    test.add_argument("-v", "--verbose", action="store_true", help="list every case")
    test.add_argument("--format", choices=("text", *CI_FORMATS), default="text",
                      help="text (default) or a CI format: junit, sarif, github (workflow annotations), tap")
    test.add_argument("--coverage", action="store_true",
                      help="report which rules, tiers, reliefs, exclusions and band rows no case reaches")
    test.add_argument("--fail-under", type=_percent, metavar="PCT",
                      help="exit 1 when the coverage is under PCT percent (implies computing it)")
    test.add_argument("--strict", action="store_true",
                      help="a warning in a policy the cases run against fails the run (exit 3)")


def _inspect_options(commands, name) -> None:
    inspect = commands.add_parser(
        name, help="print what one stage makes of a policy file (the AST, the checked AST, the plan)",
        description="Print one stage of a policy file: ast (the parsed tree, positions as file:line:col), "
                    "checked (the tree with each expression's type and dimension, literals in canonical units, "
                    "the definitions' evaluation order) or plan (the generated Python, exactly as compiled).")
    inspect.add_argument("--stage", choices=("ast", "checked", "plan"), required=True,
                         help="ast: the parser's tree; checked: with types and definition order; plan: the "
                              "generated Python source")
    inspect.add_argument("file", metavar="FILE", help="one .policy file")


def _lsp_options(commands, name) -> None:
    commands.add_parser(name, help="run the language server over stdio, for editors (needs the lsp extra)")


def _completion_options(commands, name) -> None:
    completion = commands.add_parser(name, help="print a shell completion script (bash, zsh, fish)")
    completion.add_argument("shell", nargs="?", choices=("bash", "zsh", "fish"))
    completion.add_argument("--values", choices=("jurisdictions", "rules"), help=argparse.SUPPRESS)


def _replay_options(commands, name) -> None:
    replay = commands.add_parser(name, help="run a run recorded with `policy eval --record DIR` again and compare "
                                            "its result byte for byte")
    replay.add_argument("dir", metavar="DIR", help="the folder `policy eval --record DIR` wrote")


def add_input_limits(parser) -> None:
    """--max-input-size and --allow-outside, for every command that reads facility input."""
    parser.add_argument("--max-input-size", metavar="SIZE", help="the largest input file read, e.g. 512M or 1G "
                        "(default: 256M; docs/facility.md, Limits)")
    parser.add_argument("--allow-outside", action="store_true", help="let a portfolio list files outside its own "
                        "folder (refused by default, symbolic links leading out too)")


def _percent(text: str) -> float:
    try:
        value = float(text.rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a percentage; write e.g. 90") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{text!r} is not between 0 and 100")
    return value


def _regime_options(command, required=False) -> None:
    """list, explain, schema, init: what the regimes are, their rules and the facts they read."""
    command.add_argument("-j", "--jurisdiction", metavar="CODES", required=required,
                         help='one code (de), several (de,jp) or "all"' + ("" if required else
                              " (default: every shipped policy)"))
    command.add_argument("--policy", action="append", metavar="FILE", help="a policy file of your own (repeatable)")


def _list_options(commands, name) -> None:
    listing = commands.add_parser(name, help="list the regimes, or with -j the rules of one")
    _regime_options(listing)
    listing.add_argument("--format", choices=("text", "json"), default="text")


def _explain_options(commands, name) -> None:
    explain = commands.add_parser(name, help="show one rule: citation, quoted law, dates and the facts it reads")
    explain.add_argument("rule", metavar="RULE_ID", help="a rule id as `policy list -j CODE` prints it, e.g. de.pue_new")
    _regime_options(explain)


def _schema_options(commands, name) -> None:
    schema = commands.add_parser(name, help="the facts a regime reads, with types, units and the rules that read them")
    _regime_options(schema)
    schema.add_argument("--format", choices=("text", "json"), default="text")


def _init_options(commands, name) -> None:
    init = commands.add_parser(name, help="print a commented template facility file with the facts a regime reads")
    _regime_options(init)


# The operator views (issue 10): each module has add_arguments(parser) and run(args); help in the table.
OPERATOR_VIEWS = {
    "compare": "regimes side by side: one facility's obligations by theme, or a portfolio's sites × regimes",
    "timeline": "year by year: the obligations in force per regime, the figures against them, the first year "
                "each would be missed, and a chart of the PUE limits",
    "priorities": "what to fix first: mandatory gaps by size and by deadline, coming deadlines, an iCalendar export",
    "report": "one self-contained HTML report: the matrix, the timeline chart, what to fix first, every failing or "
              "unknown rule explained, and the audit block",
}


def _view_options(commands, name) -> None:
    import importlib

    help_text = OPERATOR_VIEWS[name]
    module = importlib.import_module(f".{name}", __package__)  # only the view that runs (or all for --help)
    module.add_arguments(commands.add_parser(name, help=help_text, description=help_text[0].upper() + help_text[1:]))


# Every subcommand, in the order --help lists them -> the function that adds its parser and options.
SUBCOMMANDS = {
    "check": _check_options, "eval": _eval_options, "fmt": _fmt_options, "test": _test_options,
    "inspect": _inspect_options, "list": _list_options, "explain": _explain_options, "schema": _schema_options,
    "init": _init_options, "replay": _replay_options, "lsp": _lsp_options, "completion": _completion_options,
    **dict.fromkeys(OPERATOR_VIEWS, _view_options),
}


def main(argv: list[str] | None = None) -> int:
    """Run one command; an unexpected exception is reported as a bug with exit 4, never a traceback.
    Without `argv` the run is the process's own command line (the `policy` program): what its start-up
    creates is then kept out of the garbage collector's walks (_start_up)."""
    try:
        whole_process = argv is None
        argv = sys.argv[1:] if argv is None else argv
        # The subcommand is the first word (the only options before it, -h and --version, end the run), so
        # only its options are built; anything else (no command, a typo) gets the whole parser and its help.
        only = argv[0] if argv and argv[0] in SUBCOMMANDS else None
        with _start_up(whole_process):
            args = build_parser(only).parse_args(argv)
            command = _command(args)
        return command(args) if command is not None else 2
    except BrokenPipeError:
        raise  # the reader went away: console() ends quietly
    except OSError as err:
        return _output_failed(err) if _no_room(err) else _internal_error(err)
    except Exception as err:  # noqa: BLE001 - the last line of defence: any bug ends the same clear way
        return _internal_error(err)


def _no_room(err: OSError) -> bool:
    """A write that found no room: the output's disk is full, a quota is reached, the file is too large. Every
    file the commands write themselves (the plan cache, the --jobs spool) handles its own; this is stdout.
    (An error opening or reading a named file carries its name and is worded where it is read.)"""
    import errno

    return err.filename is None and err.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def _output_failed(err: OSError) -> int:
    print(f"policy: cannot write the output: {err.strerror or err}. What was written is incomplete: make room, "
          f"or write the output elsewhere.", file=sys.stderr)
    _drop_stdout()  # the text still buffered would fail again at exit
    return EXIT_OUTPUT_FAILED


def _drop_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _internal_error(err: Exception) -> int:
    if os.environ.get(DEBUG_VARIABLE):
        import traceback

        traceback.print_exc()
    message = str(err).strip().splitlines()[0] if str(err).strip() else "(no message)"
    print(f"policy: internal error: {type(err).__name__}: {message}\n"
          f"This is a bug in dcpolicy, not a verdict. Please report it with the command you ran and its input"
          f" (set {DEBUG_VARIABLE}=1 to see the traceback).", file=sys.stderr)
    return EXIT_INTERNAL_ERROR


# subcommand -> (module of cli/, function): imported only when its command runs, to keep start-up light
_COMMANDS = {
    "check": ("check", "run"), "eval": ("evaluate", "run"), "fmt": ("fmt", "run"), "test": ("policytest", "run"),
    "inspect": ("inspect", "run"), "list": ("catalogue", "run_list"), "explain": ("catalogue", "run_explain"),
    "completion": ("completion", "run"), "lsp": ("lsp", "run"), "schema": ("template", "run_schema"),
    "init": ("template", "run_init"), "replay": ("record", "replay"),
}


def _dispatch(args) -> int:
    command = _command(args)
    return command(args) if command is not None else 2


def _command(args):
    """The function that runs the parsed subcommand, its module imported (None for an unknown command)."""
    import importlib

    module, function = _COMMANDS.get(args.command) or (args.command, "run")  # the operator views: module = command
    if args.command not in _COMMANDS and args.command not in OPERATOR_VIEWS:
        return None
    return getattr(importlib.import_module(f".{module}", __package__), function)


@contextlib.contextmanager
def _start_up(whole_process: bool):
    """A process's start-up with the cyclic garbage collector off, then frozen out of its walks: importing
    a command's modules makes thousands of objects that live as long as the process, and collecting while
    they are made only walks them again and again (a tenth of a warm `policy eval`). Within another
    program (the tests call main(argv)) the collector is left alone."""
    if not whole_process:
        yield
        return
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # what exists now lives to the end; later collections walk only what the command makes
        if was_enabled:
            gc.enable()


def console() -> None:
    _replace_unencodable_output()
    try:
        try:
            code = main()
        except SystemExit as done:  # --help, --version, a usage error: their text is flushed below too
            code = done.code
        sys.stdout.flush()  # inside the try: a closed pipe or a full disk shows up here, not at interpreter exit
    except BrokenPipeError:
        # Python docs, "Note on SIGPIPE": point stdout at devnull so the final flush cannot fail again.
        _drop_stdout()
        code = EXIT_CLOSED_PIPE
    except OSError as err:
        code = _output_failed(err) if _no_room(err) else _internal_error(err)
    sys.exit(code)


def _replace_unencodable_output() -> None:
    """A terminal or pipe that is not UTF-8 (cp1252, ascii, the C locale) gets '?' for what it cannot
    show, not a crash; a UTF-8 one gets U+FFFD for a lone surrogate, so the output is always valid UTF-8. (Python's defaults: strict, or surrogateescape in the C locale; stderr already
    uses backslashreplace.)"""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and stream.errors in ("strict", "surrogateescape"):
            from .escape import UTF8_ERRORS  # a lone surrogate (a file name not in UTF-8) as U+FFFD

            reconfigure(errors=UTF8_ERRORS)


if __name__ == "__main__":
    console()
