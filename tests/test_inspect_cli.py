"""`policy inspect --stage ast|checked|plan FILE`: each stage printed, errors like `policy check`."""

from __future__ import annotations

import linecache
import re
from pathlib import Path

import pytest

from dcpolicy.cli.main import build_parser, main

ROOT = Path(__file__).resolve().parent.parent
DE = "policies/de.policy"
BROKEN = 'jurisdiction xx "X"\nrule r "t"\n  cite "§1"\n  require nope <= 1.3\n'


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)  # so that file names print as policies/de.policy


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_plan_prints_python_whose_functions_name_their_rules(capsys):
    code, out, err = run(capsys, "inspect", "--stage", "plan", DE)
    assert code == 0 and err == ""
    assert "def de__pue_existing_2030__require(c, t):" in out
    assert "def de__scope__applies(c, t):" in out
    assert re.search(r"^# policies/de\.policy:\d+: rule pue_existing_2030, require: ", out, flags=re.M)
    compile(out, "<printed plan>", "exec")  # the printed plan compiles


def test_plan_is_exactly_the_compiled_source(capsys):
    from dcpolicy.dsl.loader import load_policy
    from dcpolicy.evaluator.compiler import compile_policy

    _, out, _ = run(capsys, "inspect", "--stage", "plan", DE)
    plan = compile_policy(load_policy(DE, DE), "0" * 64)
    assert out == plan.source
    function = plan.rules[0].require.function
    assert "".join(linecache.getlines(function.__code__.co_filename)) == out


def test_ast_shows_nodes_with_positions(capsys):
    code, out, err = run(capsys, "inspect", "--stage", "ast", DE)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith("Policy  policies/de.policy:")
    assert "    code: 'de'" in lines
    definition = lines.index("    - Definition  policies/de.policy:20:1")
    assert lines[definition + 1:definition + 4] == ["      name: 'pue'",
                                                    "      expr: Arith  policies/de.policy:20:14",
                                                    "        op: '/'"]
    assert "::" not in out  # types are the checked stage's


def test_ast_needs_only_a_parse(capsys, tmp_path):
    path = tmp_path / "broken.policy"
    path.write_text(BROKEN, encoding="utf-8")
    code, out, _ = run(capsys, "inspect", "--stage", "ast", str(path))
    assert code == 0
    assert "parts: ('nope',)" in out


def test_checked_shows_types_dimensions_literals_and_the_definition_order(capsys):
    code, out, err = run(capsys, "inspect", "--stage", "checked", DE)
    assert code == 0 and err == ""
    assert "# definitions in evaluation order (dependencies first):" in out
    order = re.findall(r"^#   \d+\. (\w+)", out, flags=re.M)
    assert order.index("electricity_consumption") < order.index("renewable_share")  # a dependency comes first
    assert "#   1. pue  (reads one facility's facts)" in out  # in file order, each after those it uses
    assert "expr: Arith  policies/de.policy:20:14  :: number (plain)" in out
    assert "left: Ref  policies/de.policy:20:14  :: number (energy, kWh)" in out
    assert re.search(r"Quantity  policies/de\.policy:\d+:\d+  :: number \(power, kW\) = 300\.0", out)
    assert '#   "< 500 kW": x < 500 kW' in out


def test_an_invalid_policy_prints_its_diagnostics_and_exits_3(capsys, tmp_path):
    path = tmp_path / "broken.policy"
    path.write_text(BROKEN, encoding="utf-8")
    for stage in ("checked", "plan"):
        code, out, err = run(capsys, "inspect", "--stage", stage, str(path))
        assert code == 3 and out == ""
        assert f"{path}:4:11: E201" in err


def test_a_missing_file_or_a_folder_is_a_usage_error(capsys):
    code, out, err = run(capsys, "inspect", "--stage", "plan", "nope.policy")
    assert code == 2 and out == "" and "no such file or directory: nope.policy" in err
    code, out, err = run(capsys, "inspect", "--stage", "plan", "policies")
    assert code == 2 and "give one .policy file" in err


def test_the_stage_is_required_and_named(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["inspect", DE])
    assert exit_.value.code == 2
    with pytest.raises(SystemExit):
        main(["inspect", "--stage", "bytecode", DE])
    assert "invalid choice: 'bytecode'" in capsys.readouterr().err


def test_help_describes_each_stage(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["inspect", "--help"])
    text = capsys.readouterr().out
    assert exit_.value.code == 0
    assert "--stage {ast,checked,plan}" in text and "generated Python" in text
    assert "inspect" in build_parser().format_help()
