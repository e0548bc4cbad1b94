"""`policy test`: run the policies' data-driven test cases and report each failure (cases: cli/cases.py)."""

from __future__ import annotations

import sys

from . import exits
from .escape import lines


def run(args) -> int:
    from .api import InvalidPolicy, UsageError, run_cases
    from .cases import CaseFileError

    try:
        outcomes = run_cases(args.paths, args.k, strict=args.strict, keep_runs=_wants_coverage(args))
    except (CaseFileError, UsageError) as err:
        print(f"policy test: error: {err}", file=sys.stderr)
        return exits.USAGE
    except InvalidPolicy as err:
        print(err.diagnostics.render(), file=sys.stderr)
        return exits.INVALID_POLICY
    covered = _coverage(outcomes, args)
    if args.format != "text":
        from .ci_formats import write
        from .ci_model import from_cases

        sys.stdout.write(write(args.format, from_cases(outcomes), "test"))
        return _exit(outcomes, covered, args)
    failed = 0
    for outcome in outcomes:
        case = outcome.case
        if outcome.problems:
            failed += 1
            print(lines(f"FAIL {case.id} {case.name}  ({case.file}:{case.line})"))  # cli/escape.py: no control
            for problem in outcome.problems:                                            # character acts on a terminal
                print(lines("     " + problem.replace("\n", "\n     ")))
        elif args.verbose:
            print(lines(f"ok   {case.id} {case.name}"))
    if covered is not None and args.coverage:
        from .coverage import report

        print("\n".join(report(covered)))
    print(f"{len(outcomes) - failed} passed, {failed} failed")
    return _exit(outcomes, covered, args)


def _coverage(outcomes, args):
    """The coverage of the run, when --coverage or --fail-under asks for it."""
    if not _wants_coverage(args):
        return None
    from .coverage import coverage

    return coverage(outcomes.plans, [(o.run, {str(key).split("@")[0] for key in o.case.expect})
                                     for o in outcomes if o.run is not None])


def _wants_coverage(args) -> bool:
    return bool(args.coverage or args.fail_under is not None)


def _exit(outcomes, covered, args) -> int:
    if any(o.problems for o in outcomes):
        return exits.FAIL
    if covered is not None and args.fail_under is not None and covered.percent < args.fail_under:
        print(f"policy test: coverage {covered.percent:.1f}% is under --fail-under {args.fail_under:g}%",
              file=sys.stderr)
        return exits.FAIL
    return exits.OK
