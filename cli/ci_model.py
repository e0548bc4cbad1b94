"""What CI formats report, as one list of checks: built from a Run (eval), from check reports, from test outcomes.

Each `CiCheck` is one thing that passed, failed or was skipped, with the rule it concerns and the place a
reader should look: for eval, the offending fact in the facility YAML (the traces carry every fact's
provenance); for check, the diagnostic in the policy; for test, the case in its case file. The writers
(cli/ci_formats.py: junit, sarif, github, tap) read only these checks.
"""

from __future__ import annotations

import re

import attrs

from ..dsl.data import frozen

_POSITION = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<column>\d+)$")
# The clauses whose facts decide a verdict, most decisive first (a failing requirement, then the tests
# that made the rule apply); the first fact with a position in the YAML is the one to look at.
_DECISIVE = ("require", "of", "due", "applies", "scope", "in force", "until", "exempt", "exclude")
LEVELS = {"mandatory": "error", "target": "warning", "advisory": "note", "informational": "note"}


@frozen
class Location:
    file: str
    line: int
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None


@frozen
class CiRule:
    """A rule (eval), a diagnostic code (check) or the test-case rule (test), as SARIF describes rules."""

    id: str
    title: str
    citation: str | None = None
    severity: str | None = None  # mandatory, target, …; for check: error | warning


@frozen
class CiCheck:
    suite: str  # "fra-3 × de", a policy file, a case file
    name: str  # rule id, file, case name
    outcome: str  # pass | fail | skip
    message: str  # one line
    rule: CiRule
    level: str | None = None  # error | warning | note: reported to SARIF and GitHub; None: not reported
    detail: str = ""  # more lines (a trace, a case's problems)
    location: Location | None = None
    properties: dict = attrs.field(factory=dict)


def location_of(text: str | None) -> Location | None:
    """'file:line:col' provenance as a Location; None for 'default', 'derived: …' or nothing."""
    match = _POSITION.match(text or "")
    if match is None:
        return None
    return Location(match["file"], int(match["line"]), int(match["column"]))


# ---------------------------------------------------------------- eval
def from_run(run, fail_on, trace: str = "full") -> list[CiCheck]:
    """Each rule's check; `trace` (--trace) is what its detail carries: the tree of steps (full, the
    default), one line per clause (reasons) or nothing (none)."""
    from ..evaluator.status import fails_run, set_aside
    from .phrasing import reason

    checks = []
    subjects = [(f"{e.facility} × {e.jurisdiction}", e, e.source_file) for e in run.evaluations]
    subjects += [(f"operator {o.operator} × {o.jurisdiction}", o, None) for o in run.operators]
    for suite, evaluation, source_file in subjects:
        for result in evaluation.results:
            words = reason(result)
            aside = set_aside(result)
            if fails_run(result, fail_on):
                outcome, level = "fail", LEVELS.get(result.severity, "error")
            elif result.verdict in ("fail", "unknown"):
                outcome, level = "skip", "warning" if result.verdict == "fail" else "note"
                words += f" (not counted: {', '.join(aside)})" if aside else ""
            elif result.verdict in ("not_applicable", "not_in_force"):
                outcome, level = "skip", None
            else:
                outcome, level = "pass", None
            location = fact_location(result) or (Location(source_file, 1) if source_file else None)
            checks.append(CiCheck(
                suite=suite, name=result.rule, outcome=outcome, level=level,
                message=f"{result.rule} {result.verdict.upper()}: {words}",
                rule=CiRule(result.rule, result.title, result.citation, result.severity),
                detail=_trace_text(result, evaluation if hasattr(evaluation, "facility") else None, run.as_of, trace),
                location=location,
                properties={"verdict": result.verdict, "severity": result.severity,
                            "citation": result.citation, "period": result.period,
                            "missing": list(result.missing), "set_aside": list(aside)}))
    return checks


def fact_location(result) -> Location | None:
    """Where the offending fact was written: the first fact with a YAML position in the most decisive clause."""
    traces = sorted(result.trace, key=lambda t: _DECISIVE.index(t.label) if t.label in _DECISIVE else 99)
    for trace in traces:
        for sources in [trace.sources] + [d.sources for d in trace.definitions]:
            for slot in sorted(sources):
                found = location_of(sources[slot])
                if found is not None:
                    return found
        for members in [trace.members] + [d.members for d in trace.definitions]:
            for slot in sorted(members):
                for member in members[slot]:
                    found = location_of(member.source)
                    if found is not None:
                        return found
    return None


def _trace_text(result, evaluation, as_of, trace: str) -> str:
    from .explain import trace_lines

    return "\n".join(trace_lines(result, evaluation, as_of, trace))


# ---------------------------------------------------------------- check
def from_check(reports, strict: bool) -> list[CiCheck]:
    """reports: (file, diagnostics) per policy file, as `policy check` collects them."""
    checks = []
    for file, diagnostics in reports:
        failing = [d for d in diagnostics if d.is_error or strict]
        if not diagnostics:
            checks.append(CiCheck(file, "policy check", "pass", f"{file}: ok", CiRule("check", "policy check")))
        for diagnostic in diagnostics:
            span = diagnostic.span
            checks.append(CiCheck(
                suite=file, name=f"{diagnostic.code} {span or file}",
                outcome="fail" if diagnostic in failing else "pass",
                level=diagnostic.severity if diagnostic.is_error else "warning",
                message=f"{diagnostic.code} {diagnostic.message}",
                rule=CiRule(diagnostic.code, diagnostic.message.split('"')[0].strip() or diagnostic.code,
                            severity=diagnostic.severity),
                detail=f"hint: {diagnostic.hint}" if diagnostic.hint else "",
                location=Location(span.file, span.line, span.column, span.end_line, span.end_column) if span else
                Location(file, 1)))
    return checks


# ---------------------------------------------------------------- test
def from_cases(outcomes) -> list[CiCheck]:
    rule = CiRule("policy-test", "a policy test case fails")
    checks = []
    for outcome in outcomes:
        case = outcome.case
        failed = bool(outcome.problems)
        first = outcome.problems[0].splitlines()[0] if failed else "passes"
        checks.append(CiCheck(
            suite=case.file, name=f"{case.id} {case.name}", outcome="fail" if failed else "pass",
            level="error" if failed else None, message=f"{case.name}: {first}", rule=rule,
            detail="\n".join(outcome.problems), location=Location(case.file, case.line or 1)))
    return checks
