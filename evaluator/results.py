"""Results with traces: what evaluation produces and every renderer reads."""

from __future__ import annotations

import datetime

import attrs

from .plan import CompiledExpr

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
NO_DUTY_APPLIES = "out of scope: no duty of the regime applies (every mandatory and target rule is not applicable)"


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
class GapLever:
    """For a metric that is a ratio of two facts: the change of the numerator that closes the gap
    with the denominator held (e.g. about 1.88 GWh less period.energy.total at the same energy.it)."""

    fact: str
    change: float  # signed, in `unit`: negative = less
    unit: str | None
    held: str


@attrs.frozen
class Gap:
    """How far a failing threshold is from being met, in figures (the sentence is `text`)."""

    metric: str
    operator: str  # <= < >= >
    value: float
    limit: float
    change: float  # limit - value: negative = must fall; in `unit` (percentage points for shares)
    unit: str | None
    strict: bool  # < or >: the change must go beyond `change`
    lever: GapLever | None
    text: str


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
    gap: Gap | None = None
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
    in_scope: bool | None = True  # the jurisdiction's scope: True, False, or None when it cannot be decided


@attrs.frozen
class OperatorEvaluation:
    jurisdiction: str
    operator: str
    facilities: tuple[str, ...]
    period: str | None
    policy_file: str
    policy_sha256: str
    results: tuple[RuleResult, ...]
    status: str = "compliant"  # as for a facility: the operator's rules counted like a facility's
    scope_reason: str | None = None


def set_aside(result: RuleResult) -> tuple[str, ...]:
    """Why the result stays beside the status: ("proposed",), ("projection",), both, or () when it counts."""
    reasons = ("proposed",) if result.legal_status == "proposed" else ()
    return reasons + (("projection",) if result.projection else ())


def counted(result: RuleResult, widen: frozenset = frozenset()) -> bool:
    """Whether the status counts the result: law in force on current figures always; a proposed rule or a
    projection only when `widen` waives every reason it was set aside for (--fail-on proposed,projection)."""
    return all(reason in widen for reason in set_aside(result))


def no_duty_applies(results) -> bool:
    """The scope holds but every duty (mandatory or target rule, proposed or not) is not_applicable."""
    duties = [r for r in results if r.severity in DUTIES]
    return bool(duties) and all(r.verdict == "not_applicable" for r in duties)


def evaluation_status(in_scope: bool | None, results, widen: frozenset = frozenset()) -> str:
    """The contract's status, counting the law in force (plus what `widen` opts in)."""
    if in_scope is False or no_duty_applies(results):
        return "out_of_scope"
    counting = [r for r in results if counted(r, widen)]
    mandatory = [r.verdict for r in counting if r.severity == "mandatory"]
    if "fail" in mandatory:
        return "non_compliant"
    if "unknown" in mandatory or (in_scope is None and counting):
        return "incomplete"
    return "compliant"


def beside_status(results, reason: str) -> dict[str, list[str]]:
    """The mandatory rules set aside for `reason` that would fail or be unknown if counted."""
    aside = [r for r in results if r.severity == "mandatory" and reason in set_aside(r)]
    return {verdict: [r.rule for r in aside if r.verdict == verdict] for verdict in ("fail", "unknown")}


@attrs.frozen
class Run:
    as_of: datetime.date
    evaluations: tuple[Evaluation, ...]
    operators: tuple[OperatorEvaluation, ...]
    counting: tuple[str, ...] = ()  # the SET_ASIDE reasons the statuses count too (--fail-on)

    def every_result(self) -> list[RuleResult]:
        return [r for e in self.evaluations for r in e.results] + [r for o in self.operators for r in o.results]

    def fails(self, fail_on) -> bool:
        """Whether the exit code is 1: a counted mandatory rule fails, or (opted in) one is unknown, or a
        counted target fails. `proposed` and `projection` in fail_on count those results too."""
        widen = frozenset(fail_on) & frozenset(SET_ASIDE)

        def failing(r: RuleResult) -> bool:
            if r.severity == "mandatory":
                return r.verdict == "fail" or (r.verdict == "unknown" and "unknown" in fail_on)
            return r.severity == "target" and r.verdict == "fail" and "target" in fail_on

        return any(failing(r) and counted(r, widen) for r in self.every_result())

    def counting_also(self, fail_on) -> Run:
        """The same run with every status also counting the set-aside results fail_on opts in."""
        widen = frozenset(fail_on) & frozenset(SET_ASIDE)
        if not widen:
            return self
        evaluations = tuple(attrs.evolve(e, status=evaluation_status(e.in_scope, e.results, widen))
                            for e in self.evaluations)
        operators = tuple(attrs.evolve(o, status=evaluation_status(True, o.results, widen))
                          for o in self.operators)
        return attrs.evolve(self, evaluations=evaluations, operators=operators,
                            counting=tuple(r for r in SET_ASIDE if r in widen))
