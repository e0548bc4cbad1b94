"""Results with traces, as plain data: what evaluation produces and every renderer reads.

Nothing here is executable or refers to the compiler: a trace is the static node table of a
clause (text, span, dimension per slot) with the flat values evaluation put in it, and the
provenance of every fact it read, resolved while evaluating. What decided a verdict is a
``Decision`` (which step, which comparison, which relief, what is missing); the words a person
reads are made from it by ``cli/phrasing.py``.
"""

from __future__ import annotations

import datetime

import attrs

from ..dsl.data import frozen
from ..dsl.bands import BandLevel
from ..dsl.units import Dimension

from .plan import NodeInfo

# `info` (added to contract v1's vocabulary): an advisory provision addresses the facility and has
# nothing to check (e.g. an encouragement); it never reads as compliance.
VERDICTS = ("pass", "fail", "exempt", "not_applicable", "not_in_force", "unknown", "info")
STATUSES = ("out_of_scope", "non_compliant", "incomplete", "compliant")
# Why a verdict is reported beside the status rather than counted in it (docs/results.md, "Status"):
# a rule that is only proposed, or a verdict projected from figures that predate the rule.
SET_ASIDE = ("proposed", "projection")
# The severities that make a rule a duty the facility must or should meet; advisory and
# informational rules never decide whether a regime reaches a facility.
DUTIES = ("mandatory", "target")


@frozen
class MemberFact:
    """A fact one member of an aggregate supplied (operator results): whose, which, what, from where."""

    facility: str
    path: str
    value: object
    source: str | None


@frozen
class DefinitionTrace:
    name: str
    nodes: tuple[NodeInfo, ...]
    values: tuple
    sources: dict = attrs.field(factory=dict)  # slot -> "file:line:col" | "derived: …" | "default"
    members: dict = attrs.field(factory=dict)  # aggregate slot -> (MemberFact, …), operator results only


@frozen
class ClauseTrace:
    """One evaluated clause: its node table, the flat values of its nodes and where each fact came from."""

    label: str  # scope | exclude | applies | in force | until | require | exempt | of | due | item <name>
    nodes: tuple[NodeInfo, ...]  # slot 0 is the root
    values: tuple
    definitions: tuple[DefinitionTrace, ...]  # definitions this clause read, in first-use order
    sources: dict = attrs.field(factory=dict)  # slot -> provenance of the fact read there
    members: dict = attrs.field(factory=dict)  # aggregate slot -> (MemberFact, …), operator results only

    @property
    def root(self) -> NodeInfo:
        return self.nodes[0]


@frozen
class Relief:
    keyword: str
    citation: str | None
    because: str | None


@frozen
class Shown:
    """A value as a reason shows it, with the node it came from (expression as written, dimension)."""

    node: NodeInfo
    value: object


@frozen
class Comparison:
    """The comparison that decided a clause (through the branch that decided it)."""

    operator: str
    left: Shown
    right: Shown
    holds: bool


@frozen
class Decision:
    """What decided a verdict, as data. `step` is one of: scope_excluded, scope_false, scope_unknown,
    no_duty, excluded, not_applies, unknown, not_in_force, ended, met, failed, exempt, band,
    band_none, report_no_period, report_incomplete, report_complete, info."""

    step: str
    because: str | None = None  # an exclusion's or a relief's reason
    citation: str | None = None
    title: str | None = None  # the scope's (scope_false) or the rule's (info) title
    condition: str | None = None  # the part of a clause that decided it, as written
    facts: tuple[Shown, ...] = ()  # facts shown beside the condition
    undecided: str | None = None  # unknown: what could not be decided
    missing: tuple[str, ...] = ()  # unknown: missing facts, those of an aggregate with the facilities lacking them
    comparison: Comparison | None = None
    expression: str | None = None  # the requirement as written, when no comparison decided it
    requirement_undecided: bool = False  # exempt: the requirement could not be decided (and need not be)
    date: datetime.date | None = None  # not_in_force: from; ended: until
    as_of: datetime.date | None = None
    level: BandLevel | None = None
    subject: Shown | None = None  # band: what was classified
    period_asked: str | None = None  # report_no_period: the --period label asked for
    count: int = 0  # report_complete: items available
    records: object = None  # met/failed/unknown/exempt: what the deciding quantifier found (quantify.Quantified)


@frozen
class GapLever:
    """For a metric that is a ratio of two facts: the change of the numerator that closes the gap
    with the denominator held (e.g. about 1.88 GWh less period.energy.total at the same energy.it)."""

    fact: str
    change: float  # signed, in `unit`: negative = less
    unit: str | None
    held: str
    dimension: Dimension


@frozen
class Gap:
    """How far a failing threshold is from being met, in figures."""

    metric: str  # the metric as written (cli/phrasing.py names it, e.g. PUE)
    operator: str  # <= < >= >
    value: float
    limit: float
    change: float  # limit - value: negative = must fall; in `unit` (percentage points for shares)
    unit: str | None
    strict: bool  # < or >: the change must go beyond `change`
    lever: GapLever | None
    percent: bool  # value, limit and change are in percent (points) of a share
    subject: NodeInfo  # the metric's node: its dimension, for display


@frozen
class RuleResult:
    rule: str
    title: str
    citation: str | None
    severity: str
    verdict: str
    decision: Decision
    period: str | None
    in_force_from: datetime.date | None
    legal_status: str | None
    value: object = None
    limit: object = None
    unit: str | None = None
    missing: tuple[str, ...] = ()
    projection: bool = False
    period_end: datetime.date | None = None  # of the period read (projections say when it ended)
    relief: Relief | None = None
    gap: Gap | None = None
    due: datetime.date | None = None
    items: tuple[tuple[str, str, bool, bool], ...] = ()  # (name, title, public, present)
    quotes: tuple[str, ...] = ()
    trace: tuple[ClauseTrace, ...] = ()


@frozen
class Evaluation:
    jurisdiction: str
    facility: str
    facility_name: str
    source_file: str
    source_sha256: str
    policy_file: str
    policy_sha256: str
    status: str
    period: str | None
    period_kind: str
    results: tuple[RuleResult, ...]
    scope: Decision | None  # why the scope excludes the facility or cannot be decided, or no duty applies
    in_scope: bool | None = True  # the jurisdiction's scope: True, False, or None when it cannot be decided


@frozen
class OperatorEvaluation:
    jurisdiction: str
    operator: str
    facilities: tuple[str, ...]
    period: str | None
    policy_file: str
    policy_sha256: str
    results: tuple[RuleResult, ...]
    status: str = "compliant"  # as for a facility: the operator's rules counted like a facility's
    scope: Decision | None = None


@frozen
class Run:
    as_of: datetime.date
    evaluations: tuple[Evaluation, ...]
    operators: tuple[OperatorEvaluation, ...]
    counting: tuple[str, ...] = ()  # the SET_ASIDE reasons the statuses count too (--fail-on)
    unjudged: tuple[str, ...] = ()  # -j home: facilities whose location no chosen regime's territory contains
    overrides: tuple = ()  # what-if (--set): evaluator.overrides.Applied, the facts overridden

    def every_result(self) -> list[RuleResult]:
        return [r for e in self.evaluations for r in e.results] + [r for o in self.operators for r in o.results]
