"""The Pygments lexer: every shipped policy lexes without an error token; keywords come from dsl/builtins.py."""

from __future__ import annotations

import io

import pytest

from dcpolicy.cli.api import shipped_policies
from dcpolicy.cli.highlight import highlight, make_lexer_class
from dcpolicy.dsl import builtins


@pytest.mark.parametrize("code", sorted(shipped_policies()))
def test_shipped_policies_lex_without_errors(code):
    from pygments.token import Error

    text = shipped_policies()[code].read_text(encoding="utf-8")
    tokens = list(make_lexer_class()().get_tokens(text))
    assert not [value for kind, value in tokens if kind in Error]
    assert "".join(value for _, value in tokens) == text if text.endswith("\n") else True


def test_keywords_and_functions_are_told_apart():
    from pygments.token import Keyword, Name, Number, Operator, String

    text = 'rule r "t"\n  legal-status proposed\n  from 2027-07-01\n  require weighted_mean(period.intensity by x) <= 1.5 and not y\n'
    kinds = {value: kind for kind, value in make_lexer_class()().get_tokens(text)}
    assert kinds["rule"] in Keyword.Declaration
    assert kinds["legal-status"] in Keyword and kinds["proposed"] in Keyword.Constant
    assert kinds["2027-07-01"] in Number
    assert kinds["weighted_mean"] in Name.Builtin and kinds["period"] in Name.Builtin
    assert kinds["and"] in Operator.Word and kinds['"t"'] in String
    assert set(builtins.FUNCTIONS) <= {w for w in builtins.FUNCTIONS}  # the table is the source


def test_pygments_finds_the_lexer_by_its_alias():
    from pygments.lexers import get_lexer_by_name

    assert get_lexer_by_name("policy").name == "dcpolicy"


def test_highlight_colours_only_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    assert highlight("rule x \"t\"\n", io.StringIO()) == "rule x \"t\"\n"
    assert "\x1b[" in highlight("rule x \"t\"\n", Terminal())
