"""`--help` on every subcommand (description, examples, exit codes) and shell completion scripts; the bash
script is run in bash with the words of a command line, as bash's programmable completion runs it."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dcpolicy.cli.completion import commands
from dcpolicy.cli.main import build_parser, main

BIN = str(Path(sys.executable).parent)


def _subcommands():
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return action.choices


@pytest.mark.parametrize("name", sorted(_subcommands()))
def test_every_subcommand_help_has_a_description_examples_and_exit_codes(capsys, name):
    with pytest.raises(SystemExit) as exit_info:
        main([name, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    usage, _, rest = out.partition("\n\n")
    assert usage.startswith(f"usage: policy {name}")
    assert rest.strip() and not rest.startswith("positional") and not rest.startswith("options")  # a description
    assert f"examples:\n  policy {name}" in out
    assert "exit codes:\n  0  " in out and "\n  4  an internal error" in out


def test_completion_values_list_jurisdictions_and_rule_ids(capsys):
    assert main(["completion", "--values", "jurisdictions"]) == 0
    assert capsys.readouterr().out.split() == ["cn_bj", "cn", "de_draft_2026", "de", "eu", "fr", "ie", "jp", "nl", "sg", "us_ca", "all"]
    assert main(["completion", "--values", "rules"]) == 0
    rules = capsys.readouterr().out.split()
    assert "de.pue_new" in rules and "jp.benchmark_pue" in rules and len(rules) == 77


def test_completion_without_a_shell_is_a_usage_error(capsys):
    assert main(["completion"]) == 2
    assert "name a shell: bash, zsh or fish" in capsys.readouterr().err


def test_scripts_list_every_subcommand_and_option(capsys):
    table = commands(build_parser())
    for shell in ("bash", "zsh", "fish"):
        assert main(["completion", shell]) == 0
        script = capsys.readouterr().out
        for name, options in table.items():
            assert name in script
            for option in options:
                assert (option if shell != "fish" else option.lstrip("-")) in script, (shell, name, option)


def _bash_complete(script: str, words: list[str]) -> list[str]:
    program = (f"{script}\nCOMP_WORDS=({' '.join(repr(w) for w in words)}); COMP_CWORD={len(words) - 1}\n"
               "_policy_complete\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n")
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""))
    done = subprocess.run(["bash", "-c", program], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
def test_bash_completes_subcommands_options_jurisdictions_and_rules(capsys):
    assert main(["completion", "bash"]) == 0
    script = capsys.readouterr().out
    assert _bash_complete(script, ["policy", "ex"]) == ["explain"]
    assert "--jurisdiction" in _bash_complete(script, ["policy", "eval", "--j"])
    assert _bash_complete(script, ["policy", "eval", "-j", "d"]) == ["de_draft_2026", "de"]
    assert _bash_complete(script, ["policy", "explain", "de.pue_n"]) == ["de.pue_new"]
    assert _bash_complete(script, ["policy", "fmt", "--d"]) == ["--diff"]


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_scripts_parse(capsys, shell):
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")
    assert main(["completion", shell]) == 0
    script = capsys.readouterr().out
    done = subprocess.run([shell, "-n"], input=script, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_fish_completes_subcommands_jurisdictions_and_rules(capsys):
    if shutil.which("fish") is None:
        pytest.skip("fish is not installed")
    assert main(["completion", "fish"]) == 0
    script = capsys.readouterr().out
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""))

    def complete(line: str) -> list[str]:
        done = subprocess.run(["fish", "-c", f"source -; complete -C '{line}'"], input=script,
                              capture_output=True, text=True, env=env, timeout=60)
        assert done.returncode == 0, done.stderr
        return [row.split("\t")[0] for row in done.stdout.splitlines()]

    assert complete("policy ex") == ["explain"]
    assert complete("policy explain de.pue_n") == ["de.pue_new"]
    assert sorted(complete("policy eval -j d")) == ["de", "de_draft_2026"]
