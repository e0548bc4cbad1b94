"""`policy list` and `policy explain RULE_ID`: which regimes and rules there are, and what one rule says."""

from __future__ import annotations

import json
import sys

from . import escape, exits


def _say(text: str = "") -> None:
    """One line of the text output, its user text (titles, citations, quotes) with controls escaped."""
    print(escape.lines(text))


def _plans(args):
    """The plans asked for, or an exit code after printing why not."""
    from .api import InvalidPolicy, UsageError
    from .regime import regime_plans

    try:
        return regime_plans(args.jurisdiction, tuple(args.policy or ()))
    except UsageError as err:
        print(f"policy {args.command}: error: {err}", file=sys.stderr)
        return exits.USAGE
    except InvalidPolicy as err:
        print(err.diagnostics.render(), file=sys.stderr)
        return exits.INVALID_POLICY


def _when(expr) -> str | None:
    return expr.root.text if expr is not None else None


def run_list(args) -> int:
    plans = _plans(args)
    if isinstance(plans, int):
        return plans
    detailed = args.jurisdiction is not None or bool(args.policy)
    if args.format == "json":
        print(json.dumps({"format": "dcpolicy/list/1", "regimes": [_regime_json(p) for p in plans]},
                         indent=2, ensure_ascii=False))
        return exits.OK
    for index, plan in enumerate(plans):
        if detailed and index:
            _say()
        territory = f"  territory {plan.territory}" if plan.territory else ""  # dsl/territory.py; -j home
        _say(f"{plan.code:<15} {plan.name}  [{plan.legal_status or 'in-force'}]{territory}  "
              f"{len(plan.rules)} rule{'s' * (len(plan.rules) != 1)}  {plan.file}")
        if plan.law:
            _say(f"{'':<15} {plan.law}")
        if not detailed:
            continue
        for rule in plan.rules:
            span = f"from {_when(rule.in_force_from)}" if rule.in_force_from is not None else "always"
            if rule.until is not None:
                span += f" until {_when(rule.until)}"
            status = f", {rule.legal_status}" if rule.legal_status and rule.legal_status != plan.legal_status else ""
            _say(f"  {rule.rule_id:<34} {rule.severity}{status}; {span}; {rule.citation or 'no citation'}")
    return exits.OK


def _regime_json(plan) -> dict:
    return {
        "code": plan.code, "name": plan.name, "law": plan.law, "legal_status": plan.legal_status or "in-force",
        "territory": plan.territory,
        "file": plan.file,
        "rules": [{"id": r.rule_id, "kind": r.kind, "title": r.title, "severity": r.severity,
                   "legal_status": r.legal_status or plan.legal_status or "in-force", "citation": r.citation,
                   "in_force_from": _when(r.in_force_from), "until": _when(r.until),
                   "for_operator": r.for_operator} for r in plan.rules],
    }


def run_explain(args) -> int:
    import difflib

    from .regime import all_rule_ids, facts_of, find_rule, rule_expressions, source_lines, unit_words

    plans = _plans(args)
    if isinstance(plans, int):
        return plans
    found = find_rule(plans, args.rule)
    if found is None:
        known = all_rule_ids(plans)
        close = difflib.get_close_matches(args.rule, known, n=1, cutoff=0.6)
        hint = f' (did you mean "{close[0]}"?)' if close else ""
        print(f'policy explain: error: no rule "{args.rule}"{hint}; `policy list -j CODE` lists the rule ids',
              file=sys.stderr)
        return exits.USAGE
    plan, rule = found
    from .highlight import highlight

    _say(f"{rule.rule_id}: {rule.title}")
    _say(f"  regime       {plan.code} ({plan.name}), {plan.file}:{rule.span.line}")
    _say(f"  kind         {rule.kind}{' (judged per operator)' if rule.for_operator else ''}")
    _say(f"  severity     {rule.severity}")
    _say(f"  legal status {rule.legal_status or plan.legal_status or 'in-force'}")
    _say(f"  citation     {rule.citation or '(none)'}")
    _say(f"  in force     {'from ' + _when(rule.in_force_from) if rule.in_force_from is not None else 'always'}"
          + (f" until {_when(rule.until)}" if rule.until is not None else ""))
    for quote in rule.quotes:
        _say(f'  quote        "{quote}"')
    for block in rule.blocks:
        label = "relief" if block.keyword == "exempt" else "exclusion"
        _say(f"  {label:<12} when {block.condition.root.text}  ({block.cite or 'no citation'})")
    from ..dsl.schema import lookup

    from .regime import scope_expressions

    own = facts_of(plan, rule_expressions(rule))
    for heading, facts in (("Facts it reads:", own),
                           ("Facts the regime's scope reads:", facts_of(plan, scope_expressions(plan)))):
        _say("\n" + heading)
        for path in sorted(facts):
            root, _, key = path.partition(".")
            earlier = " (also earlier periods)" if facts[path] else ""
            _say(f"  {path:<45} {unit_words(lookup(root, key))}{earlier}")
    _say("\nThe rule as written:")
    print(highlight(escape.lines(source_lines(plan, rule.span)), sys.stdout), end="")
    return exits.OK
