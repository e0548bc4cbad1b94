"""Bad input of any kind gets diagnostics, never a traceback: mutated facility files and
mutated policies are run through every stage (load, check, compile, evaluate, render)."""

from __future__ import annotations

import datetime
import io
import random
from pathlib import Path

import pytest
from rich.console import Console

from dcpolicy.cli import render
from dcpolicy.cli.api import compile_plans, shipped_policies
from dcpolicy.dsl.checker import check
from dcpolicy.dsl.diagnostics import DiagnosticError
from dcpolicy.dsl.parser import parse
from dcpolicy.evaluator.compiler import compile_policy
from dcpolicy.evaluator.engine import evaluate
from dcpolicy.evaluator.inputs import load_inputs

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = [ROOT / "examples" / name for name in ("fra-3.yaml", "tokyo-1.yaml", "dublin-1.yaml", "shanghai-2.yaml")]
POLICIES = sorted((ROOT / "policies").glob("*.policy"))

YAML_TOKENS = [":", "-", " ", "\n", "\t", "{", "}", "[", "]", "'", '"', "0", "1.5", "-3", "null", "~", "true",
               "yes", "kW", "MWh", "%", "2025-02-30", "FY", "&a", "*a", "<<", "!!str", "#", ",", "1e309", ".inf"]
POLICY_TOKENS = [" + 1", " * 0", " / 0", " ^ 0.5", " - 2 years", "(", ")", " and ", " or ", " not ", "-", "0",
                 " kW", " %", "2025-02-30", " inf", ",", " when true", "[-1]", "period[-9].energy.total", '"', "#"]


def _mutate(text: str, tokens: list[str], rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 4)):
        index = rng.randrange(len(lines))
        line = lines[index]
        cut = rng.randint(0, len(line))
        roll = rng.random()
        if roll < 0.45:
            line = line[:cut] + rng.choice(tokens) + line[cut:]
        elif roll < 0.8:
            line = line[:cut] + line[cut + rng.randint(1, 6):]
        else:
            line = rng.choice(lines)
        lines[index] = line
    return "\n".join(lines)


def _render_everything(run) -> None:
    render.to_json(run, explain=True)
    render.to_markdown(run, True)
    render.to_summary(run)
    render.to_table(run, True, Console(file=io.StringIO(), width=160))


@pytest.mark.parametrize("seed", range(4))
def test_mutated_facility_files_give_diagnostics_or_results(seed):
    plans = compile_plans([shipped_policies()[code] for code in ("jp", "de", "cn", "eu")])
    sources = [path.read_text(encoding="utf-8") for path in EXAMPLES]
    rng = random.Random(seed)
    evaluated = 0
    for _ in range(60):
        text = _mutate(rng.choice(sources), YAML_TOKENS, rng)
        try:
            loaded = load_inputs(["-"], text)
        except DiagnosticError as err:
            assert err.diagnostics and all(d.span and d.span.line >= 1 for d in err.diagnostics)
            err.render()
            continue
        _render_everything(evaluate(plans, loaded, datetime.date(2031, 1, 1)))
        evaluated += 1
    assert evaluated > 0


@pytest.mark.parametrize("seed", range(4))
def test_mutated_policies_give_diagnostics_or_results(seed):
    loaded = load_inputs([str(ROOT / "examples" / "portfolio.yaml")])
    sources = [path.read_text(encoding="utf-8") for path in POLICIES]
    rng = random.Random(seed)
    for _ in range(30):
        text = _mutate(rng.choice(sources), POLICY_TOKENS, rng)
        try:
            checked = check(parse(text, "m.policy"), text)
        except DiagnosticError as err:
            assert any(d.is_error for d in err.diagnostics)
            err.render()
            continue
        plan = compile_policy(checked, "0" * 64)
        for day in (datetime.date(2024, 1, 1), datetime.date(2031, 7, 1)):
            _render_everything(evaluate([plan], loaded, day))
