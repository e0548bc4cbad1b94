"""Domain invariants between the facts of one facility or period, and the facts derived from others."""

from __future__ import annotations

import math

from ..dsl import schema, units
from ..dsl.diagnostics import Diagnostic, Span
from ..dsl.facility_messages import F206, F207
from ..dsl.shares import PARTS_OF

from .facts import Fact, Period
from .fields import Report

# A fact a file may give as the sum of its parts: written, it must equal their sum (within 0.1 %);
# left out, it is derived from them.
SUMS: dict[str, tuple[str, ...]] = {
    "energy.renewable": ("energy.renewable_goo", "energy.renewable_ppa", "energy.renewable_onsite"),
}
_SUM_OF = {part: total for total, parts in SUMS.items() for part in parts}


def check_racks(facts: dict[str, Fact], report: Report) -> None:
    """Occupied racks are a subset of installed racks."""
    if "racks.installed" in facts and "racks.occupied" in facts:
        inst, occ = facts["racks.installed"], facts["racks.occupied"]
        if occ.value > inst.value:  # type: ignore[operator]
            report(F206.racks.at(occ.span, occupied=occ.value, installed=inst.value, line=inst.span.line))


def check_location(facts: dict[str, Fact], report: Report) -> None:
    """An ISO 3166-2 subdivision lies in its country: CN-SH in CN."""
    if "location.subdivision" in facts and "location.country" in facts:
        subdivision, country = facts["location.subdivision"], facts["location.country"]
        if not str(subdivision.value).startswith(f"{country.value}-"):
            report(F206.subdivision.at(subdivision.span, subdivision=subdivision.value, country=country.value,
                                       line=country.span.line))


def check_period(facts: dict[str, Fact], report: Report) -> None:
    """Check a period's figures against each other and add the facts derived from them.

    Every (part, whole) pair of :data:`dcpolicy.dsl.shares.PARTS_OF` holds: the checker relies on
    it when it treats part / whole as a share (W603).
    """
    it = facts.get("energy.it")
    if it is not None and not it.value > 0:  # type: ignore[operator]
        report(F206.it_energy.at(it.span, it=it.written))
    settled: set[str] = set()

    def settle(path: str) -> Fact | None:
        """The fact, once a sum has been checked against its parts or derived from them."""
        if path in SUMS and path not in settled:
            settled.add(path)
            _settle_sum(path, facts, report)
        return facts.get(path)

    for part_path, whole_path in PARTS_OF.items():
        if _bounded_through_its_sum(part_path, whole_path):
            continue
        part, whole = settle(part_path), settle(whole_path)
        if part is not None and whole is not None and _exceeds(part.value, whole.value):
            report(_part_exceeds_whole(part_path, part, whole_path, whole, facts))
    for path in SUMS:
        settle(path)  # derived all the same when no pair reads it


def _exceeds(part, whole) -> bool:
    """A part larger than its whole, beyond the float noise of unit conversion: "1281.2 kWh" reused of a
    total of "0.0012812 GWh" (1281.1999999999998 kWh once converted) is all of it, not more (the runtime's
    comparisons allow the same one part in 10^9, docs/language.md)."""
    return part > whole and not math.isclose(part, whole, rel_tol=1e-9, abs_tol=1e-12)  # type: ignore[operator]


def _bounded_through_its_sum(part: str, whole: str) -> bool:
    """A part of a sum that is itself bounded by the same whole needs no check (nor message) of its
    own: it is no larger than the sum, and a written sum that disagrees with its parts is an error."""
    total = _SUM_OF.get(part)
    return total is not None and PARTS_OF.get(total) == whole


def _settle_sum(path: str, facts: dict[str, Fact], report: Report) -> None:
    parts = [(p, facts[p]) for p in SUMS[path] if p in facts]
    if not parts:
        return
    total_parts = sum(float(f.value) for _, f in parts)  # type: ignore[arg-type]
    written = facts.get(path)
    if written is None:
        facts[path] = Fact(total_parts, None, None, "sum of " + ", ".join(p for p, _ in parts))
    elif abs(total_parts - float(written.value)) > 0.001 * max(abs(float(written.value)), 1e-9):  # type: ignore[arg-type]
        names = " + ".join(p for p, _ in parts)
        report(F206.renewable_parts.at(written.span, names=names, sum=_quantity(path, total_parts),
                                       renewable=written.written))


def _part_exceeds_whole(part_path: str, part: Fact, whole_path: str, whole: Fact,
                        facts: dict[str, Fact]) -> Diagnostic:
    """The words for a part larger than its whole; the pairs written about before the table existed
    keep their own words."""
    where, whole_line = _where(part_path, part, facts), _where(whole_path, whole, facts).line
    match part_path:
        case "energy.it":  # said of the whole: PUE below 1 is what a reader recognises
            return F206.total_below_it.at(whole.span, total=whole.written, it=part.written, line=where.line)
        case "energy.reused":
            return F206.reused.at(where, reused=part.written, total=whole.written, line=whole_line)
        case "energy.renewable":
            return F206.renewable.at(where, renewable=f"({_shown(part_path, part)})", total=whole.written,
                                     line=whole_line)
        case "water.potable":
            return F206.potable.at(where, potable=part.written, input=whole.written, line=whole_line)
        case "energy.reused_via_heat_network":
            return F206.heat_network.at(where, part=part.written, reused=whole.written, line=whole_line)
    return F206.part_of.at(where, part=part_path, value=_shown(part_path, part), whole=whole_path,
                           whole_value=_shown(whole_path, whole), line=whole_line)


def _where(path: str, fact: Fact, facts: dict[str, Fact]) -> Span:
    """Where a fact was written; for a derived sum, where its first part was."""
    if fact.span is not None:
        return fact.span
    return next(facts[p].span for p in SUMS[path] if p in facts)  # type: ignore[return-value]


def _shown(path: str, fact: Fact) -> str:
    """A figure as written, or its value and how it was derived."""
    return fact.written or f"{_quantity(path, fact.value)}, {fact.derived}"


def _quantity(path: str, value) -> str:
    fact_type = schema.lookup("period", path)
    return units.format_quantity(float(value), fact_type.dimension if fact_type else units.NUMBER)


def check_overlaps(periods: list[Period], report: Report) -> None:
    """Each day belongs to at most one period of a facility. Points at the later period (later start;
    on a tie, the one written later), naming the earlier period that reaches furthest into it.

    One sweep in order of start, n·log n: a period overlaps an earlier-starting one exactly when it
    starts on or before the furthest end seen so far (10,000 periods are checked in milliseconds)."""
    order = sorted(range(len(periods)), key=lambda i: (periods[i].start, i))
    reaching: Period | None = None  # of the periods so far, the one that ends last
    for index in order:
        later = periods[index]
        if reaching is not None and later.start <= reaching.end:
            report(F207.at(later.span, label=later.label, start=later.start, end=later.end,
                           other=reaching.label, other_start=reaching.start, other_end=reaching.end,
                           line=reaching.span.line))
        if reaching is None or later.end > reaching.end:
            reaching = later
