"""Headlines: one line per evaluation that every renderer shows (summary, table, Markdown).

A headline tells the truth about what the status counts (docs/results.md, "Status"):
- the status counts the law in force on current figures; proposed rules and projections from
  figures that predate a rule are reported beside it, never folded in (unless --fail-on opts in);
- results are counted by severity, so a missed target never reads as a failure of law;
- rules not yet in force say from when they bite.

    fra-3 × de: COMPLIANT — 3 pass, 1 informational, 2 n/a; projection from 2025 figures: would fail 1
      (de.pue_existing_2030), 3 pass (period 2025)
"""

from __future__ import annotations

from ..evaluator.status import counted, set_aside

# Verdict words by severity: a mandatory rule passes or fails; a target or advisory rule is met or missed.
_WORDS = {"pass": "pass", "fail": "fail", "exempt": "exempt", "unknown": "unknown"}
_MET_MISSED = {"pass": "met", "fail": "missed"}
_ORDER = ("fail", "unknown", "exempt", "pass")
_NOT_JUDGED = ("not_applicable", "not_in_force")
_COUNTING_WORDS = {"proposed": "proposed rules", "projection": "projections"}


def headline(subject: str, jurisdiction: str, status: str, results, period: str | None,
             counting: tuple[str, ...] = ()) -> str:
    state = status.replace("_", " ").upper()
    if counting:
        state += " counting " + " and ".join(_COUNTING_WORDS[c] for c in counting)
    parts = [_main_tally(results)]
    projected = [r for r in results if set_aside(r) == ("projection",)]
    if projected:
        figures = ", ".join(sorted({r.period for r in projected if r.period}))
        parts.append(_aside(f"projection from {figures} figures" if figures else "projection", projected))
    proposed = [r for r in results if "proposed" in set_aside(r)]
    if proposed:
        parts.append(_aside("proposed rules", proposed))
    where = f" (period {period})" if period else " (no reporting period)"
    return f"{subject} × {jurisdiction}: {state} — {'; '.join(parts)}{where}"


def _main_tally(results) -> str:
    """The results the status counts (law in force, current figures), by severity."""
    in_force = [r for r in results if counted(r)]
    if in_force:
        return ", ".join(tally(in_force))
    if all(r.legal_status == "proposed" for r in results):
        return "no enacted rule"
    return "no rule judged on current figures"


def _aside(label: str, results) -> str:
    """Set-aside results: the mandatory ones that would change the status named first."""
    named = []
    for verdict, words in (("fail", "would fail {}"), ("unknown", "{} unknown")):
        rules = [r.rule for r in results if r.severity == "mandatory" and r.verdict == verdict]
        if rules:
            named.append(f"{words.format(len(rules))} ({', '.join(rules)})")
    rest = [r for r in results if not (r.severity == "mandatory" and r.verdict in ("fail", "unknown"))]
    return f"{label}: " + ", ".join(named + tally(rest))


def tally(results) -> list[str]:
    """'1 fail', '2 targets missed', '2 advisory met', '2 informational', '1 not in force until
    2030-07-01', '2 n/a': judged rules by severity, then rules not yet in force by date, then n/a."""
    from ..dsl.builtins import SEVERITIES  # the language's table, read only when a tally is worded

    parts = []
    severities = list(SEVERITIES) + sorted({r.severity for r in results} - set(SEVERITIES))
    for severity in severities:
        judged = [r.verdict for r in results if r.severity == severity and r.verdict not in _NOT_JUDGED]
        verdicts = [v for v in _ORDER if v in judged] + sorted(set(judged) - set(_ORDER))
        parts.extend(_phrase(severity, v, judged.count(v)) for v in verdicts)
    dates = [r.in_force_from for r in results if r.verdict == "not_in_force"]
    by_date = sorted({d for d in dates if d is not None})
    for index, date in enumerate(by_date):
        parts.append(f"{dates.count(date)} {'not in force ' if index == 0 else ''}until {date.isoformat()}")
    if None in dates:
        parts.append(f"{dates.count(None)} not in force")
    not_applicable = sum(r.verdict == "not_applicable" for r in results)
    if not_applicable:
        parts.append(f"{not_applicable} n/a")
    return parts


def _phrase(severity: str, verdict: str, count: int) -> str:
    word = _WORDS.get(verdict, verdict.replace("_", " "))
    if severity == "mandatory":
        return f"{count} {word}"
    if severity == "informational":
        return f"{count} informational" + ("" if verdict == "pass" else f" {word}")
    noun = ("target" if count == 1 else "targets") if severity == "target" else severity
    return f"{count} {noun} {_MET_MISSED.get(verdict, word)}"
