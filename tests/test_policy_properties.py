"""Properties over random valid policies built from the grammar (issue 12, "Own corpus and properties").

A hypothesis strategy writes policies the way the grammar allows them — a header with its optional
clauses, definitions that use earlier ones, a scope, rules with in-force dates, reliefs and severities,
bands — with expressions typed so that each policy checks, and with random layout (line breaks,
indentation, comments, redundant parentheses). For every such policy:

* it checks, and nothing but the project's own DiagnosticError ever escapes from a mutation of it;
* `fmt` is idempotent and preserves the AST (spans aside);
* it compiles and evaluates on the example facilities, twice with the same verdicts.

Bounded in CI (DCPOLICY_PROPERTY_EXAMPLES, default 25 examples per property); a longer run on demand:
    DCPOLICY_PROPERTY_EXAMPLES=2000 .venv/bin/pytest tests/test_policy_properties.py
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dcpolicy.dsl.checker import check
from dcpolicy.dsl.diagnostics import DiagnosticError
from dcpolicy.dsl.formatter import format_policy
from dcpolicy.dsl.parser import parse
from dcpolicy.evaluator.compiler import compile_policy
from dcpolicy.evaluator.engine import evaluate
from dcpolicy.evaluator.inputs import load_inputs

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = [str(ROOT / "examples" / name) for name in ("fra-3.yaml", "tokyo-1.yaml", "dublin-1.yaml")]
RUNS = settings(max_examples=int(os.environ.get("DCPOLICY_PROPERTY_EXAMPLES", "25")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# ---------------------------------------------------------------- the grammar, typed
space = st.sampled_from([" ", " ", " ", "  ", "\n    ", " # a comment\n    "])
numbers = st.sampled_from(["0", "1", "1.3", "1.25", "2", "0.5", "10", "300", "15 %", "0.001", "999999999999999"])
plain_facts = st.sampled_from(["(period.energy.total / period.energy.it)", "(facility.power.it_installed / 1 kW)",
                               "(period.energy.reused / period.energy.total)", "(period[-1].energy.total / 1 MWh)"])
flags = st.sampled_from(["facility.network_node", "true", "false", "period.full_period"])
dates = st.sampled_from(["2026-07-01", "2020-01-01", "2030-12-31", "facility.started",
                         "facility.started + 2 years", "2026-07-01 - 6 months", "period.end"])


@st.composite
def number(draw, definitions: tuple[str, ...], depth: int = 3) -> str:
    leaves = [numbers, plain_facts] + ([st.sampled_from(definitions)] if definitions else [])
    if depth <= 0 or draw(st.integers(0, 3)) == 0:
        return draw(st.one_of(*leaves))
    inner = number(definitions, depth - 1)
    kind = draw(st.sampled_from(["arith", "neg", "paren", "call", "tiered"]))
    if kind == "arith":
        return f"{draw(inner)}{draw(space)}{draw(st.sampled_from(['+', '-', '*', '/']))} {draw(inner)}"
    if kind == "neg":
        return f"-({draw(inner)})"
    if kind == "paren":
        return f"({draw(inner)})"
    if kind == "call":
        return f"{draw(st.sampled_from(['min', 'max']))}({draw(inner)},{draw(space)}{draw(inner)})"
    return f"({draw(inner)} when {draw(condition(definitions, depth - 1))},{draw(space)}{draw(inner)} otherwise)"


@st.composite
def condition(draw, definitions: tuple[str, ...], depth: int = 3) -> str:
    if depth <= 0 or draw(st.integers(0, 3)) == 0:
        return draw(flags)
    kind = draw(st.sampled_from(["compare", "dates", "logical", "not", "member", "paren"]))
    op = st.sampled_from(["<=", "<", ">=", ">", "==", "!="])
    if kind == "compare":
        return f"{draw(number(definitions, depth - 1))} {draw(op)}{draw(space)}{draw(number(definitions, depth - 1))}"
    if kind == "dates":
        return f"{draw(dates)} {draw(op)} {draw(dates)}"
    inner = condition(definitions, depth - 1)
    if kind == "logical":
        return f"{draw(inner)}{draw(space)}{draw(st.sampled_from(['and', 'or']))} {draw(inner)}"
    if kind == "not":
        return f"not ({draw(inner)})"
    if kind == "member":
        options = draw(st.lists(numbers, min_size=1, max_size=3))
        return f"{draw(number(definitions, depth - 1))} {draw(st.sampled_from(['in', 'not in']))} {{{', '.join(options)}}}"
    return f"({draw(inner)})"


@st.composite
def policies(draw) -> str:
    code = draw(st.sampled_from(["de", "xx", "jp"]))
    lines = [f'jurisdiction {code} "Test {code}"']
    if draw(st.booleans()):
        lines.append('law "Some Act"')
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(["calendar calendar-year", "calendar fiscal-year from 04-01"])))
    if draw(st.booleans()):
        lines.append(f"legal-status {draw(st.sampled_from(['in-force', 'proposed']))}")
    definitions: tuple[str, ...] = ()
    for index in range(draw(st.integers(0, 3))):
        lines.append(f"define v{index} = {draw(number(definitions))}")
        definitions += (f"v{index}",)
    if draw(st.booleans()):
        lines += ['scope "Facilities"', '  cite "§1"', f"  applies {draw(condition(definitions))}"]
    for index in range(draw(st.integers(1, 3))):
        lines += [f'rule r{index} "Rule {index}"', f'  cite "§{index + 2}"']
        if draw(st.booleans()):
            lines.append(f"  severity {draw(st.sampled_from(['mandatory', 'target']))}")
        if draw(st.booleans()):
            lines.append(f"  from {draw(dates)}")
        if draw(st.booleans()):
            lines.append(f"  applies {draw(condition(definitions))}")
        lines.append(f"  require {draw(condition(definitions))}")
        if draw(st.booleans()):
            lines += [f"  exempt {draw(condition(definitions))}", '    cite "§9"', '    because "relief"']
    if draw(st.booleans()):
        lines += ['band b "Band"', '  cite "§20"', f"  of {draw(number(definitions))}",
                  '  level "A" (-inf, 1.2)', '  level "B" [1.2, inf)']
    for name in definitions:  # every definition used, so no W601 hides a problem
        lines += [f'rule uses_{name} "uses {name}"', '  cite "§30"', "  severity advisory", f"  applies {name} >= 0"]
    return "\n".join(lines) + "\n"


def _checked(text: str):
    policy = parse(text, "random.policy")
    return policy, check(policy, text)


# ---------------------------------------------------------------- the properties
@RUNS
@given(policies())
def test_random_valid_policies_check_and_fmt_is_idempotent_and_keeps_the_ast(text):
    policy, _checked_policy = _checked(text)
    once = format_policy(policy, text)
    again = parse(once, "random.policy")
    assert again == policy
    assert format_policy(again, once) == once


@RUNS
@given(policies())
def test_random_valid_policies_compile_and_evaluate_deterministically(text):
    _policy, checked = _checked(text)
    plan = compile_policy(checked, "0" * 64)
    loaded = load_inputs(EXAMPLES)
    as_of = datetime.date(2031, 6, 1)
    first = evaluate([plan], loaded, as_of)
    second = evaluate([plan], loaded, as_of)
    assert first.every_result() and first == second  # verdicts, decisions, figures and traces alike


@RUNS
@given(policies(), st.data())
def test_a_mutated_policy_gives_diagnostics_never_another_exception(text, data):
    pieces = ["(", ")", '"', "#", "[-1.5]", "１", "\v", "\u2028", "\x00", " and", " not", "-", "9" * 40,
              "0000-01-01", "define x = x\n", "\n", "{", "}", ",", "inf", " otherwise", "%", "ü", "\udcff"]
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(text)))
        if data.draw(st.booleans()):
            text = text[:at] + data.draw(st.sampled_from(pieces)) + text[at:]
        else:
            text = text[:at] + text[at + data.draw(st.integers(1, 8)):]
    try:
        _checked(text)
    except DiagnosticError as err:
        assert err.diagnostics and all(d.span is not None for d in err.diagnostics)
        err.render()
