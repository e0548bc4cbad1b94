"""Territories a policy governs (its header's `territory`) and whether one contains a facility's location.

A territory is an ISO 3166-1 alpha-2 country (DE), an ISO 3166-2 subdivision (CN-SH: Shanghai), or
EU, the code ISO 3166-1 reserves exceptionally for the European Union, which contains its member
states. `policy eval --jurisdiction home` judges each facility under the regimes whose territory
contains its location (docs/language.md, "Territory").
"""

from __future__ import annotations

import re

COUNTRY = re.compile(r"[A-Z]{2}")
SUBDIVISION = re.compile(r"([A-Z]{2})-[A-Z0-9]{1,3}")
UNION = "EU"

# The 27 member states of the European Union (TEU Art. 52), as ISO 3166-1 alpha-2 codes. Greece is GR
# in ISO 3166-1 (the EU's own protocol writes EL); a facility is located with the ISO code.
EU_MEMBER_STATES = frozenset((
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT",
    "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
))


def why_not_a_territory(text: str) -> str | None:
    """None for a valid territory, else what is wrong with it, in words."""
    if text == UNION or COUNTRY.fullmatch(text) or SUBDIVISION.fullmatch(text):
        return None
    if text.upper() != text and why_not_a_territory(text.upper()) is None:
        return f'codes are written in capitals: "{text.upper()}"'
    return "not an ISO 3166-1 country (DE), an ISO 3166-2 subdivision (CN-SH) or EU"


def contains(territory: str | None, country: str | None, subdivision: str | None = None) -> bool:
    """Whether a territory contains a facility at this country (and subdivision, for regional rules)."""
    if territory is None or country is None:
        return False
    if territory == UNION:
        return country in EU_MEMBER_STATES
    if SUBDIVISION.fullmatch(territory):
        return subdivision == territory
    return territory == country
