"""`policy test`: run the policies' data-driven test cases and report each failure (cases: cli/cases.py)."""

from __future__ import annotations

import sys

from . import exits


def run(args) -> int:
    from .api import InvalidPolicy, UsageError, run_cases
    from .cases import CaseFileError

    try:
        outcomes = run_cases(args.paths, args.k, strict=args.strict)
    except (CaseFileError, UsageError) as err:
        print(f"policy test: error: {err}", file=sys.stderr)
        return exits.USAGE
    except InvalidPolicy as err:
        print(err.diagnostics.render(), file=sys.stderr)
        return exits.INVALID_POLICY
    if args.format != "text":
        from .ci_formats import write
        from .ci_model import from_cases

        sys.stdout.write(write(args.format, from_cases(outcomes), "test"))
        return exits.FAIL if any(o.problems for o in outcomes) else exits.OK
    failed = 0
    for outcome in outcomes:
        case = outcome.case
        if outcome.problems:
            failed += 1
            print(f"FAIL {case.id} {case.name}  ({case.file}:{case.line})")
            for problem in outcome.problems:
                print("     " + problem.replace("\n", "\n     "))
        elif args.verbose:
            print(f"ok   {case.id} {case.name}")
    print(f"{len(outcomes) - failed} passed, {failed} failed")
    return exits.FAIL if failed else exits.OK
