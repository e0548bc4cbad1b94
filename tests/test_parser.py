"""The parser: text to AST (shapes, precedence, spans, literals) and syntax errors."""

from __future__ import annotations

import pytest

from dcpolicy.dsl import ast
from dcpolicy.dsl.diagnostics import DiagnosticError
from dcpolicy.dsl.parser import parse

H = 'jurisdiction de "Germany"\n'


def expr(text: str):
    """The expression of a one-definition policy."""
    policy = parse(H + f"define x = {text}\n", "t.policy")
    return policy.definitions[0].expr


def q(text, unit=None):
    return ast.Quantity(float(text), text, unit, None)


def ref(*parts, offset=None):
    return ast.Ref(tuple(parts), offset, None)


def syntax_error(text: str):
    with pytest.raises(DiagnosticError) as caught:
        parse(text, "de.policy")
    (diagnostic,) = caught.value.diagnostics
    return diagnostic


# ---------------------------------------------------------------- header
def test_header_fields():
    policy = parse(H + '  law "EnEfG"\n  source "https://x"\n  legal-status proposed\n'
                   '  calendar fiscal-year from 04-01\n  note "a"\n  note "b"\n', "de.policy")
    header = policy.header
    assert (header.code, header.name, header.law, header.source) == ("de", "Germany", "EnEfG", "https://x")
    assert header.legal_status == "proposed"
    assert (header.calendar.kind, header.calendar.start) == ("fiscal-year", "04-01")
    assert header.notes == ("a", "b")
    assert policy.definitions == () and policy.declarations == ()


def test_header_clauses_in_any_order_and_calendar_year():
    policy = parse(H + '  calendar calendar-year\n  law "L"\n', "de.policy")
    assert policy.header.calendar.kind == "calendar-year"
    assert policy.header.calendar.start is None
    assert policy.header.law == "L"
    assert policy.header.source is None


def test_string_escapes():
    policy = parse('jurisdiction de "say \\"hi\\"\\n\\\\ok"\n', "de.policy")
    assert policy.header.name == 'say "hi"\n\\ok'


# ---------------------------------------------------------------- declarations
def test_rule_clauses_blocks_and_spans():
    source = H + (
        'rule pue_limit "PUE at most 1.3"\n'
        '  cite     "§11"\n'
        '  severity mandatory\n'
        '  legal-status in-force\n'
        '  for      facility\n'
        '  require  pue <= 1.3\n'
        '  exempt   facility.network_node\n'
        '    cite    "§11(3)"\n'
        '    because "why"\n'
    )
    (rule,) = parse(source, "de.policy").declarations
    assert (rule.kind, rule.name, rule.title) == ("rule", "pue_limit", "PUE at most 1.3")
    assert [c.keyword for c in rule.clauses] == ["cite", "severity", "legal-status", "for", "require"]
    assert rule.value("cite") == "§11"
    assert rule.value("severity") == "mandatory"
    assert rule.value("legal-status") == "in-force"
    assert rule.value("for") == "facility"
    assert rule.value("require") == ast.Compare("<=", ref("pue"), q("1.3"), None)
    (block,) = rule.blocks
    assert block.keyword == "exempt" and block.condition == ref("facility", "network_node")
    assert block.text("because") == "why" and block.text("quote") is None
    # spans: the rule starts at line 2, its name at column 6; the require clause on line 7
    assert (rule.span.line, rule.span.column) == (2, 1)
    assert (rule.name_span.line, rule.name_span.column) == (2, 6)
    require = rule.clause("require")
    assert (require.span.line, require.span.column) == (7, 3)
    assert (require.value.span.line, require.value.span.column) == (7, 12)
    assert (block.span.line, block.span.column, block.clauses[1].span.line) == (8, 3, 10)


def test_scope_band_report_and_definitions_keep_source_order():
    source = H + (
        'define a = 1 "doc"\n'
        'scope "S"\n  cite "c"\n  applies true\n  exclude false\n    because "b"\n'
        'define b = 2\n'
        'band bnd "B"\n  cite "c"\n  of a\n  level "lo" (-inf, 1.5)\n  level "hi" [1.5, inf]\n'
        'report rep "R"\n  cite "c"\n  due 2027-03-31\n'
        '  item n "Name" public facility.name\n  item d "Design" non-public facility.design_pue when true\n'
    )
    policy = parse(source, "de.policy")
    assert [(d.name, d.doc) for d in policy.definitions] == [("a", "doc"), ("b", None)]
    assert [d.kind for d in policy.declarations] == ["scope", "band", "report"]
    assert policy.scope.name is None and policy.scope.title == "S"
    assert policy.scope.blocks[0].keyword == "exclude"
    assert [r.name for r in policy.rules] == ["bnd", "rep"]
    low, high = policy.declarations[1].levels
    assert low.label == "lo"
    assert low.low == ast.Bound(None, False, True, None)
    assert low.high == ast.Bound(q("1.5"), False, False, None)
    assert high.low.inclusive and high.high.inclusive and high.high.value is None
    assert not high.high.negative_infinity
    name, design = policy.declarations[2].items
    assert (name.name, name.title, name.public, name.condition) == ("n", "Name", True, None)
    assert (design.public, design.condition) == (False, ast.BoolLit(True, None))
    assert policy.declarations[2].value("due") == ast.DateLit("2027-03-31", None)


