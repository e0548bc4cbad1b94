"""dsl/state_lexer.py: the parser's lexer finds exactly the tokens, trees and errors of Lark's own contextual lexer.

Every policy in the repository (shipped, golden, the corpus), each shipped policy cut short at four places
and with words glued, misspelt or out of place, and random edits: the same token types, texts and positions,
the same tree, and the same error (type, message, token, expected and allowed terminals) as Lark's.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from lark import Lark, Tree

from dcpolicy.dsl import parser as policy_parser
from dcpolicy.dsl import state_lexer
from dcpolicy.dsl.builtins import KEYWORDS, terminal

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(p for folder in ("policies", "tests") for p in (ROOT / folder).rglob("*.policy"))
PIECES = ["require", "requires", " ", "\n", "(", ")", "<=", "≤", '"', "#", "1.5", "2024-07-01", "07-01", "kWh",
          "in-force", "rule", "x", "_", "-", "/", "°C", "every", "some", "{", "}", "[", "]", ",", ".", "rules", "due",
          "%", "２", "\t"]


@pytest.fixture(scope="module")
def lexers():
    grammar = (Path(policy_parser.__file__).parent / "policy.lark").read_text(encoding="utf-8")

    def lark() -> Lark:
        return Lark(grammar, parser="lalr", strict=True, propagate_positions=True, maybe_placeholders=True,
                    cache=True, lexer_callbacks={terminal(k): policy_parser._keyword_boundary for k in KEYWORDS})

    ours = lark()
    assert state_lexer.install(ours)
    return lark(), ours


def outcome(parser: Lark, text: str):
    """The tree as a flat list (nodes with positions, tokens with type, text and position), or the error."""
    marker = policy_parser._CURRENT.set(text)  # the keyword boundary check reads it
    try:
        tree = parser.parse(text)
    except Exception as err:  # noqa: BLE001 - any error, compared field by field
        token = getattr(err, "token", None)
        return (type(err).__name__, str(err), sorted(getattr(err, "expected", ()) or ()),
                sorted(getattr(err, "allowed", ()) or ()),
                None if token is None else (token.type, str(token), token.line, token.column))
    finally:
        policy_parser._CURRENT.reset(marker)
    flat, stack = [], [tree]
    while stack:  # without recursion: the corpus holds trees deeper than Python's recursion limit
        node = stack.pop()
        if isinstance(node, Tree):
            flat.append((node.data, node.meta.line if not node.meta.empty else None,
                         node.meta.end_pos if not node.meta.empty else None))
            stack.extend(reversed(node.children))
        else:
            flat.append(None if node is None else (node.type, str(node), node.line, node.column, node.end_pos))
    return flat


def test_the_parser_uses_a_state_lexer_in_every_state():
    lexer = policy_parser._lark().parser.lexer
    assert lexer.lexers and all(type(state) is state_lexer.StateLexer for state in lexer.lexers.values())


def test_every_policy_of_the_repository_lexes_and_parses_as_with_larks_lexer(lexers):
    stock, ours = lexers
    assert len(FILES) > 200
    for path in FILES:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert outcome(ours, text) == outcome(stock, text), path


def test_cut_short_glued_and_misplaced_words_give_larks_tokens_and_errors(lexers):
    stock, ours = lexers
    for path in sorted((ROOT / "policies").glob("*.policy")):
        text = path.read_text(encoding="utf-8")
        for cut in range(len(text) // 8, len(text), max(1, len(text) // 4)):
            for tail in (" requires ≤ 3 \"x", " rule rule in-force 2024-01-01 07-01 kWh/m2 ", "２fiscal-yearly"):
                edited = text[:cut] + tail
                assert outcome(ours, edited) == outcome(stock, edited), (path.name, cut, tail)


def test_random_edits_give_larks_tokens_and_errors(lexers):
    stock, ours = lexers
    chosen = random.Random(int(os.environ.get("DCPOLICY_LEXER_SEED", "9")))
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in FILES if "corpus" in p.parts]  # small files
    for _ in range(150):
        text = chosen.choice(texts)
        start = chosen.randrange(len(text) + 1)
        end = min(len(text), start + chosen.randrange(12))
        edited = text[:start] + "".join(chosen.choice(PIECES) for _ in range(chosen.randrange(3))) + text[end:]
        assert outcome(ours, edited) == outcome(stock, edited), (start, end, edited[max(0, start - 30):start + 30])


def test_a_grammar_it_does_not_reproduce_keeps_larks_lexer():
    flagged = Lark('start: WORD\nWORD: /[a-z]+/i\n%ignore " "', parser="lalr")
    assert not state_lexer.install(flagged)
    assert type(next(iter(flagged.parser.lexer.lexers.values()))) is not state_lexer.StateLexer
    assert not state_lexer.install(Lark('start: "a"', parser="lalr", lexer="basic"))
