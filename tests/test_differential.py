"""Differential check (issue 12, item 8): each shipped regime's core numeric rules against an
independent plain-Python reference written from the law (tests/reference/<code>.py).

For every regime a seeded generator (tests/reference/common.py `Edges`) makes facilities and dates
that hit the edges the law draws — a PUE exactly at its limit and a hair either side, the day
before and the day a rule comes into force, missing facts, reliefs claimed with figures missing —
and every verdict (with its projection mark) of the policy must equal the reference's. A
disagreement is a bug in one of the two; the test prints the facility, the date and both verdicts.

The facilities are built in memory as YAML node trees and go through the real loader
(`load_facility_nodes`: conversion, defaults, invariants) and the real plans, evaluated in-process.
Bounded in CI (DCPOLICY_DIFFERENTIAL cases per regime, default 10000); a longer run on demand:
    DCPOLICY_DIFFERENTIAL=100000 .venv/bin/pytest tests/test_differential.py
and another seed with DCPOLICY_DIFFERENTIAL_SEED=<n>.
"""

from __future__ import annotations

import concurrent.futures
import datetime
import importlib
import multiprocessing
import os
import random

import attrs
import pytest

from dcpolicy.cli import api
from dcpolicy.dsl.diagnostics import DiagnosticError, Span
from dcpolicy.evaluator.facts import LoadedInput
from dcpolicy.evaluator.inputs import load_facility_nodes
from dcpolicy.evaluator.yaml_nodes import Node

from reference.common import Q, prune

CASES = int(os.environ.get("DCPOLICY_DIFFERENTIAL", "10000"))
SEED = int(os.environ.get("DCPOLICY_DIFFERENTIAL_SEED", "20261130"))
# Each shipped regime with its reference. A regime is added by writing tests/reference/<code>.py (RULES,
# generate, expected; OPERATOR_RULES and expected_operator for `for operator` rules) from the law's
# words, and its code here. PENDING: regimes being written in parallel whose reference is still to come
# (none now): a code leaves PENDING for REGIMES when its reference is written.
REGIMES = ("jp", "de", "cn", "cn_bj", "eu", "fr", "nl", "ie", "sg", "us_ca")
PENDING = ()
FILE = "differential.yaml"
SPAN = Span.point(FILE, 1, 1, 1)


def node(value) -> Node:
    """A YAML node tree for a generated value, as the loader would have composed it from text."""
    if isinstance(value, dict):
        return Node("map", tuple((_KEYS.get(k) or _key(k), node(v)) for k, v in value.items()), SPAN)
    if isinstance(value, list):
        return Node("seq", tuple(node(v) for v in value), SPAN)
    found = _SCALARS.get((type(value), value))  # nodes are immutable: one per distinct scalar
    if found is None:
        found = _SCALARS[(type(value), value)] = _scalar(value)
    return found


def _scalar(value) -> Node:
    if isinstance(value, Q):
        return Node("scalar", value.text, SPAN, text=value.text)
    if isinstance(value, bool):
        return Node("scalar", value, SPAN, text="true" if value else "false")
    if isinstance(value, (datetime.date, int, float)):
        return Node("scalar", value, SPAN, text=str(value))
    if value is None:
        return Node("scalar", None, SPAN, text="null")
    return Node("scalar", value, SPAN, text=str(value), quoted=True)


_KEYS: dict[str, Node] = {}
_SCALARS: dict[tuple, Node] = {}


def _key(name: str) -> Node:
    found = _KEYS[name] = Node("scalar", name, SPAN, text=name)
    return found


CHUNK = 10000  # cases generated, loaded and judged at a time: memory stays flat on a long run


def differences(code: str, cases: int, seed: int) -> tuple[list[str], dict[str, int]]:
    """Generate `cases` facilities and dates for one regime; the disagreements (described) and a count
    of the reference's verdicts."""
    reference = importlib.import_module(f"reference.{code}")
    rng = random.Random(f"{seed}-{code}")
    plan = api.compile_plans([api.shipped_policies()[code]])[0]
    compared = set(reference.RULES) | set(getattr(reference, "OPERATOR_RULES", ()))
    plan = attrs.evolve(plan, rules=tuple(r for r in plan.rules if r.name in compared))
    assert {r.name for r in plan.rules} == compared, f"{code}: a compared rule is not in the policy"
    problems: list[str] = []
    tally: dict[str, int] = {}
    for first in range(0, cases, CHUNK):
        _judge_chunk(code, reference, plan, rng, range(first, min(cases, first + CHUNK)), problems, tally)
    return problems, tally