# ---------------------------------------------------------------- expressions
def test_literals():
    assert expr("300 kW") == q("300", "kW")
    assert expr("8.64 MJ/kWh") == q("8.64", "MJ/kWh")
    assert expr("10 %") == q("10", "%")
    assert expr("10%") == q("10", "%")
    assert expr("2 years") == q("2", "years")
    assert expr("1.50") != expr("1.5")  # the number is kept as written
    assert expr("2026-07-01") == ast.DateLit("2026-07-01", None)
    assert expr('"colocation"') == ast.StringLit("colocation", None)
    assert expr("true") == ast.BoolLit(True, None)
    assert expr("false") == ast.BoolLit(False, None)


def test_references_and_period_offsets():
    assert expr("facility.power.it_installed") == ref("facility", "power", "it_installed")
    offset = expr("period[-1].energy.total")
    assert offset == ref("period", "energy", "total", offset=1)
    assert offset.text == "period[-1].energy.total"
    assert (offset.root, offset.path) == ("period", "energy.total")


def test_precedence_arithmetic():
    # 1 + 2 * 3 ^ 2 ^ 2  ==  1 + (2 * (3 ^ (2 ^ 2)))
    assert expr("1 + 2 * 3 ^ 2 ^ 2") == ast.Arith(
        "+", q("1"), ast.Arith("*", q("2"), ast.Arith("^", q("3"), ast.Arith("^", q("2"), q("2"), None), None), None),
        None)
    # - and / are left-associative
    assert expr("8 - 4 - 2") == ast.Arith("-", ast.Arith("-", q("8"), q("4"), None), q("2"), None)
    assert expr("8 / 4 / 2") == ast.Arith("/", ast.Arith("/", q("8"), q("4"), None), q("2"), None)
    # unary minus binds tighter than ^
    assert expr("-2 ^ 2") == ast.Arith("^", ast.Neg(q("2"), None), q("2"), None)


def test_precedence_logic():
    a, b, c = ref("a"), ref("b"), ref("c")
    assert expr("a or b and c") == ast.Logical("or", a, ast.Logical("and", b, c, None), None)
    assert expr("not a and b") == ast.Logical("and", ast.Not(a, None), b, None)
    assert expr("not a < 1 + 2") == ast.Not(ast.Compare("<", a, ast.Arith("+", q("1"), q("2"), None), None), None)
    assert expr("a or b or c") == ast.Logical("or", ast.Logical("or", a, b, None), c, None)


def test_parentheses_are_kept():
    assert expr("(1 + 2) * 3") == ast.Arith("*", ast.Paren(ast.Arith("+", q("1"), q("2"), None), None), q("3"), None)
    assert expr("(1)") == ast.Paren(q("1"), None)
    assert expr("(1)") != q("1")


def test_membership_tiered_and_calls():
    assert expr('facility.type in {"a", "b"}') == ast.Member(
        ref("facility", "type"), (ast.StringLit("a", None), ast.StringLit("b", None)), False, None)
    assert expr('facility.type not in {"a"}').negated is True
    tiered = expr("(10 % when a, 15 % when b, 20 % otherwise)")
    assert tiered == ast.Tiered(
        (ast.Tier(q("10", "%"), ref("a"), None), ast.Tier(q("15", "%"), ref("b"), None)), q("20", "%"), None)
    call = expr("weighted_mean(pue by period.energy.total where period.full_period)")
    assert call == ast.Call("weighted_mean", (ref("pue"),), ref("period", "energy", "total"),
                            ref("period", "full_period"), None)
    assert expr("max(1, 2, 3)").args == (q("1"), q("2"), q("3"))
    assert expr("count(x where x > 1)").where is not None
    assert expr("known(x)") == ast.Call("known", (ref("x"),), None, None, None)


def test_walk_visits_every_subexpression():
    nodes = list(ast.walk(expr("max(a, -b) + (c when d, e otherwise)")))
    names = [n.parts[0] for n in nodes if isinstance(n, ast.Ref)]
    assert names == ["a", "b", "c", "d", "e"]


def test_comments_and_layout_are_ignored():
    compact = parse(H + 'rule r "t" cite "c" require 1 <= 2\n', "a.policy")
    spread = parse(H + '# lead\nrule r  # trailing\n   "t"\n\tcite "c # not a comment"\n  require 1\n <= 2 # x\n', "b.policy")
    assert compact.declarations[0].clauses[1] == spread.declarations[0].clauses[1]
    assert spread.declarations[0].value("cite") == "c # not a comment"


def test_crlf_line_endings():
    policy = parse(H.replace("\n", "\r\n") + 'rule r "t"\r\n  cite "c"\r\n  require 1 <= 2\r\n', "de.policy")
    assert policy.declarations[0].clause("require").span.line == 4


