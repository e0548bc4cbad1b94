"""The builtins table (dsl/builtins.py) agrees with the grammar and the runtime, and the stages read it."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest

from dcpolicy.dsl import builtins
from dcpolicy.dsl.diagnostics import DiagnosticError
from dcpolicy.dsl.parser import parse
from dcpolicy.evaluator import runtime

GRAMMAR = resources.files("dcpolicy.dsl").joinpath("policy.lark").read_text(encoding="utf-8")
# A keyword terminal: a name in capitals, an optional priority and one lower-case word,
# e.g. LEGAL_STATUS.3: "legal-status"
KEYWORD_TERMINALS = dict(re.findall(r'^([A-Z_]+)(?:\.\d+)?:\s*"([a-z][a-z-]*)"\s*$', GRAMMAR, flags=re.M))


def test_the_grammar_spells_exactly_the_keywords_of_the_table():
    assert set(KEYWORD_TERMINALS.values()) == builtins.KEYWORDS


@pytest.mark.parametrize("name, word", sorted(KEYWORD_TERMINALS.items()))
def test_each_keyword_terminal_is_named_after_its_word(name, word):
    assert builtins.terminal(word) == name


def test_every_clause_keyword_is_a_grammar_clause():
    clause_rule = re.search(r"^clause:(.*?)\n\n", GRAMMAR, flags=re.M | re.S).group(1)
    written = set(re.findall(r"\b([A-Z_]+) (?:STRING|NAME|expr|legal_status)", clause_rule))
    assert written == {builtins.terminal(k) for k in builtins.CLAUSES}


def test_clauses_accept_only_declaration_kinds():
    for clause in builtins.CLAUSES.values():
        assert set(clause.declarations) <= set(builtins.DECLARATION_KINDS), clause.keyword
        assert clause.value in ("text", "word", "expr"), clause.keyword
        assert clause.expects is None or clause.value == "expr", clause.keyword


def test_every_function_has_its_runtime_implementation():
    for function in builtins.FUNCTIONS.values():
        assert callable(getattr(runtime, function.runtime)), function.name
        assert function.calling in ("values", "lazy", "fiscal", "aggregate"), function.name
        low, high = function.arity
        assert 1 <= low <= high, function.name


def test_aggregates_are_the_functions_over_a_portfolio():
    assert set(builtins.AGGREGATES) == {"sum", "mean", "weighted_mean", "count", "all", "any", "minimum", "maximum"}
    assert [f.name for f in builtins.FUNCTIONS.values() if f.weighted] == ["weighted_mean"]


def test_reserved_names_are_keywords_a_name_can_look_like():
    assert "rule" in builtins.RESERVED_NAMES and "and" in builtins.RESERVED_NAMES
    assert not {"legal-status", "proposed", "in-force"} & builtins.RESERVED_NAMES


HEADER = 'jurisdiction xx "X"\n'


def _explain(source: str) -> str:
    from dcpolicy.dsl.checker import check

    with pytest.raises(DiagnosticError) as caught:
        check(parse(source, "t.policy"), source)
    return caught.value.render()


def test_the_checker_lists_the_allowed_clauses_in_table_order():
    text = _explain(HEADER + 'scope "s"\n  cite "c"\n  applies true\n  require true\n')
    assert 'E512 "require" is not a clause of the scope' in text
    assert "allowed here: cite, quote, note, applies" in text
    in_scope = [k for k, c in builtins.CLAUSES.items() if "scope" in c.declarations]
    assert in_scope == ["cite", "quote", "note", "applies"]


def test_the_checker_names_every_function_when_one_is_unknown():
    text = _explain(HEADER + 'define x = sqrt(2)\nscope "s"\n  cite "c"\n  applies x > 1\n')
    assert ", ".join(sorted(builtins.FUNCTIONS)) in text


def test_a_definition_may_not_take_a_builtin_name():
    for name in ("facility", "period", "first_known", "weighted_mean"):
        text = _explain(HEADER + f'define {name} = 1\nscope "s"\n  cite "c"\n  applies true\n')
        assert f'"{name}"' in text and "E502" in text, name


def test_the_language_reference_documents_every_function():
    reference = (Path(__file__).resolve().parent.parent / "docs" / "language.md").read_text(encoding="utf-8")
    for name in builtins.FUNCTIONS:
        assert f"`{name}(" in reference, name
