"""Field conversion: one YAML value to the typed, canonical value of its fact, or a diagnostic.

Quantities become floats in the canonical unit of their dimension (kW, kWh, m2, m3, B, degC, kl),
ratios a float in [0, 1], dates ``datetime.date``; the field table is :mod:`dcpolicy.dsl.schema`.
"""

from __future__ import annotations

import datetime
import math
import re
from typing import Callable

from ..dsl import units
from ..dsl.dates import parse_date, why_not_a_date
from ..dsl.diagnostics import Diagnostic
from ..dsl.territory import SUBDIVISION
from ..dsl.facility_messages import F107, F201, F202, F203, F204, F205, F206, F209
from ..dsl.schema import FactType

from .facts import Fact
from .yaml_nodes import Node

Report = Callable[[Diagnostic], None]

# Fields the contract documents as "or null": a null there means absent (unless NULL_MEANS gives it a value).
NULLABLE = frozenset(
    {
        "location.hub_node",
        "location.cluster",
        "phased_development.first_building_started",
        "planned_decommissioning",
        "management_system.standard",
        "erf_exemption",
    }
)
# Fields where the contract gives an explicit null a meaning of its own instead of "absent":
# `management_system.standard: null` states that the facility has no management system (contract v1),
# the same as the project's synonym `none`. An absent key stays unknown.
NULL_MEANS = {"management_system.standard": "none"}
REQUIRED = ("id", "name")

SLUG = re.compile(r"[a-z0-9][a-z0-9._-]*")
COUNTRY = re.compile(r"[A-Z]{2}")
# [0-9], not \d: a full-width or other script's digit is not a number (issue 12, leniency)
LOOSE_NUMBER = re.compile(r"^\s*[-+]?[0-9][0-9,' ]*(?:[.,][0-9]+)?\s*\S*\s*$")
PERCENT = re.compile(r"^\s*(?P<num>[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))\s*%\s*$")
PLAIN_NUMBER = re.compile(r"^\s*[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\s*$")

ABSENT = object()  # what a null in a nullable field converts to: the fact is not known

ABSOLUTE_ZERO_C = -273.15  # no temperature is lower (issue 12: "-300 degC" passed every check)


def convert(path: str, ftype: FactType, node: Node, report: Report):
    """A Fact, ABSENT (a null in a nullable field), or None after reporting a problem."""
    if node.kind != "scalar":
        report(F205.at(node.span, path=path, expected=_describe(ftype), found=node.describe(),
                       hint=_example_hint(path, ftype)))
        return None
    if node.value is None:  # null (a scalar's: collections were turned away above)
        if path in NULL_MEANS:
            return Fact(NULL_MEANS[path], node.at, node.text or "null")
        if path in NULLABLE:
            return ABSENT
        if path in REQUIRED:
            report(F107.no_value.at(node.span, path=path, hint=_example_hint(path, ftype)))
        else:
            report((F205.no_value if ftype.kind != "flag" else F205.no_flag_value).at(node.span, path=path))
        return None
    result = _CONVERTERS[ftype.kind](path, ftype, node, report)
    if result is None:
        return None
    return Fact(result, node.at, str(node.text))


def _quantity(path: str, ftype: FactType, node: Node, report: Report):
    dim = ftype.dimension
    value = node.value
    if isinstance(value, bool):
        report(F205.quantity_flag.at(node.span, path=path, dimension=dim.name, found=node.text,
                                     example=units.example_for(dim)))
        return None
    if isinstance(value, (int, float)):  # YAML read a bare number such as 2400
        report(_missing_unit(path, dim, node))
        return None
    if not isinstance(value, str):
        report(F205.quantity_kind.at(node.span, path=path, dimension=dim.name, example=units.example_for(dim),
                                     found=node.describe()))
        return None
    try:
        magnitude = units.quantity_magnitude(value, dim)
    except units.MissingUnit:
        report(_missing_unit(path, dim, node))
        return None
    except units.NotAQuantity:
        wording = F205.not_a_quantity
        if LOOSE_NUMBER.match(value) and ("," in value or "'" in value or re.search(r"[0-9] [0-9]", value)):
            wording = F205.separators
        report(wording.at(node.span, path=path, value=value, example=units.example_for(dim)))
        return None
    except units.UnknownUnit as exc:
        report(F203.at(node.span, unit=exc.symbol, path=path, dimension=dim.name, units=_units_for(dim),
                       suggestion=f'did you mean "{exc.suggestion}"? ' if exc.suggestion else ""))
        return None
    except units.WrongDimension as exc:
        report(_wrong_dimension(path, dim, node, exc.number, exc.unit))
        return None
    except units.QuantityOverflow:
        report(F205.too_large.at(node.span, path=path, value=value, example=units.example_for(dim)))
        return None
    if magnitude < 0 and dim != units.TEMPERATURE:
        report(F206.at(node.span, path=path, value=value.strip(), dimension=dim.name))
        return None
    # canonical degC; the margin: -459.67 °F is exactly absolute zero, a hair below it in floating point
    if magnitude < ABSOLUTE_ZERO_C - 1e-9 and dim == units.TEMPERATURE:
        report(F206.absolute_zero.at(node.span, path=path, value=value.strip()))
        return None
    return magnitude