def test_spans_are_ignored_by_equality():
    one = parse(H + "define x = 1 + 2\n", "a.policy")
    two = parse(H + "\n\n\ndefine   x=1+2\n", "b.policy")
    assert one == two
    assert one.definitions[0].span != two.definitions[0].span


def test_the_policy_and_its_header_clauses_carry_spans():
    source = (H + '  source "S"\n  law "L"  # the act\n  note "a"\n  note "b"\n  calendar fiscal-year from 04-01\n'
              '\ndefine x = 1\nrule r "t"\n  cite "c"\n  require x <= 1\n# the end\n')
    policy = parse(source, "a.policy")
    assert [(c.keyword, c.span.line, c.span.column, c.span.end_line, c.span.end_column)
            for c in policy.header.clauses] == [
        ("source", 2, 3, 2, 13), ("law", 3, 3, 3, 10), ("note", 4, 3, 4, 11), ("note", 5, 3, 5, 11),
        ("calendar", 6, 3, 6, 34)]
    assert [c.value for c in policy.header.clauses[:4]] == ["S", "L", "a", "b"]
    assert policy.header.clauses[4].value == policy.header.calendar
    assert [s.line for s in policy.header.clause_spans("note")] == [4, 5]
    assert policy.header.clause_spans("legal-status") == ()
    span = policy.span
    assert (span.file, span.line, span.column, span.end_line, span.end_column) == ("a.policy", 1, 1, 11, 17)


def test_header_clause_order_and_positions_do_not_change_equality():
    one = parse(H + '  law "L"\n  source "S"\n  note "n"\n', "a.policy")
    two = parse("\n" + H + '  source "S"\n\n  law   "L"\n  note "n"\n', "b.policy")
    assert one == two
    assert [c.keyword for c in one.header.clauses] != [c.keyword for c in two.header.clauses]
    assert one.span != two.span


# ---------------------------------------------------------------- syntax errors
SYNTAX = [
    # (source, code, line, column, words in the message)
    (H + 'rule r "t" cite "c"\n  require pue 1.3\n', "E101", 3, 15, 'expected a comparison such as "<=" after "pue"'),
    (H + 'rule r "t"\n  cite "c"\n  requires x\n', "E101", 4, 3, 'found "requires"'),
    (H + 'rule r "t"\n  cite "c"\n  requirement pue <= 1.3\n', "E101", 4, 3, 'found "requirement"'),
    (H + '  laws "x"\n', "E101", 2, 3, '"laws" is not a keyword'),
    (H + 'rule "t"\n', "E101", 2, 6, "expected a name"),
    (H + 'rule r "t"\n  cite c\n', "E101", 3, 8, "quoted text"),
    (H + 'band b "t"\n  cite "c"\n  of x\n  level "A" [1, 2\n', "E103", 5, 18, '"]"'),
    (H + 'rule r "t"\n  cite "c"\n  require 1 ≥ 2\n', "E102", 4, 13, '"≥" is not an operator'),
    (H + 'rule r "t"\n  cite "c"\n  require 1 @ 2\n', "E102", 4, 13, 'unexpected character "@"'),
    (H + 'rule r "t"\n  cite "c\n', "E104", 3, 8, "no closing quote"),
    (H + 'rule r "t"\n  cite "c"\n  from 2026-1-01\n', "E105", 4, 8, '"2026-1-01" is not a date'),
    (H + 'rule r "t"\n  cite "c"\n  require (1 <= 2', "E103", 4, 18, "the file ends inside a declaration"),
    ('rule r "t"\n', "E507", 1, 1, "jurisdiction header"),
    ("", "E507", 1, 1, "jurisdiction header"),
    (H + '  law "a"\n  law "b"\n', "E508", 3, 3, 'the header says "law" twice'),
]


@pytest.mark.parametrize("source, code, line, column, words", SYNTAX)
def test_syntax_errors(source, code, line, column, words):
    diagnostic = syntax_error(source)
    assert (diagnostic.code, diagnostic.span.line, diagnostic.span.column) == (code, line, column), diagnostic.headline()
    assert words in diagnostic.message


def test_syntax_error_carries_the_source_for_rendering():
    source = H + 'rule r "t" cite "c"\n  require pue 1.3\n'
    with pytest.raises(DiagnosticError) as caught:
        parse(source, "de.policy")
    assert caught.value.sources == {"de.policy": source}
    assert caught.value.render().splitlines()[1] == "    3 |   require pue 1.3"


def test_misspelt_clause_keyword_suggests_the_keyword():
    diagnostic = syntax_error(H + 'rule r "t"\n  cite "c"\n  aplies true\n')
    assert diagnostic.hint == 'did you mean "applies"?'


def test_a_keyword_must_be_a_whole_word():
    diagnostic = syntax_error(H + 'rule r "t"\n  cite "c"\n  requirement pue <= 1.3\n')
    assert diagnostic.hint == 'did you mean "require"?'
    assert (diagnostic.span.column, diagnostic.span.end_column) == (3, 14)
