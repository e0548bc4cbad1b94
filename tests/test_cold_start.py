"""Cold start (issue 9, item 6): what one `policy eval` imports and builds, and the cheaper `policy test` runner.

The figures themselves are benchmarks/targets.py's (`--only start`); these tests hold the properties the
figures rest on: a warm JSON run imports no parser, no checker, no rich and no other command's module;
only the running subcommand's options are built; the start-up is kept out of the collector's walks only
when the run is the whole process; the explanation tree is built without recursion.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dcpolicy.cli import main as cli_main
from dcpolicy.cli.explain import clause_tree
from dcpolicy.dsl.diagnostics import Span
from dcpolicy.dsl.units import NUMBER
from dcpolicy.evaluator.plan import NodeInfo
from dcpolicy.evaluator.results import ClauseTrace

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["eval", "-j", "de", "--as-of", "2031-06-01", "--format", "json", "examples/fra-3.yaml"]
# As the `policy` program runs: main() reads sys.argv (the whole process), then lists what was imported.
PROBE = ("import sys\nsys.argv = ['policy', *sys.argv[1:]]\nfrom dcpolicy.cli.main import main\ncode = main()\n"
         "sys.stdout.flush()\nprint(' '.join(sorted(sys.modules)), file=sys.stderr)\nraise SystemExit(code)\n")
NEVER_WARM = ("lark", "interegular", "rich", "pygments", "jsonschema", "dcpolicy.dsl.parser", "dcpolicy.dsl.checker",
              "dcpolicy.dsl.ast", "dcpolicy.evaluator.compiler", "dcpolicy.evaluator.plan_source",
              "dcpolicy.evaluator.overrides", "dcpolicy.cli.compare", "dcpolicy.cli.timeline", "dcpolicy.cli.report",
              "dcpolicy.cli.priorities", "dcpolicy.cli.views", "dcpolicy.cli.site_words", "importlib.resources",
              "shutil", "tempfile", "decimal", "difflib", "html", "dcpolicy.evaluator.quantify")
# A run that compiles (empty cache) needs Lark, the parser and the compiler, but none of these: the grammar is read
# beside the parser, close spellings are looked for only in an error, quantifiers only for a policy with every/some.
NEVER_COLD = ("importlib.resources", "difflib", "html", "dcpolicy.evaluator.quantify")


def _policy(cache: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DCPOLICY_CACHE_DIR": str(cache)}
    return subprocess.run([sys.executable, "-c", PROBE, *(args or ARGS)], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=120)


def test_a_warm_json_run_imports_no_parser_checker_rich_or_other_command(tmp_path):
    cold = _policy(tmp_path / "cache")
    warm = _policy(tmp_path / "cache")
    assert cold.returncode == warm.returncode == 0, cold.stderr
    assert warm.stdout == cold.stdout and json.loads(warm.stdout)["evaluations"]
    cold_modules = set(cold.stderr.split())
    warm_modules = set(warm.stderr.split())
    assert {"lark", "dcpolicy.dsl.parser", "dcpolicy.evaluator.compiler"} <= cold_modules  # the cold run compiled
    imported = sorted(m for m in warm_modules if any(m == n or m.startswith(n + ".") for n in NEVER_WARM))
    assert imported == []
    assert sorted(m for m in cold_modules if any(m == n or m.startswith(n + ".") for n in NEVER_COLD)) == []


def test_only_the_running_subcommand_is_built_and_the_usage_still_names_every_command(capsys):
    whole = cli_main.build_parser()
    one = cli_main.build_parser("eval")
    sub = [a for a in one._actions if isinstance(a, argparse._SubParsersAction)][0]
    assert list(sub.choices) == ["eval"]
    assert one.format_usage() == whole.format_usage()  # "{check,eval,…}" either way
    with pytest.raises(SystemExit) as stop:
        cli_main.main(["eval", "examples/fra-3.yaml", "--no-such-option"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "{check,eval,fmt,test,inspect,list,explain,schema,init,replay,lsp,completion,compare,timeline,priorities,report}" \
        in err and "unrecognized arguments: --no-such-option" in err


def test_an_unknown_command_gets_the_whole_parser_and_its_choices(capsys):
    with pytest.raises(SystemExit) as stop:
        cli_main.main(["evaluate", "x"])
    assert stop.value.code == 2
    assert "invalid choice: 'evaluate'" in capsys.readouterr().err


@pytest.mark.parametrize("columns", ["60", "133", "", "0", "wide"])
def test_the_help_width_is_shutils(monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", columns)
    assert cli_main._terminal_columns() == shutil.get_terminal_size().columns


def test_start_up_is_frozen_out_of_the_collector_only_for_the_whole_process(capsys):
    before = gc.get_freeze_count()
    assert cli_main.main(["list"]) == 0  # called with arguments: another program's process, left alone
    capsys.readouterr()
    assert gc.get_freeze_count() == before and gc.isenabled()
    probe = ("import gc, sys\nsys.argv = ['policy', 'list']\nfrom dcpolicy.cli.main import main\ncode = main()\n"
             "print(gc.get_freeze_count() > 1000, gc.isenabled(), code, file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, "DCPOLICY_CACHE_DIR": "off"})
    assert done.stderr.split()[-3:] == ["True", "True", "0"]


def _chain(depth: int) -> ClauseTrace:
    """A clause `- - - … 1` nested `depth` levels: slot i is the operation over slot i + 1."""
    span = Span.point("deep.policy", 4, 11)
    nodes = tuple(NodeInfo("-" * (depth - i) + "1", span, "operation" if i < depth else "literal", None, NUMBER,
                           "number", (i + 1,) if i < depth else (), "neg" if i < depth else None)
                  for i in range(depth + 1))
    values = tuple(-1.0 if (depth - i) % 2 else 1.0 for i in range(depth + 1))
    return ClauseTrace("require", nodes, values, ())


def test_the_explanation_tree_is_built_without_recursion():
    depth = sys.getrecursionlimit() * 3  # far deeper than any policy may nest (E106), and than Python recurses
    tree = clause_tree(_chain(depth))
    assert tree["clause"] == "require" and tree["expression"] == "-" * depth + "1"
    levels, step = 0, tree
    while "steps" in step:
        assert len(step["steps"]) == 1
        step = step["steps"][0]
        levels += 1
    assert levels == depth and step == {"expression": "1", "value": 1.0,
                                        "span": {"file": "deep.policy", "line": 4, "column": 11}}


def test_policy_test_resolves_each_case_file_once_and_keeps_runs_only_for_coverage(monkeypatch):
    from dcpolicy.cli import api, cases

    calls = []
    resolve = cases.resolve_policy
    monkeypatch.setattr(cases, "resolve_policy", lambda policy, file: calls.append((policy, file)) or resolve(policy, file))
    lean = api.run_cases([], "pue", keep_runs=False)
    assert len(lean) > 10 and len(calls) == len(set(calls))  # once per case file's policy, not once per case
    kept = api.run_cases([], "pue")
    assert [o.problems for o in lean] == [o.problems for o in kept] == [()] * len(lean)
    assert all(o.run is None for o in lean) and all(o.run is not None for o in kept)


def test_a_failing_case_still_shows_where_each_fact_came_from(tmp_path):
    """Cases are judged without provenance; the one that fails is judged again with it for its trace."""
    from dcpolicy.cli import api

    cases = tmp_path / "wrong.yaml"
    cases.write_text("policy: de\nbase:\n  id: base\n  name: Base DC\n  started: 2015-05-01\n"
                     "  power: {nominal_connected: \"5 MW\"}\n  periods:\n    - period: 2025\n"
                     "      energy: {total: \"14 GWh\", it: \"10 GWh\", renewable: \"14 GWh\", reused: \"0 kWh\"}\n"
                     "cases:\n  - name: expects a pass where PUE 1.4 fails\n    as_of: 2031-06-01\n"
                     "    expect:\n      de.pue_existing_2030: pass\n", encoding="utf-8")
    (outcome,) = api.run_cases([str(cases)], keep_runs=False)
    (problem,) = outcome.problems
    assert problem.startswith("de.pue_existing_2030: expected verdict pass (got fail:")
    assert f"period.energy.total = 14 GWh   [{cases}:9:" in problem  # the fact's line in the case file


def test_judging_only_the_expected_rules_gives_the_same_results_for_every_shipped_case():
    """policy test without --coverage judges only the rules a case expects: each of those results (verdict,
    decision, figures, trace) is the one the whole plan gives."""
    from dcpolicy.cli import api, cases
    from dcpolicy.evaluator.inputs import load_facility_nodes

    plans = cases.PlanCache()
    every = [case for path in cases.case_files([]) for case in cases.load_cases(path)]
    assert len(every) > 500
    compared = 0
    for case in every:
        plan = plans.get(case.policy, case.file)
        narrowed = plans.for_expectations(plan, case)
        assert 0 < len(narrowed.rules) <= len(plan.rules)
        loaded = load_facility_nodes(case.facilities, case.file, case.text, plans.source(case))
        whole = api.evaluate_plans([plan], loaded, case.as_of, case.period, provenance=False)
        some = api.evaluate_plans([narrowed], loaded, case.as_of, case.period, provenance=False)
        for key in case.expect:
            found = cases._find(some, str(key), len(case.facilities))
            assert found is not None and found[0] == cases._find(whole, str(key), len(case.facilities))[0], (case.id, key)
            compared += 1
    assert compared > len(every)


def test_a_cached_plan_has_the_namespace_its_source_makes(tmp_path, monkeypatch):
    """The cache stores each generated function's code, not the module's: made again, every function has
    the same name, code and globals as when the source was executed."""
    from dcpolicy.cli.api import compile_plans
    from dcpolicy.evaluator import plan_cache

    monkeypatch.setenv("DCPOLICY_CACHE_DIR", str(tmp_path))
    path = ROOT / "policies" / "de.policy"
    compiled = compile_plans([path])[0]
    cached = compile_plans([path])[0]
    assert len(list(tmp_path.glob("*.plan"))) == 1 and cached is not compiled and cached == compiled
    made, loaded = compiled.rules[0].require.function.__globals__, cached.rules[0].require.function.__globals__
    assert set(made) == set(loaded) and made["__name__"] == loaded["__name__"]
    for name, value in made.items():
        if plan_cache._generated(value, made):
            again = loaded[name]
            assert (again.__name__, again.__qualname__, again.__module__, again.__code__) == \
                   (value.__name__, value.__qualname__, value.__module__, value.__code__)
            assert again.__globals__ is loaded
