"""Every sentence of the operator views (home regimes, compare, timeline, priorities, what-if, report).

Kept beside cli/phrasing.py (which words single verdicts) so that those views add words in one place;
the renderers of the views read results and take their words from here.
"""

from __future__ import annotations


def no_country(facility: str, file: str) -> str:
    return (f"-j home judges each facility under the law of its location, but {facility} ({file}) has no "
            f"location.country; add it (ISO 3166-1, e.g. DE), or name the regimes with -j (e.g. -j de,eu)")


def unjudged(facilities, regimes) -> str:
    names = ", ".join(facilities)
    return (f"note: no regime among {', '.join(regimes)} governs the location of {names}; "
            f"nothing was judged for {'it' if len(facilities) == 1 else 'them'} (name a regime with -j to judge "
            f"anyway)")
