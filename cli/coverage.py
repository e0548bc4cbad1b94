"""`policy test --coverage`: which rules, tiers, reliefs, exclusions and band rows the test cases reach.

Read from the plans and the cases' runs. Only the results a case asserts count (the rules named in its
`expect:`): a rule evaluated but never checked is not tested. A rule is reached when a case judges it
(pass, fail, exempt or info: its requirement was decided) and expects something of it; a tier (`x when c`, and
`otherwise`) when a case's trace shows that branch chosen; a relief (`exempt`) or an exclusion
(`exclude`, of a rule or of the scope) when a case's trace shows its condition true; a band row when a
case's result lands in it.
"""

from __future__ import annotations

from ..dsl.data import frozen

JUDGED = ("pass", "fail", "exempt", "info")


@frozen
class Item:
    regime: str
    kind: str  # rule | tier | otherwise | relief | exclusion | band row
    what: str  # words for a reader: the rule id, the tier's text, the block's reason
    line: int
    file: str


@frozen
class Coverage:
    items: tuple[Item, ...]
    reached: frozenset  # the items reached

    @property
    def percent(self) -> float:
        return 100.0 * len(self.reached) / len(self.items) if self.items else 100.0

    @property
    def missed(self) -> list[Item]:
        return [item for item in self.items if item not in self.reached]


def coverage(plans, runs) -> Coverage:
    """The coverage items of these plans, and which of them the runs reach. runs: (Run, the rule ids
    the case expects something of) per case."""
    items: list[Item] = []
    keys: dict[tuple, Item] = {}  # how a run shows an item -> the item

    def add(key, item):
        if key not in keys:
            keys[key] = item
            items.append(item)

    for plan in plans:
        for block in plan.scope_blocks:
            add(("block", block.condition.root.span), _block_item(plan, "scope", block))
        for rule in plan.rules:
            add(("rule", rule.rule_id), Item(plan.code, "rule", rule.rule_id, rule.span.line, plan.file))
            for block in rule.blocks:
                add(("block", block.condition.root.span), _block_item(plan, rule.rule_id, block))
            for level in rule.levels:
                add(("level", rule.rule_id, level.label),
                    Item(plan.code, "band row", f"{rule.rule_id} [{level.label}]", level.span.line, plan.file))
        for expr in _expressions(plan):
            for info in expr.nodes:
                if info.op != "when":
                    continue
                conditions = info.children[1:-1:2]
                for index, condition in enumerate(conditions):
                    text = expr.nodes[condition].text
                    add(("tier", info.span, index),
                        Item(plan.code, "tier", f"… when {text}", expr.nodes[condition].span.line, plan.file))
                add(("tier", info.span, len(conditions)),
                    Item(plan.code, "otherwise", f"otherwise of ({_short(info.text)})",
                         expr.nodes[info.children[-1]].span.line, plan.file))
    reached = {keys[key] for key in _seen(runs) if key in keys}
    return Coverage(tuple(items), frozenset(reached))


def _block_item(plan, owner: str, block) -> Item:
    kind = "relief" if block.keyword == "exempt" else "exclusion"
    words = block.because or block.condition.root.text
    return Item(plan.code, kind, f"{owner}: {words}", block.condition.root.span.line, plan.file)


def _expressions(plan):
    from .regime import rule_expressions, scope_expressions

    yield from scope_expressions(plan)
    yield from plan.definitions.values()
    for rule in plan.rules:
        yield from rule_expressions(rule)


def _seen(runs):
    """Every item key the runs show reached."""
    for run, expected in runs:
        for result in run.every_result():
            if result.rule not in expected:
                continue
            if result.verdict in JUDGED:
                yield ("rule", result.rule)
            if result.decision.level is not None:
                yield ("level", result.rule, result.decision.level.label)
            for trace in result.trace:
                if trace.label in ("exempt", "exclude") and trace.values[0] is True:
                    yield ("block", trace.root.span)
                yield from _tiers(trace.nodes, trace.values)
                for definition in trace.definitions:
                    yield from _tiers(definition.nodes, definition.values)


def _tiers(nodes, values):
    """The branch each evaluated tiered expression chose: the first condition known true, or otherwise."""
    for slot, info in enumerate(nodes):
        if info.op != "when":
            continue
        conditions = info.children[1:-1:2]
        for index, condition in enumerate(conditions):
            value = values[condition]
            if value is True:
                yield ("tier", info.span, index)
                break
            if value is not False:
                break  # unknown or not evaluated: no branch was chosen
        else:
            yield ("tier", info.span, len(conditions))


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 60 else flat[:57] + "…"


def report(result: Coverage) -> list[str]:
    """The coverage in lines: the figure, then every item no case reaches, by regime."""
    lines = [f"coverage: {result.percent:.1f}% ({len(result.reached)} of {len(result.items)} rules, tiers, "
             "reliefs, exclusions and band rows reached)"]
    by_kind: dict[str, list[int]] = {}
    for item in result.items:
        counts = by_kind.setdefault(item.kind, [0, 0])
        counts[0] += item in result.reached
        counts[1] += 1
    lines.append("  " + ", ".join(f"{kind} {done}/{total}" for kind, (done, total) in by_kind.items()))
    for item in result.missed:
        lines.append(f"  not reached: {item.kind:<9} {item.what}  ({item.file}:{item.line})")
    return lines
