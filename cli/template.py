"""`policy schema` and `policy init`: the facts a regime reads (from its plan), and a template facility file.

Both read cli/regime.py `facts_read`, which walks the compiled plans' node tables, so the list is what
the rules read and nothing else. The template lists every fact commented out, with an example value:
evaluated untouched, every rule that needs a fact is `unknown` and names what is missing.
"""

from __future__ import annotations

import datetime
import json
import sys

from . import exits
from .catalogue import _plans

_WIDTH = 34  # the column where a template line's comment starts
_WRITTEN = ("facility.id", "facility.name")  # written out at the top: every facility file needs them
_FROM_LABEL = ("period.start", "period.end")  # derived from the period's label, never written


def run_schema(args) -> int:
    from .regime import facts_read, unit_words

    plans = _plans(args)
    if isinstance(plans, int):
        return plans
    if args.format == "json":
        document = {"format": "dcpolicy/schema/1", "regimes": [
            {"code": plan.code, "facts": [_fact_json(use) for use in facts_read(plan)]} for plan in plans]}
        print(json.dumps(document, indent=2, ensure_ascii=False))
        return exits.OK
    for index, plan in enumerate(plans):
        if index:
            print()
        uses = facts_read(plan)
        print(f"{plan.code} ({plan.name}) reads {len(uses)} facts:")
        for use in uses:
            fact_type = use.fact_type
            meaning = f" — {fact_type.meaning}" if fact_type is not None and fact_type.meaning else ""
            earlier = "; earlier periods too" if use.earlier_periods else ""
            print(f"  {use.path:<45} {unit_words(fact_type)}{meaning}{earlier}")
            print(f"  {'':<45} read by {', '.join(use.rules)}")
    return exits.OK


def _fact_json(use) -> dict:
    fact_type = use.fact_type
    return {
        "path": use.path,
        "kind": fact_type.kind if fact_type else None,
        "dimension": fact_type.dimension.name if fact_type and fact_type.kind == "quantity" else None,
        "unit": fact_type.dimension.canonical_unit if fact_type and fact_type.kind == "quantity" else None,
        "values": list(fact_type.values) if fact_type else [],
        "meaning": fact_type.meaning if fact_type else "",
        "default": fact_type.default if fact_type else None,
        "earlier_periods": use.earlier_periods,
        "read_by": list(use.rules),
    }


def run_init(args) -> int:
    plans = _plans(args)
    if isinstance(plans, int):
        return plans
    sys.stdout.write(template(plans, datetime.date.today()))
    return exits.OK


def template(plans, today: datetime.date) -> str:
    """A facility file with every fact these plans read, commented out with an example value."""
    from .regime import facts_read

    readers: dict[str, list[str]] = {}
    earlier: set[str] = set()
    for plan in plans:
        for use in facts_read(plan):
            if use.path in _WRITTEN or use.path in _FROM_LABEL or use.fact_type is None:
                continue
            if use.root in ("facility", "period"):
                readers.setdefault(use.path, []).extend(use.rules)
                if use.earlier_periods:
                    earlier.add(use.path)
    codes = ", ".join(plan.code for plan in plans)
    fiscal = all(plan.calendar == "fiscal-year" for plan in plans)  # mixed: calendar years
    year = today.year - 1
    lines = [
        f"# Facility template for {codes}, written by `policy init`. Every fact these policies read is",
        "# listed below, commented out, with an example value, its type and the rules that read it.",
        "# Uncomment a line (and the group line above it), write your figure, and run",
        f"#   policy eval -j {codes.replace(', ', ',')} THIS_FILE --explain",
        "# A fact left commented out is unknown: the rules that need it say so. Facts: docs/facility.md.",
        "dcpolicy: facility/1",
        "id: my-dc                         # replace: a unique id, [a-z0-9][a-z0-9._-]*",
        "name: My data centre              # replace: the data centre's name",
    ]
    facility = {p: r for p, r in readers.items() if p.startswith("facility.")}
    period = {p: r for p, r in readers.items() if p.startswith("period.")}
    lines += _nested(facility, "facility", "", earlier)
    label = f"FY{year}" if fiscal else str(year)
    lines += ["periods:", f"  - period: {label}" + (" " * max(1, _WIDTH - 12 - len(label)))
              + "# one entry per reporting period; later ones below"]
    if earlier:
        lines.append("    # some rules also read earlier periods (" + ", ".join(sorted(earlier))
                     + "): add those periods too")
    lines += _nested(period, "period", "    ", earlier)
    return "\n".join(lines) + "\n"


def _nested(readers: dict[str, list[str]], root: str, indent: str, earlier: set[str]) -> list[str]:
    """Commented YAML lines, a group line before the first fact of each group (power:, energy: …)."""
    from ..dsl.schema import lookup

    lines: list[str] = []
    open_groups: tuple[str, ...] = ()
    for path in sorted(readers, key=lambda p: (p.count(".") > 1, p)):
        parts = path.split(".")[1:]
        groups = tuple(parts[:-1])
        for depth, group in enumerate(groups):
            if open_groups[:depth + 1] != groups[:depth + 1]:
                lines.append(f"{indent}# {'  ' * depth}{group}:")
        open_groups = groups
        fact_type = lookup(root, ".".join(parts))
        key = f"{indent}# {'  ' * len(groups)}{parts[-1]}: {_example(fact_type)}"
        who = ", ".join(dict.fromkeys(readers[path]))
        lines.append(f"{key:<{len(indent) + _WIDTH}} # {fact_type.describe}; read by {who}")
    return lines


def _example(fact_type) -> str:
    from ..dsl import units

    if fact_type.kind == "quantity":
        return units.example_for(fact_type.dimension)
    if fact_type.kind == "enum":
        return json.dumps(fact_type.values[0]) if " " in fact_type.values[0] else fact_type.values[0]
    return {"ratio": "55%", "number": "1.4", "integer": "100", "flag": "false", "date": "2020-01-01",
            "text": '"…"', "slug": "my-operator", "country": "DE", "subdivision": "DE-HE",
            "siret": '"12345678900021"'}[fact_type.kind]
