"""Readable plans (issue 8, item 8): one generated function per clause, named after its rule and clause,
with a comment naming the policy line, laid out within 100 columns, visible to tracebacks through
linecache, and run without builtins. The layout changes only whitespace, never the code."""

from __future__ import annotations

import ast
import hashlib
import linecache
import re
import traceback
from pathlib import Path

import pytest

from dcpolicy.dsl.loader import load_policy
from dcpolicy.evaluator import plan_source
from dcpolicy.evaluator.compiler import compile_policy
from dcpolicy.evaluator.plan_source import Call, Lambda, Tuple, flat, layout

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "policies").glob("*.policy"))


def compiled(path: Path):
    display = f"policies/{path.name}"
    return compile_policy(load_policy(path, display), hashlib.sha256(path.read_bytes()).hexdigest())


@pytest.fixture(scope="module")
def de():
    return compiled(ROOT / "policies" / "de.policy")


def test_functions_are_named_after_their_rule_and_clause(de):
    names = re.findall(r"^def (\w+)\(c, t\):$", de.source, flags=re.M)
    assert "de__pue_existing_2030__require" in names
    assert "de__pue_existing_2030__from" in names
    assert "de__scope__applies" in names
    assert "definition__pue" in names
    assert "de__register__item__pue_kpi" in names and "de__register__due" in names
    # a rule with three reliefs: each its own function, numbered from the second on
    assert {"de__erf_new__exempt", "de__erf_new__exempt_2", "de__erf_new__exempt_3"} <= set(names)
    assert len(names) == len(set(names))
    rule = next(r for r in de.rules if r.name == "pue_existing_2030")
    assert rule.require.function.__name__ == "de__pue_existing_2030__require"
    assert de.definitions["pue"].function.__name__ == "definition__pue"


def test_a_comment_above_each_function_names_the_policy_line(de):
    lines = de.source.splitlines()
    at = lines.index("def de__pue_existing_2030__require(c, t):")
    comment = re.match(r"# policies/de\.policy:(\d+): rule pue_existing_2030, require: (.*)$", lines[at - 1])
    assert comment, lines[at - 1]
    policy_line = (ROOT / "policies" / "de.policy").read_text(encoding="utf-8").splitlines()[int(comment[1]) - 1]
    assert policy_line.split()[0] == "require" and comment[2].rstrip("…") in policy_line


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_plans_stay_within_100_columns(path):
    plan = compiled(path)
    longest = max(plan.source.splitlines(), key=len)
    assert len(longest) <= 100, longest
    compile(plan.source, "<printed plan>", "exec")  # the source as shown is the source that runs


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_the_layout_changes_no_code(path, monkeypatch):
    """Laid out on one line per function (an unlimited width), every function is the same Python."""
    broken = compiled(path).source
    monkeypatch.setattr(plan_source, "WIDTH", 10**6)
    one_line = compiled(path).source
    assert broken != one_line

    def functions(source):
        return [(f.name, ast.dump(f)) for f in ast.parse(source).body if isinstance(f, ast.FunctionDef)]

    assert functions(broken) == functions(one_line)


def test_plans_run_without_builtins(de):
    function = de.rules[0].require.function
    names = set(function.__globals__)
    generated = set(re.findall(r"^def (\w+)\(", de.source, flags=re.M))
    constants = {n for n in names if re.fullmatch(r"K\d+", n)}
    assert function.__globals__["__builtins__"] == {}
    assert names - generated - constants == {"__builtins__", "__name__", "_rt", "U", "_r"}


class _Exploding:
    """A context whose period facts cannot be read: the generated code raises inside a plan function."""

    fiscal_start = (1, 1)

    @property
    def P(self):
        raise RuntimeError("no period")


def test_a_traceback_through_a_plan_shows_the_generated_line(de):
    pue = de.definitions["pue"]
    with pytest.raises(RuntimeError) as caught:
        pue.run(_Exploding())
    text = "".join(traceback.format_exception(caught.value))
    frame = re.search(r'File "(<plan de [0-9a-f]{12}>)", line (\d+), in definition__pue\n\s+(\S.*)\n', text)
    assert frame, text
    filename, line, shown = frame[1], int(frame[2]), frame[3]
    assert "c.P.get('energy.total', U)" in shown
    assert de.source.splitlines()[line - 1].strip() == shown.strip()
    assert linecache.getline(filename, line).strip() == shown.strip()


def test_equal_codes_with_different_rules_get_their_own_linecache_entries(tmp_path):
    def plan(limit: str):
        path = tmp_path / f"xx-{limit}.policy"
        path.write_text(f'jurisdiction xx "X"\nrule r "t"\n  cite "§1"\n  require 1 <= {limit}\n', encoding="utf-8")
        return compile_policy(load_policy(path), "0" * 64)

    first, second = plan("2"), plan("3")
    one = first.rules[0].require.function.__code__.co_filename
    two = second.rules[0].require.function.__code__.co_filename
    assert one != two and one.startswith("<plan xx ") and two.startswith("<plan xx ")
    assert "".join(linecache.getlines(one)) == first.source
    assert "".join(linecache.getlines(two)) == second.source


def test_layout_keeps_short_code_on_one_line_and_breaks_long_code_one_argument_per_line():
    short = Call("_rt.le", ("a", "b"))
    assert layout(short, 4, 11) == "_rt.le(a, b)"
    long = Call("_r", ("t", "0", Call("_rt.and_", ("x" * 60, Lambda("y" * 60)))), hug=True)
    text = layout(long, 4, 11)
    assert text == ("_r(t, 0, _rt.and_(\n"
                    "        " + "x" * 60 + ",\n"
                    "        lambda: " + "y" * 60 + ",\n"
                    "    ))")
    assert ast.dump(ast.parse(text)) == ast.dump(ast.parse(flat(long)))


def test_a_one_item_tuple_keeps_its_comma():
    assert flat(Tuple(("a",))) == "(a,)"
    assert flat(Tuple(("a", "b"))) == "(a, b)"
    assert layout(Tuple(("z" * 120,)), 0, 0) == "(\n    " + "z" * 120 + ",\n)"
