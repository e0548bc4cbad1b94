"""The policy AST: frozen attrs classes, each carrying its source span.

Spans are excluded from equality so that a policy printed by the formatter and parsed
again compares equal to the original (the round-trip property).
"""

from __future__ import annotations

from typing import Union

import attrs

from .data import frozen
from .diagnostics import Span

_span = attrs.field(eq=False, repr=False)


# ---------------------------------------------------------------- expressions
@frozen
class Quantity:
    number: float
    text: str  # the number as written, kept for messages and formatting
    unit: str | None
    span: Span = _span


@frozen
class DateLit:
    text: str
    span: Span = _span


@frozen
class StringLit:
    value: str
    span: Span = _span


@frozen
class BoolLit:
    value: bool
    span: Span = _span


@frozen
class Ref:
    """``pue``, ``facility.power.it_installed`` or ``period[-4].intensity``."""

    parts: tuple[str, ...]
    offset: int | None  # periods back, for period[-k]
    span: Span = _span

    @property
    def root(self) -> str:
        return self.parts[0]

    @property
    def path(self) -> str:
        return ".".join(self.parts[1:])

    @property
    def text(self) -> str:
        head = self.parts[0] + (f"[-{self.offset}]" if self.offset else "")
        return ".".join((head,) + self.parts[1:])


@frozen
class Call:
    name: str
    args: tuple["Expr", ...]
    by: Union["Expr", None]
    where: Union["Expr", None]
    span: Span = _span
    # aggregates: `including out-of-scope` — over all the operator's facilities, not only those in scope
    including_out_of_scope: bool = False


@frozen
class Neg:
    operand: "Expr"
    span: Span = _span


@frozen
class Arith:
    op: str  # + - * / ^
    left: "Expr"
    right: "Expr"
    span: Span = _span


@frozen
class Compare:
    op: str  # <= < >= > == !=
    left: "Expr"
    right: "Expr"
    span: Span = _span


@frozen
class Logical:
    op: str  # and | or
    left: "Expr"
    right: "Expr"
    span: Span = _span


@frozen
class Not:
    operand: "Expr"
    span: Span = _span


@frozen
class Member:
    element: "Expr"
    options: tuple["Expr", ...]
    negated: bool
    span: Span = _span


@frozen
class Tier:
    value: "Expr"
    condition: "Expr"
    span: Span = _span


@frozen
class Tiered:
    tiers: tuple[Tier, ...]
    otherwise: "Expr"
    span: Span = _span


@frozen
class Paren:
    inner: "Expr"
    span: Span = _span


@frozen
class Quantifier:
    """``every room in facility.computer_rooms where COND: BODY`` (or ``some``): over a facility's records."""

    kind: str  # every | some
    name: str  # the name each record is bound to in `where` and the body: room
    records: Ref  # facility.computer_rooms
    where: Union["Expr", None]
    body: "Expr"
    span: Span = _span


Expr = Union[Quantity, DateLit, StringLit, BoolLit, Ref, Call, Neg, Arith, Compare, Logical, Not, Member, Tiered, Paren,
             Quantifier]


# ---------------------------------------------------------------- declarations
@frozen
class Calendar:
    kind: str  # calendar-year | fiscal-year
    start: str | None  # "04-01" for fiscal years
    span: Span = _span


@frozen
class HeaderClause:
    """One header clause as written, e.g. ``law "EnEfG"``; its value is also in the Header's fields."""

    keyword: str  # law | source | territory | legal-status | calendar | note
    value: Union[str, Calendar]
    span: Span = _span


@frozen
class Header:
    code: str
    name: str
    law: str | None
    source: str | None
    legal_status: str | None  # in-force | adopted | proposed
    calendar: Calendar | None
    notes: tuple[str, ...]
    span: Span = _span
    # ISO 3166-1 alpha-2 (DE), ISO 3166-2 (CN-SH) or EU (ISO's exceptional reservation: the member states)
    territory: str | None = None
    # The clauses in the order written, for their positions. Excluded from equality like spans: the
    # meaning is in the fields above, and the formatter writes the clauses in a canonical order.
    clauses: tuple[HeaderClause, ...] = attrs.field(default=(), eq=False, repr=False)

    def clause_spans(self, keyword: str) -> tuple[Span, ...]:
        """Where each clause with this keyword was written, in source order."""
        return tuple(c.span for c in self.clauses if c.keyword == keyword)


@frozen
class Clause:
    keyword: str  # cite quote note severity legal-status for applies from until require of due
    value: Union[Expr, str]
    span: Span = _span


@frozen
class Block:
    """A relief (``exempt``) or an exclusion (``exclude``) with its own citation and reason."""

    keyword: str  # exempt | exclude
    condition: Expr
    clauses: tuple[Clause, ...]  # cite | quote | because
    span: Span = _span

    def text(self, keyword: str) -> str | None:
        return next((c.value for c in self.clauses if c.keyword == keyword), None)


@frozen
class Bound:
    value: Expr | None  # None: infinite
    inclusive: bool
    negative_infinity: bool
    span: Span = _span


@frozen
class Level:
    label: str
    low: Bound
    high: Bound
    span: Span = _span


@frozen
class Item:
    name: str
    title: str
    public: bool
    value: Expr
    condition: Expr | None
    span: Span = _span


@frozen
class Definition:
    name: str
    expr: Expr
    doc: str | None
    span: Span = _span


@frozen
class Declaration:
    """A scope, rule, band or report: a keyword-led list of clauses plus its body."""

    kind: str  # scope | rule | band | report
    name: str | None  # None for the scope
    title: str
    clauses: tuple[Clause, ...]
    blocks: tuple[Block, ...]
    levels: tuple[Level, ...]
    items: tuple[Item, ...]
    span: Span = _span
    name_span: Span | None = _span

    def clause(self, keyword: str) -> Clause | None:
        return next((c for c in self.clauses if c.keyword == keyword), None)

    def value(self, keyword: str):
        found = self.clause(keyword)
        return found.value if found else None


@frozen
class Policy:
    file: str = attrs.field(eq=False)
    header: Header
    definitions: tuple[Definition, ...]
    declarations: tuple[Declaration, ...]  # in source order
    span: Span = _span  # from the header to the end of the last declaration

    @property
    def scope(self) -> Declaration | None:
        return next((d for d in self.declarations if d.kind == "scope"), None)

    @property
    def rules(self) -> tuple[Declaration, ...]:
        return tuple(d for d in self.declarations if d.kind != "scope")


def children(node) -> tuple:
    """The sub-expressions of an expression node, in evaluation order."""
    match node:
        case Neg(operand=o) | Not(operand=o) | Paren(inner=o):
            return (o,)
        case Arith(left=l, right=r) | Compare(left=l, right=r) | Logical(left=l, right=r):
            return (l, r)
        case Call(args=a, by=b, where=w):
            return tuple(a) + tuple(x for x in (b, w) if x is not None)
        case Member(element=e, options=o):
            return (e,) + tuple(o)
        case Tiered(tiers=t, otherwise=o):
            return tuple(x for tier in t for x in (tier.value, tier.condition)) + (o,)
        case Quantifier(records=r, where=w, body=b):
            return (r,) + ((w,) if w is not None else ()) + (b,)
    return ()


def walk(node):
    yield node
    for child in children(node):
        yield from walk(child)