def _missing_unit(path: str, dim: units.Dimension, node: Node) -> Diagnostic:
    article = "an" if dim.name[0] in "aeiou" else "a"
    return F201.at(node.span, path=path, article=article, dimension=dim.name, written=node.text,
                   number=str(node.text).strip(),
                   unit=dim.canonical_unit, example=units.example_for(dim), units=_units_for(dim))


def _wrong_dimension(path: str, dim: units.Dimension, node: Node, number: str, unit: units.UnitExpr) -> Diagnostic:
    got, symbol = unit.dimension.name, unit.text
    wording = F202.main
    if dim == units.POWER and unit.dimension == units.ENERGY and symbol.endswith("h"):
        wording = F202.power_as_energy
    elif dim == units.ENERGY and unit.dimension == units.POWER:
        wording = F202.energy_as_power
    elif dim == units.VOLUME and unit.dimension == units.OIL:
        wording = F202.water_as_oil
    elif dim == units.OIL and unit.dimension == units.VOLUME:
        wording = F202.oil_as_water
    elif dim == units.COAL and unit.dimension == units.ENERGY:
        wording = F202.energy_as_coal
    article = "an" if got[0] in "aeiou" else "a"
    return wording.at(node.span, path=path, dimension=dim.name, unit=dim.canonical_unit, value=str(node.value).strip(),
                      article=article, got=got, example=units.example_for(dim), units=_units_for(dim), number=number,
                      symbol=symbol, power_symbol=symbol[:-1])


def _ratio(path: str, ftype: FactType, node: Node, report: Report):
    value = node.value
    if isinstance(value, bool):
        value = None
    elif isinstance(value, str):
        m = PERCENT.match(value)
        if m:
            value = float(m["num"]) / 100
        elif PLAIN_NUMBER.match(value):
            value = float(value)
        else:
            value = None
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        report(F205.ratio.at(node.span, path=path, found=node.describe()))
        return None
    value = float(value)
    if not 0.0 <= value <= 1.0:
        wording = F209.main
        if 1 < value <= 100 and "%" not in str(node.text):
            wording = F209.percent
        report(wording.at(node.span, path=path, written=node.text, fraction=value / 100))
        return None
    return value


