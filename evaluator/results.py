"""Results with traces: what evaluation produces and every renderer reads."""

from __future__ import annotations

import datetime

import attrs

from .compiler import CompiledExpr

# `info` (added to contract v1's vocabulary): an advisory provision addresses the facility and has
# nothing to check (e.g. an encouragement); it never reads as compliance.
VERDICTS = ("pass", "fail", "exempt", "not_applicable", "not_in_force", "unknown", "info")
STATUSES = ("out_of_scope", "non_compliant", "incomplete", "compliant")


@attrs.frozen
class ClauseTrace:
    """One evaluated clause: the compiled expression and the flat values of its nodes."""

    label: str  # scope | exclude | applies | in force | until | require | exempt | of | due | item <name>
    expr: CompiledExpr
    values: tuple
    definitions: tuple  # ((name, CompiledExpr, values), …) for definitions this clause read, in first-use order


@attrs.frozen
class Relief:
    keyword: str
    citation: str | None
    because: str | None


@attrs.frozen
class RuleResult:
    rule: str
    title: str
    citation: str | None
    severity: str
    verdict: str
    reason: str
    period: str | None
    in_force_from: datetime.date | None
    legal_status: str | None
    value: object = None
    limit: object = None
    unit: str | None = None
    missing: tuple[str, ...] = ()
    projection: bool = False
    relief: Relief | None = None
    gap: str | None = None
    due: datetime.date | None = None
    items: tuple[tuple[str, str, bool, bool], ...] = ()  # (name, title, public, present)
    quotes: tuple[str, ...] = ()
    trace: tuple[ClauseTrace, ...] = ()


@attrs.frozen
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
    scope_reason: str | None
    facts: dict = attrs.field(eq=False, repr=False)  # path -> Fact, for provenance in explanations
    period_facts: dict = attrs.field(eq=False, repr=False)


@attrs.frozen
class OperatorEvaluation:
    jurisdiction: str
    operator: str
    facilities: tuple[str, ...]
    period: str | None
    policy_file: str
    policy_sha256: str
    results: tuple[RuleResult, ...]


@attrs.frozen
class Run:
    as_of: datetime.date
    evaluations: tuple[Evaluation, ...]
    operators: tuple[OperatorEvaluation, ...]

    def mandatory(self, verdict: str) -> bool:
        every = [r for e in self.evaluations for r in e.results] + [r for o in self.operators for r in o.results]
        return any(r.severity == "mandatory" and r.verdict == verdict for r in every)

    def any_result(self, severity: str, verdict: str) -> bool:
        every = [r for e in self.evaluations for r in e.results] + [r for o in self.operators for r in o.results]
        return any(r.severity == severity and r.verdict == verdict for r in every)
