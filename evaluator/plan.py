"""The plan of a policy: its compiled expressions with their static node tables, as plain data.

A ``CompiledExpr`` pairs the generated function with one ``NodeInfo`` per trace slot (the
expression as written, its span, dimension and the fact it reads); results and explanations
read the node tables, never the AST or the compiler.
"""

from __future__ import annotations

from typing import Callable

import attrs

from ..dsl.data import frozen
from ..dsl.bands import BandLevel
from ..dsl.diagnostics import Span
from ..dsl.units import Dimension

from .values import NOT_EVALUATED


@frozen
class NodeInfo:
    text: str  # the expression as written in the policy
    span: Span
    kind: str  # fact | definition | literal | operation | aggregate
    path: str | None  # facility.x, period.energy.it, period[-1].energy.total, or a definition name
    dimension: Dimension
    type_kind: str  # number | bool | date | duration | text
    children: tuple[int, ...]
    op: str | None = None  # the operator of an operation node: <=, and, /, …; "when" for tiers; a call: its name
    reads: tuple[str, ...] = ()  # aggregates: the member facts they read (for naming what is missing)
    everyone: bool = False  # aggregates: `including out-of-scope` (all the operator's facilities)


@frozen
class CompiledExpr:
    function: Callable = attrs.field(eq=False, repr=False)
    nodes: tuple[NodeInfo, ...]  # slot 0 is the root
    # the slots that read a fact: their provenance is recorded with every trace
    fact_slots: tuple[int, ...] = attrs.field(
        default=attrs.Factory(lambda self: tuple(i for i, n in enumerate(self.nodes) if n.kind == "fact"),
                              takes_self=True), eq=False, repr=False)
    # the slots that read a definition: a trace lists the definitions read (most clauses read none)
    definition_slots: tuple[int, ...] = attrs.field(
        default=attrs.Factory(lambda self: tuple(i for i, n in enumerate(self.nodes) if n.kind == "definition"),
                              takes_self=True), eq=False, repr=False)
    # reads no fact and no aggregate, itself or through definitions: the same value and trace for every
    # facility, so evaluation computes it once per plan and run (the compiler decides, from the AST)
    constant: bool = attrs.field(default=False, eq=False, repr=False)

    @property
    def root(self) -> NodeInfo:
        return self.nodes[0]

    def run(self, context) -> tuple[object, list]:
        trace = [NOT_EVALUATED] * len(self.nodes)
        value = self.function(context, trace)
        return value, trace


@frozen
class CompiledBlock:
    keyword: str  # exempt | exclude
    condition: CompiledExpr
    cite: str | None
    because: str | None
    quote: str | None


@frozen
class CompiledItem:
    name: str
    title: str
    public: bool
    value: CompiledExpr
    condition: CompiledExpr | None


@frozen
class CompiledRule:
    rule_id: str
    name: str
    kind: str  # rule | band | report
    title: str
    citation: str | None
    quotes: tuple[str, ...]  # the law's own words, where they decide a boundary
    notes: tuple[str, ...]
    severity: str
    legal_status: str | None
    for_operator: bool
    applies: CompiledExpr | None
    in_force_from: CompiledExpr | None
    until: CompiledExpr | None
    require: CompiledExpr | None
    subject: CompiledExpr | None  # band
    due: CompiledExpr | None  # report
    blocks: tuple[CompiledBlock, ...]
    levels: tuple[BandLevel, ...]
    items: tuple[CompiledItem, ...]
    span: Span
    reads_period: bool


@frozen
class Plan:
    code: str
    name: str
    law: str | None
    source_url: str | None
    legal_status: str | None
    calendar: str  # calendar-year | fiscal-year
    fiscal_start: tuple[int, int]
    scope_title: str | None
    scope_citation: str | None
    scope: CompiledExpr | None
    scope_blocks: tuple[CompiledBlock, ...]
    definitions: dict[str, CompiledExpr]
    rules: tuple[CompiledRule, ...]
    file: str
    sha256: str
    source: str = attrs.field(default="", eq=False, repr=False)  # the generated Python, as compiled
    territory: str | None = None  # the header's territory (dsl/territory.py): DE, CN-SH, EU
