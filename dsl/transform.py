"""Lark parse tree → policy AST. Nothing after this module sees a Lark type."""

from __future__ import annotations

import re

from lark import Token, Tree

from . import ast
from .diagnostics import Diagnostic, Span
from .messages import E105, E107, E508

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
MAX_DIGITS = 15  # before and after the point: what a float holds exactly (language.md, "Numbers")
MAX_OFFSET = 100  # period[-k]: at most this many periods back


def _unquote(token: Token) -> str:
    body = str(token)[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), body)


class _Spans:
    def __init__(self, file: str):
        self.file = file

    def of_token(self, token: Token) -> Span:
        return Span(self.file, token.line, token.column, token.end_line, token.end_column)

    def of_meta(self, meta) -> Span:
        if getattr(meta, "empty", True):
            return Span(self.file, 1, 1, 1, 2)
        return Span(self.file, meta.line, meta.column, meta.end_line, meta.end_column)

    def between(self, first: Span, last: Span) -> Span:
        return Span(self.file, first.line, first.column, last.end_line, last.end_column)


class ToAst:
    """One method per grammar rule, called with the rule's meta (its position) and transformed children."""

    def __init__(self, file: str):
        self.spans = _Spans(file)
        self.file = file
        self.diagnostics: list[Diagnostic] = []

    def _s(self, meta) -> Span:
        return self.spans.of_meta(meta)

    # ------------------------------------------------------------ header
    def start(self, meta, children):
        header, *declarations = children
        definitions = tuple(d for d in declarations if isinstance(d, ast.Definition))
        others = tuple(d for d in declarations if isinstance(d, ast.Declaration))
        return ast.Policy(self.file, header, definitions, others, self._s(meta))

    def header(self, meta, children):
        _kw, code, name, *clauses = children
        fields: dict = {"law": None, "source": None, "territory": None, "legal_status": None, "calendar": None}
        notes = []
        for clause in clauses:
            key = clause.keyword.replace("-", "_")
            if key == "note":
                notes.append(clause.value)
            elif fields.get(key) is not None:
                self.diagnostics.append(E508.header.at(clause.span, keyword=clause.keyword))
            else:
                fields[key] = clause.value
        return ast.Header(str(code), _unquote(name), notes=tuple(notes), span=self._s(meta), clauses=tuple(clauses),
                          **fields)

    def law(self, meta, c):
        return ast.HeaderClause("law", _unquote(c[1]), self._s(meta))

    def source(self, meta, c):
        return ast.HeaderClause("source", _unquote(c[1]), self._s(meta))

    def territory(self, meta, c):
        return ast.HeaderClause("territory", _unquote(c[1]), self._s(meta))

    def header_note(self, meta, c):
        return ast.HeaderClause("note", _unquote(c[1]), self._s(meta))

    def legal_status(self, meta, c):
        if len(c) == 1:  # the value rule itself
            return str(c[0])
        return ast.HeaderClause("legal-status", c[1], self._s(meta))

    def calendar(self, meta, c):
        return ast.HeaderClause("calendar", c[1], self._s(meta))

    def calendar_year(self, meta, c):
        return ast.Calendar("calendar-year", None, self._s(meta))

    def fiscal_year(self, meta, c):
        return ast.Calendar("fiscal-year", str(c[2]), self._s(meta))

    # ------------------------------------------------------------ declarations
    def definition(self, meta, c):
        _kw, name, _eq, expr, doc = c
        return ast.Definition(str(name), expr, _unquote(doc) if doc is not None else None, self._s(meta))

    def _declaration(self, kind, meta, name_token, title, body):
        clauses = tuple(x for x in body if isinstance(x, ast.Clause))
        return ast.Declaration(
            kind=kind,
            name=str(name_token) if name_token is not None else None,
            title=_unquote(title),
            clauses=clauses,
            blocks=tuple(x for x in body if isinstance(x, ast.Block)),
            levels=tuple(x for x in body if isinstance(x, ast.Level)),
            items=tuple(x for x in body if isinstance(x, ast.Item)),
            span=self._s(meta),
            name_span=self.spans.of_token(name_token) if name_token is not None else self._s(meta),
        )

    def scope(self, meta, c):
        return self._declaration("scope", meta, None, c[1], c[2:])

    def rule(self, meta, c):
        return self._declaration("rule", meta, c[1], c[2], c[3:])

    def band(self, meta, c):
        return self._declaration("band", meta, c[1], c[2], c[3:])

    def report(self, meta, c):
        return self._declaration("report", meta, c[1], c[2], c[3:])

    def clause(self, meta, c):
        keyword, value = str(c[0]), c[1]
        if isinstance(value, Token):
            value = _unquote(value) if value.type == "STRING" else str(value)
        return ast.Clause(keyword, value, self._s(meta))

    def block(self, meta, c):
        keyword, condition, *clauses = c
        return ast.Block(str(keyword), condition, tuple(clauses), self._s(meta))

    def block_clause(self, meta, c):
        return ast.Clause(str(c[0]), _unquote(c[1]), self._s(meta))

    def level(self, meta, c):
        low, high = c[2]
        return ast.Level(_unquote(c[1]), low, high, self._s(meta))

    def interval(self, meta, c):
        opening, low, _comma, high, closing = c
        lo = ast.Bound(low.value, str(opening) == "[", low.negative_infinity, low.span)
        hi = ast.Bound(high.value, str(closing) == "]", high.negative_infinity, high.span)
        return (lo, hi)

    def bound(self, meta, c):
        value = c[0]
        if isinstance(value, Token):  # inf
            return ast.Bound(None, False, False, self.spans.of_token(value))
        return ast.Bound(value, False, False, self._s(meta))

    def neg_inf(self, meta, c):
        return ast.Bound(None, False, True, self._s(meta))

    def item(self, meta, c):
        _kw, name, title, visibility, value, _when, condition = c
        return ast.Item(str(name), _unquote(title), visibility.type == "PUBLIC", value, condition, self._s(meta))

    # ------------------------------------------------------------ expressions
    def logical(self, meta, c):
        return ast.Logical(str(c[1]), c[0], c[2], self._s(meta))

    def negation(self, meta, c):
        return ast.Not(c[1], self._s(meta))

    def compare(self, meta, c):
        return ast.Compare(c[1], c[0], c[2], self._s(meta))

    def comp_op(self, meta, c):
        return str(c[0])

    def member(self, meta, c):
        return ast.Member(c[0], c[2], False, self._s(meta))

    def not_member(self, meta, c):
        return ast.Member(c[0], c[3], True, self._s(meta))

    def set_literal(self, meta, c):
        return tuple(x for x in c if not isinstance(x, Token))

    def arith(self, meta, c):
        return ast.Arith(str(c[1]), c[0], c[2], self._s(meta))

    def neg(self, meta, c):
        return ast.Neg(c[1], self._s(meta))

    def quantity(self, meta, c):
        number, unit = c
        whole, _, fraction = str(number).partition(".")
        if len(whole.lstrip("0")) > MAX_DIGITS or len(fraction) > MAX_DIGITS:
            self.diagnostics.append(E107.at(self.spans.of_token(number), text=_clipped(str(number)), digits=MAX_DIGITS))
        return ast.Quantity(float(number), str(number), str(unit) if unit is not None else None, self._s(meta))

    def date(self, meta, c):
        token = c[0]
        if not _DATE.match(str(token)):
            self.diagnostics.append(E105.at(self.spans.of_token(token), text=token))
        return ast.DateLit(str(token), self.spans.of_token(token))

    def string(self, meta, c):
        return ast.StringLit(_unquote(c[0]), self.spans.of_token(c[0]))

    def true(self, meta, c):
        return ast.BoolLit(True, self.spans.of_token(c[0]))

    def false(self, meta, c):
        return ast.BoolLit(False, self.spans.of_token(c[0]))

    def atom(self, meta, c):  # ( expr )
        return ast.Paren(c[1], self._s(meta))

    def reference(self, meta, c):
        root, offset, *rest = c
        parts = (str(root),) + tuple(str(t) for t in rest if t.type == "NAME")
        return ast.Ref(parts, offset, self._s(meta))

    def offset(self, meta, c):
        text = str(c[2])
        if not text.isdigit() or not 1 <= int(text) <= MAX_OFFSET:  # period[-1.5] is not period[-1]
            self.diagnostics.append(E107.offset.at(self._s(meta), text=_clipped(text), limit=MAX_OFFSET))
            return 1
        return int(text)

    def call(self, meta, c):
        name, _lp, arguments, _rp = c
        args, by, where, everyone = arguments if arguments is not None else ((), None, None, False)
        return ast.Call(str(name), args, by, where, self._s(meta), everyone)

    def arguments(self, meta, c):
        by = where = None
        everyone = False
        args = []
        iterator = iter(c)
        for x in iterator:
            if isinstance(x, Token) and x.type == "BY":
                by = next(iterator)
            elif isinstance(x, Token) and x.type == "WHERE":
                where = next(iterator)
            elif isinstance(x, Token) and x.type == "OUT_OF_SCOPE":
                everyone = True
            elif x is None or isinstance(x, Token):
                continue
            else:
                args.append(x)
        return (tuple(args), by, where, everyone)

    def quantifier(self, meta, c):
        kind, name, _in, records, _where, where, _colon, body = c
        return ast.Quantifier(str(kind), str(name), records, where, body, self._s(meta))

    def tiered(self, meta, c):
        parts = [x for x in c if not isinstance(x, Token)]
        *tiers, otherwise = parts
        return ast.Tiered(tuple(tiers), otherwise, self._s(meta))

    def tier(self, meta, c):
        return ast.Tier(c[0], c[2], self._s(meta))


def _clipped(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "…"


def _transform(builder: ToAst, tree: Tree):
    """Lark's Transformer, bottom-up with an explicit stack: a tree thousands of levels deep stays flat here."""
    results: list = []
    work: list = [(tree, False)]
    while work:
        node, children_done = work.pop()
        if not isinstance(node, Tree):
            results.append(node)  # a token, or None for an absent optional part
        elif not children_done:
            work.append((node, True))
            work.extend((child, False) for child in reversed(node.children))
        else:
            count = len(node.children)
            children = results[len(results) - count:] if count else []
            del results[len(results) - count:]
            method = getattr(builder, str(node.data), None)
            results.append(method(node.meta, children) if method else Tree(node.data, children, node.meta))
    return results[0]


def to_ast(tree: Tree, file: str) -> tuple[ast.Policy, list[Diagnostic]]:
    builder = ToAst(file)
    policy = _transform(builder, tree)
    return policy, builder.diagnostics
