"""`policy fmt PATH…`: print policies in canonical layout, keeping comments."""

from __future__ import annotations

import sys
from pathlib import Path

from ..dsl.diagnostics import DiagnosticError

from . import exits


def run(args) -> int:
    from ..dsl.formatter import format_policy
    from ..dsl.loader import policy_files
    from ..dsl.parser import parse_file

    try:
        files = policy_files(args.paths)
    except DiagnosticError as err:
        print(err.render(), file=sys.stderr)
        return exits.USAGE
    changed = []
    for path in files:
        try:
            policy, text = parse_file(str(path))
        except DiagnosticError as err:
            print(err.render(), file=sys.stderr)
            return exits.INVALID_POLICY
        formatted = format_policy(policy, text)
        if not (args.write or args.check):  # printing shows every file, formatted already or not
            sys.stdout.write(formatted)
        if formatted == text:
            continue
        changed.append(path)
        if args.write:
            Path(path).write_text(formatted, encoding="utf-8")
    if args.check:
        for path in changed:
            print(f"{path}: would be reformatted", file=sys.stderr)
        return exits.FAIL if changed else exits.OK
    if args.write:
        for path in changed:
            print(f"{path}: reformatted")
    return exits.OK
