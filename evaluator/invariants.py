"""Domain invariants between the facts of one facility or period, and the facts derived from others."""

from __future__ import annotations

from dcpolicy.dsl import units
from dcpolicy.dsl.facility_messages import F206, F207

from .facts import Fact, Period
from .fields import Report

RENEWABLE_PARTS = ("energy.renewable_goo", "energy.renewable_ppa", "energy.renewable_onsite")


def check_racks(facts: dict[str, Fact], report: Report) -> None:
    """Occupied racks are a subset of installed racks."""
    if "racks.installed" in facts and "racks.occupied" in facts:
        inst, occ = facts["racks.installed"], facts["racks.occupied"]
        if occ.value > inst.value:  # type: ignore[operator]
            report(F206.racks.at(occ.span, occupied=occ.value, installed=inst.value, line=inst.span.line))


def check_energy(facts: dict[str, Fact], report: Report) -> None:
    """Check a period's energy and water figures against each other; derive energy.renewable from its parts."""
    total, it = facts.get("energy.total"), facts.get("energy.it")
    e = units.ENERGY

    def q(value) -> str:
        return units.format_quantity(float(value), e)

    if it is not None and not it.value > 0:  # type: ignore[operator]
        report(F206.it_energy.at(it.span, it=it.written))
    if total is not None and it is not None and total.value < it.value:  # type: ignore[operator]
        report(F206.total_below_it.at(total.span, total=total.written, it=it.written, line=it.span.line))
    reused = facts.get("energy.reused")
    if reused is not None and total is not None and reused.value > total.value:  # type: ignore[operator]
        report(F206.reused.at(reused.span, reused=reused.written, total=total.written, line=total.span.line))
    parts = [(p, facts[p]) for p in RENEWABLE_PARTS if p in facts]
    renewable = facts.get("energy.renewable")
    if parts:
        total_parts = sum(float(f.value) for _, f in parts)  # type: ignore[arg-type]
        if renewable is not None:
            if abs(total_parts - float(renewable.value)) > 0.001 * max(abs(float(renewable.value)), 1e-9):  # type: ignore[arg-type]
                names = " + ".join(p for p, _ in parts)
                report(F206.renewable_parts.at(renewable.span, names=names, sum=q(total_parts),
                                               renewable=renewable.written))
        else:
            renewable = Fact(total_parts, None, None, "sum of " + ", ".join(p for p, _ in parts))
            facts["energy.renewable"] = renewable
    if renewable is not None and total is not None and renewable.value > total.value:  # type: ignore[operator]
        span = renewable.span or parts[0][1].span
        what = f"({renewable.written})" if renewable.written else f"({q(renewable.value)}, {renewable.derived})"
        report(F206.renewable.at(span, renewable=what, total=total.written, line=total.span.line))
    water_in, potable = facts.get("water.input"), facts.get("water.potable")
    if water_in is not None and potable is not None and potable.value > water_in.value:  # type: ignore[operator]
        report(F206.potable.at(potable.span, potable=potable.written, input=water_in.written,
                               line=water_in.span.line))


def check_overlaps(periods: list[Period], report: Report) -> None:
    """Each day belongs to at most one period of a facility. Points at the later period (later start;
    on a tie, the one written later)."""
    flagged: set[int] = set()
    for j, b in enumerate(periods):
        for i, a in enumerate(periods[:j]):
            if a.start <= b.end and b.start <= a.end:
                later, earlier = (b, a) if (b.start, j) >= (a.start, i) else (a, b)
                if id(later) in flagged:
                    continue
                flagged.add(id(later))
                report(F207.at(later.span, label=later.label, start=later.start, end=later.end,
                               other=earlier.label, other_start=earlier.start, other_end=earlier.end,
                               line=earlier.span.line))
