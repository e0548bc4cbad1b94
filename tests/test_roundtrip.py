"""The formatter: canonical layout, minimal parentheses, comments kept, idempotent, and
parse(format(p)) == p for the fixture, the shipped policies and generated expressions."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dcpolicy.dsl import ast
from dcpolicy.dsl.formatter import comments, format_expr, format_policy
from dcpolicy.dsl.parser import parse

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "policies" / "all_constructs.policy"
H = 'jurisdiction de "Germany"\n'


def fmt(source: str, file: str = "t.policy") -> str:
    return format_policy(parse(source, file), source)


def policy_sources():
    files = [FIXTURE] + sorted((ROOT / "policies").glob("*.policy"))
    return [pytest.param(path, id=path.name) for path in files]


# ---------------------------------------------------------------- whole policies
@pytest.mark.parametrize("path", policy_sources())
def test_parse_format_parse_gives_an_equal_ast(path):
    source = path.read_text(encoding="utf-8")
    policy = parse(source, path.name)
    formatted = format_policy(policy, source)
    assert parse(formatted, path.name) == policy


@pytest.mark.parametrize("path", policy_sources())
def test_format_is_idempotent(path):
    source = path.read_text(encoding="utf-8")
    once = fmt(source)
    assert fmt(once) == once


@pytest.mark.parametrize("path", policy_sources())
def test_every_comment_survives_in_order(path):
    source = path.read_text(encoding="utf-8")
    formatted = fmt(source)
    before = [c.text for c in comments(source)]
    after = [c.text for c in comments(formatted)]
    assert sorted(before) == sorted(after)
    own_line = [c.text for c in comments(source) if c.own_line]
    assert [t for t in after if t in own_line] == own_line  # full-line comments keep their order


def test_fixture_comments_in_order_and_in_place():
    formatted = fmt(FIXTURE.read_text(encoding="utf-8"))
    lines = formatted.splitlines()
    expected_order = [
        "# all_constructs.policy: one policy that uses every construct of the language.",
        "# the act",
        "# FY N starts on 1 April of year N",
        "# ---- INTERPRETATION: constants that encode a choice",
        "# §2(1)",
        "# 8.64 MJ/kWh primary-energy factor, 0.0258 kl/GJ crude-oil equivalent",
        '# boundary: "at least"',
        "# The central PUE rule.",
        '# a "#" inside a text is not a comment',
        "# relief",
        "# the reliefs of §5(3) Nr. 1 and 2",
        '# both bounds of "B" are inclusive',
        "# Reporting duty.",
        "# new ones only",
        "# end of file",
    ]
    positions = [formatted.index(text) for text in expected_order]
    assert positions == sorted(positions)
    # trailing comments stay on the line of their clause; full-line comments precede their element
    assert '  law          "Example Energy Efficiency Act (EEA) 2024"  # the act' in lines
    assert "define scope_threshold = 300 kW  # §2(1)" in lines
    index = lines.index("    # the reliefs of §5(3) Nr. 1 and 2")
    assert lines[index + 1] == '    cite    "EEA §5(3)"'
    index = lines.index('  # both bounds of "B" are inclusive')
    assert lines[index + 1].startswith('  level    "B" [1.2, 1.5]')
    assert lines[-1] == "# end of file"
    # a # inside a text is part of the text
    assert '  note         "applies to older facilities; see item #2"  # a "#" inside a text is not a comment' in lines


MESSY = '''# lead comment
jurisdiction   xx "X"   calendar fiscal-year from 04-01
    note "n1"  law "L"       # trailing on law
legal-status    proposed
define a=((1+2))*3^(2^2)  "doc"   # a
define b = -(a) + (-a)^2
# group two

define c = not (a > 1 and b < 2) or a in {1, 2}
rule r "T" cite "C" severity   target
   require a<=1 and (b>=2 or c)   # req
        exempt b > 1 because "why" cite "E"
band bb "B" cite "c" of a level "lo" (-inf,1) level "hi" [1, inf)
report rep "R" cite "c" item x "X" public a item longer "Y" non-public b when c
# the end
'''

CANONICAL = '''# lead comment
jurisdiction xx "X"
  law          "L"  # trailing on law
  legal-status proposed
  calendar     fiscal-year from 04-01
  note         "n1"

define a = ((1 + 2)) * 3 ^ (2 ^ 2)  "doc"  # a
define b = -(a) + (-a) ^ 2

# group two

define c = not (a > 1 and b < 2) or a in {1, 2}

rule r "T"
  cite     "C"
  severity target
  require  a <= 1 and (b >= 2 or c)  # req
  exempt   b > 1
    because "why"
    cite    "E"

band bb "B"
  cite  "c"
  of    a
  level "lo" (-inf, 1)
  level "hi" [1, inf)

report rep "R"
  cite "c"
  item x      "X" public a
  item longer "Y" non-public b when c

# the end
'''


def test_canonical_layout():
    assert fmt(MESSY) == CANONICAL
    assert fmt(CANONICAL) == CANONICAL
    assert parse(CANONICAL, "t") == parse(MESSY, "t")


def test_blank_lines_between_declarations_but_definitions_stay_grouped():
    out = fmt(H + "define a = 1\ndefine b = a\nrule r \"t\" cite \"c\" require b > 0\nrule s \"u\" cite \"c\" require true\n")
    assert out == (H + "\ndefine a = 1\ndefine b = a\n\nrule r \"t\"\n  cite    \"c\"\n  require b > 0\n\n"
                   "rule s \"u\"\n  cite    \"c\"\n  require true\n")


def test_texts_are_escaped():
    source = 'jurisdiction xx "say \\"hi\\" \\\\ \\t"\n'
    out = fmt(source)
    assert out == source
    assert parse(out, "t") == parse(source, "t")


def test_crlf_source():
    source = MESSY.replace("\n", "\r\n")
    assert fmt(source) == CANONICAL


# ---------------------------------------------------------------- expressions: minimal parentheses
def q(n):
    return ast.Quantity(float(n), str(n), None, None)


def r(name):
    return ast.Ref((name,), None, None)


A, B, C = r("a"), r("b"), r("c")


def arith(op, left, right):
    return ast.Arith(op, left, right, None)


def logic(op, left, right):
    return ast.Logical(op, left, right, None)


@pytest.mark.parametrize("tree, text", [
    (arith("*", arith("+", A, B), C), "(a + b) * c"),
    (arith("+", A, arith("*", B, C)), "a + b * c"),
    (arith("-", arith("-", A, B), C), "a - b - c"),
    (arith("-", A, arith("-", B, C)), "a - (b - c)"),
    (arith("/", A, arith("*", B, C)), "a / (b * c)"),
    (arith("^", A, arith("^", B, C)), "a ^ b ^ c"),
    (arith("^", arith("^", A, B), C), "(a ^ b) ^ c"),
    (arith("^", ast.Neg(A, None), B), "-a ^ b"),
    (ast.Neg(arith("^", A, B), None), "-(a ^ b)"),
    (ast.Neg(ast.Neg(q(1), None), None), "--1"),
    (arith("-", A, ast.Neg(q(1), None)), "a - -1"),
    (logic("and", logic("or", A, B), C), "(a or b) and c"),
    (logic("or", A, logic("and", B, C)), "a or b and c"),
    (logic("and", A, logic("and", B, C)), "a and (b and c)"),
    (ast.Not(logic("and", A, B), None), "not (a and b)"),
    (ast.Not(ast.Not(A, None), None), "not not a"),
    (ast.Not(ast.Compare("<", A, B, None), None), "not a < b"),
    (ast.Compare("==", ast.Not(A, None), B, None), "(not a) == b"),
    (ast.Compare("==", ast.Compare("<", A, B, None), C, None), "(a < b) == c"),
    (ast.Compare("<=", arith("+", A, B), arith("*", B, C), None), "a + b <= b * c"),
    (ast.Member(ast.Compare("<", A, B, None), (ast.BoolLit(True, None),), False, None), "(a < b) in {true}"),
    (ast.Member(arith("+", A, B), (q(1), logic("or", A, B)), True, None), "a + b not in {1, a or b}"),
    (ast.Paren(arith("+", A, B), None), "(a + b)"),
    (arith("*", ast.Paren(A, None), B), "(a) * b"),
    (ast.Call("weighted_mean", (A,), B, logic("and", A, B), None), "weighted_mean(a by b where a and b)"),
    (ast.Call("sum", (A,), None, B, None, True), "sum(a where b including out-of-scope)"),
    (ast.Tiered((ast.Tier(q(1), A, None),), q(2), None), "(1 when a, 2 otherwise)"),
    (ast.Ref(("period", "energy", "total"), 2, None), "period[-2].energy.total"),
    (ast.Quantity(8.64, "8.64", "MJ/kWh", None), "8.64 MJ/kWh"),
    (ast.StringLit('a "b"', None), '"a \\"b\\""'),
    (ast.DateLit("2026-07-01", None), "2026-07-01"),
])
def test_minimal_parentheses(tree, text):
    assert format_expr(tree) == text
    parsed = parse(H + f"define x = {text}\n", "t").definitions[0].expr
    assert strip_parens(parsed) == strip_parens(tree)


# ---------------------------------------------------------------- property: generated expressions
def strip_parens(node):
    """The tree without Paren nodes: what an expression means, regardless of how it is bracketed."""
    if isinstance(node, ast.Paren):
        return strip_parens(node.inner)
    if isinstance(node, tuple):
        return tuple(strip_parens(x) for x in node)
    if attrs.has(type(node)):
        changes = {}
        for field in attrs.fields(type(node)):
            value = getattr(node, field.name)
            if attrs.has(type(value)) or isinstance(value, tuple):
                changes[field.name] = strip_parens(value)
        return attrs.evolve(node, **changes)
    return node


NAMES = st.sampled_from(["a", "b", "pue", "x_1", "Total"])
UNITS = st.sampled_from([None, None, "kW", "MWh", "%", "MJ/kWh", "kl/GJ", "years", "m2", "degC"])


@st.composite
def quantities(draw):
    whole = draw(st.integers(min_value=0, max_value=10**6))
    fraction = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=999)))
    text = str(whole) if fraction is None else f"{whole}.{fraction:02d}"
    return ast.Quantity(float(text), text, draw(UNITS), None)


@st.composite
def references(draw):
    root = draw(st.sampled_from(["period", "facility", "a", "pue"]))
    if root in ("period", "facility"):
        parts = (root,) + tuple(draw(st.lists(NAMES, min_size=1, max_size=3)))
        offset = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=9))) if root == "period" else None
        return ast.Ref(parts, offset, None)
    return ast.Ref((root,), None, None)


@st.composite
def dates(draw):
    day = draw(st.dates())
    return ast.DateLit(f"{day.year:04d}-{day.month:02d}-{day.day:02d}", None)


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\x85")
               | st.sampled_from(['"', "\\", "\n", "\t", "#"]), max_size=12)

LEAVES = st.one_of(
    quantities(),
    references(),
    dates(),
    TEXT.map(lambda s: ast.StringLit(s, None)),
    st.booleans().map(lambda b: ast.BoolLit(b, None)),
)


def _extend(children):
    two = st.tuples(children, children)
    return st.one_of(
        st.builds(lambda op, lr: ast.Arith(op, lr[0], lr[1], None), st.sampled_from("+-*/^"), two),
        st.builds(lambda op, lr: ast.Compare(op, lr[0], lr[1], None), st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), two),
        st.builds(lambda op, lr: ast.Logical(op, lr[0], lr[1], None), st.sampled_from(["and", "or"]), two),
        children.map(lambda e: ast.Not(e, None)),
        children.map(lambda e: ast.Neg(e, None)),
        children.map(lambda e: ast.Paren(e, None)),
        st.builds(lambda e, opts, neg: ast.Member(e, tuple(opts), neg, None),
                  children, st.lists(children, min_size=1, max_size=3), st.booleans()),
        st.builds(lambda tiers, other: ast.Tiered(tuple(ast.Tier(v, c, None) for v, c in tiers), other, None),
                  st.lists(two, min_size=1, max_size=2), children),
        st.builds(lambda name, args, by, where, everyone: ast.Call(name, tuple(args), by, where, None, everyone),
                  st.sampled_from(["max", "weighted_mean", "known", "f"]), st.lists(children, min_size=1, max_size=3),
                  st.one_of(st.none(), children), st.one_of(st.none(), children), st.booleans()),
    )


EXPRESSIONS = st.recursive(LEAVES, _extend, max_leaves=12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(EXPRESSIONS)
def test_generated_expressions_round_trip(tree):
    text = format_expr(tree)
    parsed = parse(H + f"define x = {text}\n", "t").definitions[0].expr
    # same meaning: equal once the parentheses are ignored
    assert strip_parens(parsed) == strip_parens(tree)
    # printing the parsed tree gives the same text, and that text parses to the same tree
    assert format_expr(parsed) == text
    assert parse(H + f"define x = {format_expr(parsed)}\n", "t").definitions[0].expr == parsed


@settings(max_examples=150, deadline=None)
@given(EXPRESSIONS, TEXT)
def test_generated_expressions_in_a_policy_with_comments(tree, note):
    comment = "# " + note.replace("\n", " ")
    source = (H + f"{comment}\ndefine x = {format_expr(tree)}  {comment}\n"
              f'rule r "t"\n  cite "c"\n  require x == x  {comment}\n')
    policy = parse(source, "t")
    once = format_policy(policy, source)
    assert parse(once, "t") == policy
    assert format_policy(parse(once, "t"), once) == once
    assert [c.text for c in comments(once)] == [comment.rstrip()] * 3