def _number(path: str, ftype: FactType, node: Node, report: Report):
    value = node.value
    if isinstance(value, str) and PLAIN_NUMBER.match(value):
        value = float(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        report(F205.number.at(node.span, path=path, found=node.describe(), hint=_example_hint(path, ftype)))
        return None
    if ftype.minimum is not None and value < ftype.minimum:
        report(F206.minimum.at(node.span, path=path, minimum=units.format_number(ftype.minimum), found=node.text,
                               hint=_example_hint(path, ftype)))
        return None
    return float(value)


def _integer(path: str, ftype: FactType, node: Node, report: Report):
    value = node.value
    if isinstance(value, str) and re.fullmatch(r"\s*[-+]?[0-9]+\s*", value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            report(F205.integer_with_point.at(node.span, path=path, found=node.describe(), whole=int(value)))
        else:
            report(F205.integer.at(node.span, path=path, found=node.describe()))
        return None
    if ftype.minimum is not None and value < ftype.minimum:
        report(F206.negative_count.at(node.span, path=path, value=value))
        return None
    return value


def _flag(path: str, ftype: FactType, node: Node, report: Report):
    if isinstance(node.value, bool) and str(node.text).lower() in ("true", "false"):
        return node.value
    report(F205.flag.at(node.span, path=path, found=node.describe()))
    return None


def _date(path: str, ftype: FactType, node: Node, report: Report):
    got = date_value(node)
    if isinstance(got, datetime.date):
        return got
    report(F204.at(node.span, path=path, found=node.describe(), reason=got))
    return None


def _text(path: str, ftype: FactType, node: Node, report: Report):
    text = str(node.text).strip()
    if not text:
        report(F205.empty_text.at(node.span, path=path, hint=_example_hint(path, ftype)))
        return None
    return text


def _slug(path: str, ftype: FactType, node: Node, report: Report):
    text = str(node.text)
    if SLUG.fullmatch(text):
        return text
    report(F205.slug.at(node.span, path=path, text=text, example=_slugify(text)))
    return None


def _country(path: str, ftype: FactType, node: Node, report: Report):
    text = str(node.text).strip()
    if COUNTRY.fullmatch(text):
        return text
    if re.fullmatch(r"[A-Za-z]{2}", text):
        diagnostic = F205.country_case.at(node.span, path=path, text=text, code=text.upper())
    elif text.lower() in _COUNTRY_NAMES:
        diagnostic = F205.country_name.at(node.span, path=path, text=text, code=_COUNTRY_NAMES[text.lower()])
    else:
        diagnostic = F205.country.at(node.span, path=path, text=text)
    report(diagnostic)
    return None


def _subdivision(path: str, ftype: FactType, node: Node, report: Report):
    text = str(node.text).strip()
    if SUBDIVISION.fullmatch(text):
        return text
    report(F205.subdivision.at(node.span, path=path, text=text))
    return None


def _enum(path: str, ftype: FactType, node: Node, report: Report):
    text = str(node.text).strip()
    if text in ftype.values:
        return text
    near = closest(text, ftype.values, cutoff=0.5)
    values = ", ".join(ftype.values) + (", or null" if path in NULLABLE else "")
    report(F205.enum.at(node.span, path=path, text=text, values=values,
                        suggestion=f'did you mean "{near}"? ' if near else ""))
    return None


def _siret(path: str, ftype: FactType, node: Node, report: Report):
    """A French SIRET: 14 digits; spaces between groups are allowed and dropped (YAML may read it as a number)."""
    text = re.sub(r"\s+", "", str(node.text))
    if re.fullmatch(r"[0-9]{14}", text):
        return text
    report(F205.siret.at(node.span, path=path, text=node.text))
    return None


_CONVERTERS = {
    "quantity": _quantity, "ratio": _ratio, "number": _number, "integer": _integer, "flag": _flag,
    "date": _date, "text": _text, "slug": _slug, "country": _country, "enum": _enum,
    "subdivision": _subdivision, "siret": _siret,
}

_COUNTRY_NAMES = {
    "germany": "DE", "deutschland": "DE", "japan": "JP", "china": "CN", "france": "FR", "netherlands": "NL",
    "ireland": "IE", "sweden": "SE", "norway": "NO", "denmark": "DK", "finland": "FI", "spain": "ES",
    "italy": "IT", "poland": "PL", "austria": "AT", "belgium": "BE", "switzerland": "CH",
    "united kingdom": "GB", "uk": "GB", "usa": "US", "united states": "US", "singapore": "SG",
}


def closest(word: str, candidates, cutoff: float = 0.6) -> str | None:
    """The candidate the writer most likely meant: same letters in another case or spacing, else a near spelling."""
    candidates = list(candidates)
    folded = {c.lower(): c for c in candidates}
    if word.lower() in folded:
        return folded[word.lower()]
    squeezed = {re.sub(r"[\s_-]", "", c.lower()): c for c in candidates}
    key = re.sub(r"[\s_-]", "", word.lower())
    if key in squeezed:
        return squeezed[key]
    import difflib  # only a misspelling needs it

    match = difflib.get_close_matches(word, candidates, n=1, cutoff=cutoff)
    return match[0] if match else None


def _slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9._-]+", "-", text.strip().lower()).strip("-._")
    return slug or "site-1"


def _units_for(dimension: units.Dimension) -> str:
    return ", ".join(u.symbol for u in units.UNITS.values() if u.dimension == dimension)


def _describe(ftype: FactType) -> str:
    d = ftype.describe
    return d if d.startswith(("one of", "true")) else ("a " + d if d[0] not in "aeiou" else "an " + d)


def _example_hint(path: str, ftype: FactType) -> str:
    examples = {
        "id": "id: fra-3", "name": "name: FRA-3 Frankfurt", "design_pue": "design_pue: 1.35",
        "intensity": "intensity: 1.7", "cooling_efficiency": "cooling_efficiency: 4.5",
    }
    if path in examples:
        return f"write e.g. `{examples[path]}`"
    if ftype.kind == "quantity":
        return f'write e.g. "{units.example_for(ftype.dimension)}"'
    return f"write {ftype.describe}"


def date_value(node: Node) -> datetime.date | str:
    """A date, or a short reason why the node is not one."""
    value = node.value
    if isinstance(value, datetime.datetime):
        return "write a date without a time"
    if isinstance(value, datetime.date):
        return value
    if node.kind != "scalar" or not isinstance(value, str):
        return "expected YYYY-MM-DD"
    got = parse_date(value)
    return got if got is not None else why_not_a_date(value)