def _judge_chunk(code, reference, plan, rng, numbers, problems: list, tally: dict) -> None:
    generated = []
    for index in numbers:
        written, as_of = reference.generate(rng)
        members = written if isinstance(written, list) else [written]  # a list: one operator's facilities
        for number, member in enumerate(members):
            facility = {"id": f"{code.replace('_', '-')}-{index}-{number}", "name": f"Generated {index}", **prune(member)}
            if isinstance(written, list):
                facility["operator_id"] = f"op-{index}"
            generated.append((facility, as_of))
    try:
        loaded = load_facility_nodes([node(f) for f, _ in generated], FILE, "")
    except DiagnosticError as err:  # the generator must write valid facilities
        raise AssertionError(f"{code}: the generator wrote an invalid facility:\n{err.render()[:3000]}") from None
    operators: dict[str, list[dict]] = {}  # operator_id -> its facilities (an operator is judged at one date)
    for facility, _ in generated:
        if "operator_id" in facility:
            operators.setdefault(facility["operator_id"], []).append(facility)
    by_date: dict[datetime.date, list[int]] = {}
    for index, (_, as_of) in enumerate(generated):
        by_date.setdefault(as_of, []).append(index)
    for as_of, indices in sorted(by_date.items()):
        subset = LoadedInput(tuple(loaded.facilities[i] for i in indices), loaded.sources)
        run = api.evaluate_plans([plan], subset, as_of, provenance=False)
        for index, evaluation in zip(indices, run.evaluations):
            facility, _ = generated[index]
            expected = reference.expected(facility, as_of, operators.get(facility.get("operator_id"), [facility]))
            _compare(evaluation.results, expected, as_of, facility, problems, tally)
        for operator in run.operators:
            members = operators[operator.operator]
            expected = reference.expected_operator(members, as_of)
            _compare(operator.results, expected, as_of, members, problems, tally)


def _compare(results, expected: dict, as_of, shown, problems: list, tally: dict) -> None:
    for result in results:
        want = expected[result.rule.split(".", 1)[1]]
        got = result.verdict + (" (projection)" if result.projection else "")
        if expected_level(want) is not None:
            got += f" {result.value}"
        tally[str(want)] = tally.get(str(want), 0) + 1
        if got != str(want):
            problems.append(f"{result.rule} as of {as_of}: policy {got}, reference {want}\n    {shown}")


def expected_level(outcome):
    return getattr(outcome, "level", None)


@pytest.fixture(scope="module")
def outcomes(request):
    """The differences of every regime this session runs, computed side by side in worker processes
    (one regime per process, as many at once as there are cores)."""
    codes = [item.callspec.params["code"] for item in request.session.items
             if getattr(item, "originalname", "") == "test_policy_agrees_with_the_reference"]
    workers = min(len(codes), os.cpu_count() or 1)
    if workers <= 1:
        return {code: differences(code, CASES, SEED) for code in codes}
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
        futures = {code: pool.submit(differences, code, CASES, SEED) for code in codes}
        return {code: future.result() for code, future in futures.items()}


@pytest.mark.parametrize("code", REGIMES)
def test_policy_agrees_with_the_reference(code, outcomes):
    problems, tally = outcomes[code]
    assert not problems, f"{len(problems)} disagreements, e.g.:\n" + "\n".join(problems[:8])
    # the generator reaches every kind of outcome the reference can give for these rules
    assert {"pass", "fail"} <= {v.split(" ")[0] for v in tally}, tally
    assert sum(tally.values()) >= CASES, tally


def test_every_shipped_regime_has_a_reference():
    """A new regime does not slip past the differential check: it needs a reference, or a PENDING line."""
    shipped = set(api.home_jurisdictions())
    assert shipped - set(REGIMES) - set(PENDING) == set(), "write tests/reference/<code>.py for these regimes"
