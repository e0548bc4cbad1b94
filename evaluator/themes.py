"""What each rule is about (its theme), read from the facts its requirement reads, for side-by-side views.

An operator compares regimes obligation by obligation: a PUE limit beside a PUE limit, a report beside a
report. A rule's theme follows from what it asks, so no policy has to say it: a report is `reporting`;
otherwise the facts its `require` (or a band's `of`) reads, through its definitions, name the theme by
their signature facts below. A rule whose facts name no theme, or several, is `other`.
"""

from __future__ import annotations

from .plan import CompiledExpr, CompiledRule, Plan

THEMES = ("PUE limit", "waste heat and reuse", "renewable energy", "reporting", "management system", "other")

# The facts that mark a theme. energy.total is read by every ratio (PUE, ERF, renewable share), so it marks
# none; energy.it is PUE's own denominator.
_SIGNATURES = (
    ("waste heat and reuse", ("period.energy.reused", "period.waste_heat")),
    ("renewable energy", ("period.energy.renewable", "period.green_power")),
    ("management system", ("facility.management_system",)),
    ("PUE limit", ("period.energy.it",)),
    # a rule that compares the date of a filing with its deadline (fr, nl) is about reporting, like a report
    ("reporting", ("facility.filings", "period.filings")),
)
_OTHER_MARKS = ("period.water", "facility.racks", "period.intensity")  # WUE, rack use, intensity: other


def rule_themes(plan: Plan) -> dict[str, str]:
    """rule id -> theme, for every rule, band and report of the plan."""
    return {rule.rule_id: theme_of(rule, plan) for rule in plan.rules}


def theme_of(rule: CompiledRule, plan: Plan) -> str:
    if rule.kind == "report":
        return "reporting"
    asked = rule.require if rule.kind == "rule" else rule.subject
    if asked is None:
        return "other"
    facts = _facts_read(asked, plan, set())
    found = {theme for theme, marks in _SIGNATURES if any(_marked(f, marks) for f in facts)}
    if any(_marked(f, _OTHER_MARKS) for f in facts) or len(found) != 1:
        return "other"
    return found.pop()


def _marked(fact: str, marks) -> bool:
    bare = fact.split("]", 1)[-1].lstrip(".") if fact.startswith("period[") else fact
    if fact.startswith("period["):
        bare = "period." + bare
    return any(bare == m or bare.startswith(m + ".") or bare.startswith(m + "_") for m in marks)


def _facts_read(expr: CompiledExpr, plan: Plan, seen: set[str]) -> set[str]:
    facts: set[str] = set()
    for node in expr.nodes:
        if node.kind == "fact" and node.path:
            facts.add(node.path)
        elif node.kind == "aggregate":
            facts.update(node.reads)
        elif node.kind == "definition" and node.path and node.path not in seen:
            seen.add(node.path)
            definition = plan.definitions.get(node.path)
            if definition is not None:
                facts |= _facts_read(definition, plan, seen)
    return facts
