"""Each facility under its own law: plans judged where their territory contains the facility's location.

`policy eval --jurisdiction home` asks for this. A plan chosen `everywhere` (named with -j, or given with
--policy) judges every facility, as before; a plan chosen `at_home` judges only the facilities its
territory contains (dsl/territory.py). The Run keeps the contract's order: input order, then plan order.
"""

from __future__ import annotations

from ..dsl.data import frozen
from ..dsl.territory import contains
from .engine import evaluate
from .facts import Facility, LoadedInput
from .plan import Plan
from .results import Run


@frozen
class Chosen:
    """A plan and where it judges: every facility, or only those its territory contains."""

    plan: Plan
    everywhere: bool


def location(facility: Facility) -> tuple[str | None, str | None]:
    """The facility's ISO 3166-1 country and ISO 3166-2 subdivision, as far as the file says."""
    country = facility.facts.get("location.country")
    subdivision = facility.facts.get("location.subdivision")
    return (country.value if country else None, subdivision.value if subdivision else None)


def governs(plan: Plan, facility: Facility) -> bool:
    """Whether the plan's territory contains the facility's location."""
    return contains(plan.territory, *location(facility))


def judges(chosen: Chosen, facility: Facility) -> bool:
    return chosen.everywhere or governs(chosen.plan, facility)


def evaluate_chosen(chosen: list[Chosen], loaded: LoadedInput, as_of, period_label: str | None = None,
                    provenance: bool = True) -> Run:
    """The Run of each chosen plan over the facilities it judges (an operator's aggregates count only those);
    without `provenance`, traces leave out where facts came from (engine.evaluate)."""
    if all(c.everywhere for c in chosen):
        return evaluate([c.plan for c in chosen], loaded, as_of, period_label, provenance)
    by_pair = {}
    operators = []
    for index, choice in enumerate(chosen):
        members = tuple(f for f in loaded.facilities if judges(choice, f))
        if not members:
            continue
        run = evaluate([choice.plan], LoadedInput(members, loaded.sources), as_of, period_label, provenance)
        by_pair.update(((e.facility, index), e) for e in run.evaluations)
        operators.extend(run.operators)
    evaluations = tuple(by_pair[(f.id, i)] for f in loaded.facilities for i in range(len(chosen))
                        if (f.id, i) in by_pair)
    return Run(as_of, evaluations, tuple(operators))


def unjudged(chosen: list[Chosen], loaded: LoadedInput) -> tuple[Facility, ...]:
    """The facilities no chosen plan judges (their country has no regime among those chosen)."""
    return tuple(f for f in loaded.facilities if not any(judges(c, f) for c in chosen))
