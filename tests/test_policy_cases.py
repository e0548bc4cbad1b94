"""Runs every shipped policy test case (policies/tests/*.yaml) as a pytest case."""

import pytest

from dcpolicy.cli.cases import PlanCache, case_files, load_cases, run_case

CASES = [case for path in case_files([]) for case in load_cases(path)]
PLANS = PlanCache()


@pytest.mark.parametrize("case", CASES, ids=[f"{c.id} {c.name[:60]}" for c in CASES])
def test_policy_case(case):
    problems = run_case(case, PLANS)
    assert not problems, "\n".join(problems)
