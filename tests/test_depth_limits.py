"""Depth: no policy, however deeply nested, reaches Python's recursion limit (issue 12, "Depth").

Beyond the documented limit (dsl/nesting.py MAX_NESTING, language.md "Limits") a policy gets a located
E106; at the limit every stage works: check, fmt, inspect, compile (the generated code splits deep
parts into functions of their own) and eval with explanations.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from rich.console import Console

from dcpolicy.cli import render
from dcpolicy.cli.api import compile_plans, evaluate_plans, load_facilities
from dcpolicy.cli.main import main
from dcpolicy.dsl.checker import check
from dcpolicy.dsl.diagnostics import DiagnosticError
from dcpolicy.dsl.formatter import format_policy
from dcpolicy.dsl.nesting import MAX_NESTING, depth
from dcpolicy.dsl.parser import parse
from dcpolicy.evaluator.compiler import SPLIT_DEPTH

ROOT = Path(__file__).resolve().parent.parent
FRA = ROOT / "examples" / "fra-3.yaml"
H = 'jurisdiction de "Germany"\n'
NODE = "facility.network_node"


def rule(require: str, *, operator: bool = False) -> str:
    return H + 'rule r "t"\n  cite "§1"\n' + ("  for operator\n" if operator else "") + f"  require {require}\n"


def first_error(source: str) -> tuple[str, int, int]:
    with pytest.raises(DiagnosticError) as caught:
        check(parse(source, "deep.policy"), source)
    diagnostic = caught.value.diagnostics[0]
    assert diagnostic.span.file == "deep.policy"
    return diagnostic.code, diagnostic.span.line, diagnostic.span.column


# The examples, each far past the limit: a located error, not a RecursionError.
TOO_DEEP = {
    "1,000 nested parentheses": (rule("(" * 1000 + NODE + ")" * 1000), ("E106", 4, 11)),
    "a 10,000-term and": (rule(" and ".join([NODE] * 10_000)), ("E106", 4, 11)),
    "a 3,000-term sum": (rule(" + ".join(["1"] * 3000) + " > 0"), ("E106", 4, 11)),
    "2,000 nested not": (rule("not " * 2000 + NODE), ("E106", 4, 11)),
    "2,000 nested minus": (rule("-" * 2000 + "1 <= 2"), ("E106", 4, 11)),
    "2,000 nested calls": (rule("abs(" * 2000 + "1" + ")" * 2000 + " <= 2"), ("E106", 4, 11)),
    "1,000 nested tiered values": (rule("(1 when true, " * 1000 + "1" + " otherwise)" * 1000 + " <= 2"), ("E106", 4, 11)),
    "a chain of 2,000 definitions": (
        H + "".join(f"define d{i} = d{i - 1} + 1\n" for i in range(1, 2000)) + "define d0 = 1\n"
        + 'rule r "t"\n  cite "§1"\n  require d1999 > 0\n', ("E106", 51, 1)),
    "a 600-definition cycle": (
        H + "".join(f"define d{i} = d{(i + 1) % 600} + 1\n" for i in range(600))
        + 'rule r "t"\n  cite "§1"\n  require d0 > 0\n', ("E503", 2, 1)),
    "a 10,000-level deep definition": (H + "define deep = " + "(" * 10_000 + "1" + ")" * 10_000
                                       + '\nrule r "t"\n  cite "§1"\n  require deep > 0\n', ("E106", 2, 15)),
}


@pytest.mark.parametrize("label", list(TOO_DEEP))
def test_far_too_deep_is_a_located_error(label):
    source, expected = TOO_DEEP[label]
    assert first_error(source) == expected


def test_a_long_cycle_is_named_by_its_ends_and_its_length():
    source, _ = TOO_DEEP["a 600-definition cycle"]
    with pytest.raises(DiagnosticError) as caught:
        check(parse(source, "deep.policy"), source)
    (diagnostic,) = caught.value.diagnostics  # and no W601 for the members of the cycle
    assert diagnostic.message == ("definitions refer to each other in a cycle: d0 -> d1 -> d2 -> … -> d599 -> d0 "
                                  "(600 definitions)")


def test_one_past_the_limit_is_an_error_and_the_limit_is_not():
    at_limit = rule("(" * (MAX_NESTING - 1) + NODE + ")" * (MAX_NESTING - 1))
    assert depth(parse(at_limit).rules[0].value("require")) == MAX_NESTING
    check(parse(at_limit), at_limit)
    past = rule("(" * MAX_NESTING + NODE + ")" * MAX_NESTING)
    assert first_error(past) == ("E106", 4, 11)


# Expressions exactly at the limit, of every shape the generated code nests differently.
AT_LIMIT = {
    "left-leaning or": rule(" or ".join([NODE] * MAX_NESTING)),
    "right-nested or": rule(" or (".join([NODE] * (MAX_NESTING // 2)) + ")" * (MAX_NESTING // 2 - 1)),
    "parentheses": rule("(" * (MAX_NESTING - 1) + NODE + ")" * (MAX_NESTING - 1)),
    "not": rule("not " * (MAX_NESTING - 1) + NODE),
    "minus": rule("-" * (MAX_NESTING - 2) + "1 <= 2"),
    "sum": rule(" + ".join(["1"] * (MAX_NESTING - 1)) + " > 0"),
    "tiered values": rule("(1 when true, " * (MAX_NESTING - 2) + "1" + " otherwise)" * (MAX_NESTING - 2) + " <= 2"),
    "tiered conditions": rule("(1 when " * (MAX_NESTING // 2 - 1) + NODE + ", 2 otherwise) == 1" * (MAX_NESTING // 2 - 1)),
    "calls": rule("min(" * (MAX_NESTING - 2) + "1" + ", 2)" * (MAX_NESTING - 2) + " <= 2"),
    "sets": rule("true in {" * (MAX_NESTING - 1) + "true" + "}" * (MAX_NESTING - 1)),
    "an aggregate": rule("sum(" + "(" * (MAX_NESTING - 4) + "period.energy.total" + ")" * (MAX_NESTING - 4)
                         + ") > 0 kWh", operator=True),
    "definitions": H + "".join(f"define d{i} = d{i - 1} + 1\n" for i in range(1, 50)) + "define d0 = 1\n"
                   + 'rule r "t"\n  cite "§1"\n  require ' + "(" * (MAX_NESTING - 3) + "d49" + ")" * (MAX_NESTING - 3)
                   + " > 0\n",
}


@pytest.mark.parametrize("label", list(AT_LIMIT))
def test_at_the_limit_every_stage_works(label, tmp_path, capsys):
    source = AT_LIMIT[label]
    policy = parse(source, "deep.policy")
    checked = check(policy, source)
    formatted = format_policy(policy, source)
    assert parse(formatted) == policy
    path = tmp_path / "deep.policy"
    path.write_text(source, encoding="utf-8")
    (plan,) = compile_plans([path])
    if label not in ("sum", "minus"):
        assert "__part" in plan.source  # parts deeper than SPLIT_DEPTH are functions of their own
    assert _paren_depth(plan.source) < 100  # Python's parser stops at 200
    run = evaluate_plans([plan], load_facilities([str(FRA)]), __import__("datetime").date(2026, 1, 1))
    (result,) = run.every_result()
    assert result.verdict in ("pass", "fail", "unknown")
    render.to_json(run, explain=True)
    render.to_markdown(run, True)
    render.to_table(run, True, Console(file=io.StringIO(), width=160))
    for stage in ("ast", "checked", "plan"):
        assert main(["inspect", "--stage", stage, str(path)]) == 0
    assert main(["eval", "--policy", str(path), "--explain", "--as-of", "2026-01-01", str(FRA)]) in (0, 1)
    assert "Traceback" not in capsys.readouterr().err
    assert checked.policy is policy


def _paren_depth(source: str) -> int:
    """The deepest nesting of brackets in generated code (comments and quoted names left out)."""
    import re

    code = re.sub(r"#[^\n]*|'[^'\n]*'", "", source)
    level = deepest = 0
    for char in code:
        level += char in "([{"
        level -= char in ")]}"
        deepest = max(deepest, level)
    return deepest


def test_split_depth_keeps_parts_small():
    assert 10 <= SPLIT_DEPTH <= 40


def test_ten_thousand_levels_are_reported_quickly_without_raising_the_recursion_limit():
    import time

    source = rule("(" * 10_000 + NODE + ")" * 10_000)
    limit = sys.getrecursionlimit()
    started = time.perf_counter()
    assert first_error(source) == ("E106", 4, 11)
    assert time.perf_counter() - started < 10
    assert sys.getrecursionlimit() == limit


def test_fmt_and_inspect_of_a_too_deep_policy_give_the_error(tmp_path, capsys):
    path = tmp_path / "deep.policy"
    path.write_text(TOO_DEEP["a 10,000-term and"][0], encoding="utf-8")
    for argv in (["fmt", str(path)], ["inspect", "--stage", "ast", str(path)], ["check", str(path)],
                 ["eval", "--policy", str(path), str(FRA)]):
        code = main(argv)
        err = capsys.readouterr().err
        assert code in (2, 3), argv
        assert "deep.policy:4:11: E106 this expression nests 10000 levels deep; the limit is 100" in err, argv
        assert "Traceback" not in err and "internal error" not in err


def test_a_folder_check_reports_every_file_even_when_one_crashes(tmp_path, capsys, monkeypatch):
    from dcpolicy.cli import check as check_command

    for name in ("a.policy", "b.policy", "c.policy"):
        (tmp_path / name).write_text(rule(NODE), encoding="utf-8")
    real = check_command.load_policy

    def crash_on_b(path, *args):
        if Path(path).name == "b.policy":
            raise RuntimeError("a bug")
        return real(path, *args)

    monkeypatch.setattr(check_command, "load_policy", crash_on_b)
    assert main(["check", str(tmp_path)]) == 4
    out, err = capsys.readouterr()
    assert "a.policy: ok" in out and "c.policy: ok" in out
    assert "b.policy: internal error: RuntimeError: a bug" in err
    assert main(["check", "--format", "json", str(tmp_path)]) == 4
    files = json.loads(capsys.readouterr().out)["files"]
    assert [(Path(f["file"]).name, f["valid"]) for f in files] == [("a.policy", True), ("c.policy", True),
                                                                    ("b.policy", False)]
