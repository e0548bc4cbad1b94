"""The exit codes of every `policy` command, in one place (README, "Exit codes")."""

from __future__ import annotations

OK = 0  # no mandatory rule in force fails; a check or test run found nothing wrong
FAIL = 1  # a mandatory rule in force fails (or, with --fail-on, a wider set); a test case failed; fmt --check
USAGE = 2  # bad input or usage: arguments, facility data, case files
INVALID_POLICY = 3  # a policy file does not parse or check
INTERNAL_ERROR = 4  # an unexpected exception: a bug in dcpolicy, never a verdict
OUTPUT_FAILED = 5  # stdout could not be written (a full disk, a quota, a file too large): the output is incomplete
CLOSED_PIPE = 141  # what a shell reports for a program stopped by SIGPIPE (128 + 13)


def for_run(run, fail_on) -> int:
    from ..evaluator.status import fails

    return FAIL if fails(run, fail_on) else OK
