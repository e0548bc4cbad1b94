"""What a regime is made of, read from its compiled plan: its rules and the facts each one reads.

`policy list`, `policy explain`, `policy schema` and `policy init` share this model. The facts come
from the plans' node tables (every `fact` node, and the member facts an aggregate reads), following
definitions to the facts they read, so the list can never drift from the policies.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..dsl.data import frozen

_EARLIER = re.compile(r"^period\[-\d+\]")


@frozen
class FactUse:
    """One fact a regime reads: its path as the facility file writes it, and who reads it."""

    path: str  # facility.power.it_installed, period.energy.total
    rules: tuple[str, ...]  # rule ids, "scope" for the scope test
    earlier_periods: bool  # read as period[-k] too: earlier periods must be given as well

    @property
    def root(self) -> str:
        return self.path.split(".", 1)[0]

    @property
    def key(self) -> str:
        return self.path.split(".", 1)[1]

    @property
    def fact_type(self):
        from ..dsl.schema import lookup

        return lookup(self.root, self.key)


def regime_plans(jurisdictions: str | None, policy_files=()) -> list:
    """The compiled plans named by -j (codes, "all") and --policy; every shipped one when neither is given."""
    from .api import compile_plans, resolve_policies, shipped_policies

    if jurisdictions is None and not policy_files:
        paths = list(shipped_policies().values())
    else:
        paths = resolve_policies(jurisdictions, policy_files)
    return compile_plans(paths)


def rule_expressions(rule) -> list:
    """Every compiled expression of a rule: its tests, its requirement, its reliefs and items."""
    found = [e for e in (rule.applies, rule.in_force_from, rule.until, rule.require, rule.subject, rule.due) if e]
    found += [block.condition for block in rule.blocks]
    for item in rule.items:
        found += [item.value] + ([item.condition] if item.condition else [])
    return found


def scope_expressions(plan) -> list:
    return ([plan.scope] if plan.scope else []) + [block.condition for block in plan.scope_blocks]


def facts_of(plan, expressions) -> dict[str, bool]:
    """Fact path -> whether an earlier period is read, for these expressions and the definitions they use."""
    facts: dict[str, bool] = {}
    seen: set[str] = set()
    pending = list(expressions)
    while pending:
        for node in pending.pop().nodes:
            paths = list(node.reads) + ([node.path] if node.kind == "fact" and node.path else [])
            for path in paths:
                earlier = bool(_EARLIER.match(path))
                plain = _EARLIER.sub("period", path)
                facts[plain] = facts.get(plain, False) or earlier
            if node.kind == "definition" and node.path in plan.definitions and node.path not in seen:
                seen.add(node.path)
                pending.append(plan.definitions[node.path])
    return facts


def facts_read(plan) -> list[FactUse]:
    """Every fact the regime reads, sorted facility first then period, with the rules that read it."""
    readers: dict[str, list[str]] = {}
    earlier: dict[str, bool] = {}
    sources = [(f"{plan.code} scope", scope_expressions(plan))] + [(r.rule_id, rule_expressions(r)) for r in plan.rules]
    for reader, expressions in sources:
        for path, back in facts_of(plan, expressions).items():
            readers.setdefault(path, []).append(reader)
            earlier[path] = earlier.get(path, False) or back
    order = {"facility": 0, "period": 1}
    return [FactUse(path, tuple(readers[path]), earlier[path])
            for path in sorted(readers, key=lambda p: (order.get(p.split(".", 1)[0], 2), p))]


def find_rule(plans, rule_id: str):
    """(plan, rule) for a rule id (`de.pue_new`) or a bare rule name when only one plan has it."""
    matches = [(plan, rule) for plan in plans for rule in plan.rules
               if rule.rule_id == rule_id or (("." not in rule_id) and rule.name == rule_id)]
    return matches[0] if len(matches) == 1 else None


def all_rule_ids(plans) -> list[str]:
    return [rule.rule_id for plan in plans for rule in plan.rules]


def source_lines(plan, span) -> str:
    """The policy text of a span, whole lines, as written."""
    path = policy_path(plan)
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    lines = text.splitlines()
    return "\n".join(lines[span.line - 1:span.end_line]).rstrip() + "\n"


def policy_path(plan) -> Path:
    """The file a plan was compiled from (shipped plans are named policies/<file> for display)."""
    from ..dsl.loader import shipped_policies_dir

    path = Path(plan.file)
    if not path.is_file() and plan.file.startswith("policies/"):
        return shipped_policies_dir() / plan.file.removeprefix("policies/")
    return path


def unit_words(fact_type) -> str:
    """The unit a fact is written in, for people: `energy (e.g. "12 GWh")`, `true or false`, …"""
    if fact_type is None:
        return "?"
    return fact_type.describe
