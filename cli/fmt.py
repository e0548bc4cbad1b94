"""`policy fmt PATH…`: print policies in canonical layout, keeping comments; `-` reads stdin.

Modes: print (the default: every file's canonical text, formatted already or not), `--write` (rewrite
in place), `--check` (exit 1 listing the files not in layout), `--diff` (a unified diff per file; exit 1
when any differs). Before anything is printed or written, the formatted text is parsed again and must
give the same AST as the original: the formatter may move text, never change what it means.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

from ..dsl.diagnostics import DiagnosticError
from ..dsl.files import read_input, read_stdin

from . import exits

STDIN = "-"


class LayoutChangedMeaning(Exception):
    """The formatted text parses to another AST than the source: a formatter bug, never written."""


def _source_text(path: Path | None, display: str) -> str:
    """A policy's text: a regular file or stdin, within the input size limit (dsl/files.py), UTF-8
    (else a DiagnosticError at the first byte that is not)."""
    from ..dsl.parser import decode_policy

    buffer = getattr(sys.stdin, "buffer", None)
    if path is None and buffer is None:  # a text stream put in its place (tests)
        return sys.stdin.read()
    return decode_policy(read_stdin(buffer) if path is None else read_input(path), display)


def run(args) -> int:
    from ..dsl.loader import policy_files

    sources = []  # (display name, path or None for stdin)
    try:
        for raw in args.paths:
            if raw == STDIN:
                sources.append(("<stdin>", None))
            else:
                sources.extend((str(path), path) for path in policy_files([raw]))
    except DiagnosticError as err:
        print(err.render(), file=sys.stderr)
        return exits.USAGE
    if args.write and any(path is None for _, path in sources):
        print("policy fmt: error: --write cannot rewrite stdin; leave out --write to print it", file=sys.stderr)
        return exits.USAGE
    changed = []
    for display, path in sources:
        try:
            text = _source_text(path, display)
            formatted = canonical(text, display)
        except DiagnosticError as err:
            print(err.render(), file=sys.stderr)
            return exits.INVALID_POLICY
        except OSError as err:
            print(f"policy fmt: error: {display}: cannot read: {getattr(err, 'strerror', None) or err}",
                  file=sys.stderr)
            return exits.USAGE
        except LayoutChangedMeaning as err:
            print(f"policy fmt: internal error: {err}\nThis is a bug in dcpolicy; nothing was written. "
                  "Please report it with the file.", file=sys.stderr)
            return exits.INTERNAL_ERROR
        if args.diff:
            sys.stdout.writelines(difflib.unified_diff(text.splitlines(keepends=True),
                                                       formatted.splitlines(keepends=True),
                                                       f"{display} (as written)", f"{display} (formatted)"))
        elif not (args.write or args.check):  # printing shows every file, formatted already or not
            sys.stdout.write(formatted)
        if formatted == text:
            continue
        changed.append(display)
        if args.write:
            Path(path).write_text(formatted, encoding="utf-8")
    if args.check:
        for display in changed:
            print(f"{display}: would be reformatted", file=sys.stderr)
        return exits.FAIL if changed else exits.OK
    if args.write:
        for display in changed:
            print(f"{display}: reformatted")
    if args.diff:
        return exits.FAIL if changed else exits.OK
    return exits.OK


def canonical(text: str, display: str) -> str:
    """The canonical layout of a policy text, proven to parse to the same AST as the text."""
    from ..dsl.formatter import format_policy
    from ..dsl.parser import parse

    policy = parse(text, display)
    formatted = format_policy(policy, text)
    try:
        again = parse(formatted, display)
    except DiagnosticError as err:
        raise LayoutChangedMeaning(f"{display}: the formatted text does not parse: {err}") from None
    if again != policy:
        raise LayoutChangedMeaning(f"{display}: the formatted text parses to a different policy")
    return formatted
