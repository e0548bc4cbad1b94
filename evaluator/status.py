"""The status of an evaluation and whether a run fails: counting the law in force (docs/results.md, "Status")."""

from __future__ import annotations

import attrs

from .results import DUTIES, SET_ASIDE, RuleResult, Run


def set_aside(result: RuleResult) -> tuple[str, ...]:
    """Why the result stays beside the status: ("proposed",), ("projection",), both, or () when it counts."""
    reasons = ("proposed",) if result.legal_status == "proposed" else ()
    return reasons + (("projection",) if result.projection else ())


def counted(result: RuleResult, widen: frozenset = frozenset()) -> bool:
    """Whether the status counts the result: law in force on current figures always; a proposed rule or a
    projection only when `widen` waives every reason it was set aside for (--fail-on proposed,projection)."""
    if result.legal_status != "proposed" and not result.projection:  # most results: nothing set aside
        return True
    return all(reason in widen for reason in set_aside(result))


def no_duty_applies(results) -> bool:
    """The scope holds but every duty (mandatory or target rule, proposed or not) is not_applicable."""
    duties = [r for r in results if r.severity in DUTIES]
    return bool(duties) and all(r.verdict == "not_applicable" for r in duties)


def evaluation_status(in_scope: bool | None, results, widen: frozenset = frozenset()) -> str:
    """The contract's status, counting the law in force (plus what `widen` opts in)."""
    if in_scope is False:
        return "out_of_scope"
    duty = False  # one pass over the results (every evaluation comes here): no_duty_applies, then the counting
    duty_applies = False
    counting = fail = unknown = False
    for r in results:
        severity = r.severity
        if severity in DUTIES:
            duty = True
            duty_applies = duty_applies or r.verdict != "not_applicable"
        if (r.legal_status != "proposed" and not r.projection) or counted(r, widen):
            counting = True
            if severity == "mandatory":
                verdict = r.verdict
                fail = fail or verdict == "fail"
                unknown = unknown or verdict == "unknown"
    if duty and not duty_applies:
        return "out_of_scope"
    if fail:
        return "non_compliant"
    if unknown or (in_scope is None and counting):
        return "incomplete"
    return "compliant"


def beside_status(results, reason: str) -> dict[str, list[str]]:
    """The mandatory rules set aside for `reason` that would fail or be unknown if counted."""
    aside = [r for r in results if r.severity == "mandatory" and reason in set_aside(r)]
    return {verdict: [r.rule for r in aside if r.verdict == verdict] for verdict in ("fail", "unknown")}


def fails(run: Run, fail_on) -> bool:
    """Whether the exit code is 1: a counted mandatory rule fails, or (opted in) one is unknown, or a
    counted target fails. `proposed` and `projection` in fail_on count those results too."""
    return any(fails_run(r, fail_on) for r in run.every_result())


def fails_run(result: RuleResult, fail_on) -> bool:
    """Whether this one result makes the run fail under fail_on (what CI formats mark as a failure)."""
    widen = frozenset(fail_on) & frozenset(SET_ASIDE)
    if result.severity == "mandatory":
        failing = result.verdict == "fail" or (result.verdict == "unknown" and "unknown" in fail_on)
    else:
        failing = result.severity == "target" and result.verdict == "fail" and "target" in fail_on
    return failing and counted(result, widen)


def counting_also(run: Run, fail_on) -> Run:
    """The same run with every status also counting the set-aside results fail_on opts in."""
    widen = frozenset(fail_on) & frozenset(SET_ASIDE)
    if not widen:
        return run
    evaluations = tuple(attrs.evolve(e, status=evaluation_status(e.in_scope, e.results, widen))
                        for e in run.evaluations)
    operators = tuple(attrs.evolve(o, status=evaluation_status(True, o.results, widen)) for o in run.operators)
    return attrs.evolve(run, evaluations=evaluations, operators=operators,
                        counting=tuple(r for r in SET_ASIDE if r in widen))
