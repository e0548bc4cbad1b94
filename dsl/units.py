"""Physical units and dimensions shared by policy literals and facility quantities.

A dimension is a vector of exponents over six base quantities. Every value is converted
to a canonical unit per dimension when it is read, so evaluation works on plain floats:
power kW, energy kWh, time h, length m (area m2, volume m3), data bytes, temperature degC,
crude-oil equivalent kl (a Japanese energy measure, kept apart from water volumes), standard-coal
equivalent tce (a Chinese energy measure, kept apart from energy: its electricity coefficient depends on
the basis, 当量值 or 等价值, so no fixed factor converts kWh to tce; docs/facility.md). US units (issue 13,
California): ft and ft² convert by factor, the ton of refrigeration TR (12,000 Btu/h ≈ 3.51685 kW) too, °F by factor and offset (°C = (°F − 32) × 5/9), so °F is a
temperature only and never part of a compound unit. Apparent power
kVA (its own base: VA cannot become W without a power factor, which a policy must multiply in).
"""

from __future__ import annotations

import functools
import math
import re

from .data import frozen

BASE_NAMES = ("energy", "time", "length", "data", "temperature", "oil", "coal", "apparent_power")


@frozen
class Dimension:
    exponents: tuple[int, ...]

    def __mul__(self, other: "Dimension") -> "Dimension":
        return Dimension(tuple(a + b for a, b in zip(self.exponents, other.exponents)))

    def __truediv__(self, other: "Dimension") -> "Dimension":
        return Dimension(tuple(a - b for a, b in zip(self.exponents, other.exponents)))

    @property
    def is_dimensionless(self) -> bool:
        return not any(self.exponents)

    @property
    def name(self) -> str:
        return DIMENSION_NAMES.get(self, self._formula())

    @property
    def canonical_unit(self) -> str:
        unit = CANONICAL_UNITS.get(self)  # not .get(self, self._formula()): results read this per rule
        return self._formula() if unit is None else unit

    def _formula(self) -> str:
        parts = [f"{n}^{e}" if e != 1 else n for n, e in zip(BASE_NAMES, self.exponents) if e]
        return "·".join(parts) or "number"


def _dim(**exps: int) -> Dimension:
    return Dimension(tuple(exps.get(n, 0) for n in BASE_NAMES))


NUMBER = _dim()
ENERGY = _dim(energy=1)
TIME = _dim(time=1)
POWER = _dim(energy=1, time=-1)
LENGTH = _dim(length=1)
AREA = _dim(length=2)
VOLUME = _dim(length=3)
DATA = _dim(data=1)
TEMPERATURE = _dim(temperature=1)
OIL = _dim(oil=1)
COAL = _dim(coal=1)  # tonnes of standard coal equivalent (吨标准煤, tce), China
WATER_PER_ENERGY = VOLUME / ENERGY  # WUE
OIL_PER_ENERGY = OIL / ENERGY  # crude-oil conversion factors
POWER_DENSITY = POWER / AREA  # California computer rooms: W/ft²
# Apparent power (VA): Ireland's Maximum Import Capacity is in MVA. Not convertible to W: a rule that
# compares it with real power multiplies a declared power factor by `1 kW/kVA` in the open.
APPARENT_POWER = _dim(apparent_power=1)
POWER_PER_APPARENT_POWER = POWER / APPARENT_POWER

DIMENSION_NAMES = {
    NUMBER: "number",
    ENERGY: "energy",
    TIME: "time",
    POWER: "power",
    LENGTH: "length",
    AREA: "area",
    VOLUME: "volume",
    DATA: "data size",
    TEMPERATURE: "temperature",
    OIL: "crude-oil equivalent",
    COAL: "standard-coal equivalent",
    WATER_PER_ENERGY: "volume per energy",
    OIL_PER_ENERGY: "crude-oil equivalent per energy",
    POWER_DENSITY: "power density",
    APPARENT_POWER: "apparent power",
    POWER_PER_APPARENT_POWER: "power per apparent power",
}
CANONICAL_UNITS = {
    NUMBER: "",
    ENERGY: "kWh",
    TIME: "h",
    POWER: "kW",
    LENGTH: "m",
    AREA: "m2",
    VOLUME: "m3",
    DATA: "B",
    TEMPERATURE: "degC",
    OIL: "kl",
    COAL: "tce",
    WATER_PER_ENERGY: "m3/kWh",
    OIL_PER_ENERGY: "kl/kWh",
    POWER_DENSITY: "kW/m2",
    APPARENT_POWER: "kVA",
    POWER_PER_APPARENT_POWER: "kW/kVA",
}


@frozen
class Unit:
    symbol: str
    dimension: Dimension
    factor: float  # multiply a value in this unit by factor to get the canonical unit
    offset: float = 0.0  # then add offset: only °F has one (°C = °F × 5/9 − 160/9)


def _table() -> dict[str, Unit]:
    rows: list[tuple] = [
        ("W", POWER, 1e-3), ("kW", POWER, 1.0), ("MW", POWER, 1e3), ("GW", POWER, 1e6),
        ("Wh", ENERGY, 1e-3), ("kWh", ENERGY, 1.0), ("MWh", ENERGY, 1e3),
        ("GWh", ENERGY, 1e6), ("TWh", ENERGY, 1e9),
        ("J", ENERGY, 1 / 3.6e6), ("kJ", ENERGY, 1 / 3.6e3), ("MJ", ENERGY, 1 / 3.6),
        ("GJ", ENERGY, 1e3 / 3.6), ("TJ", ENERGY, 1e6 / 3.6),
        ("h", TIME, 1.0),
        ("m", LENGTH, 1.0), ("km", LENGTH, 1e3),
        ("m2", AREA, 1.0), ("m²", AREA, 1.0),
        ("m3", VOLUME, 1.0), ("m³", VOLUME, 1.0), ("L", VOLUME, 1e-3), ("l", VOLUME, 1e-3),
        ("degC", TEMPERATURE, 1.0), ("°C", TEMPERATURE, 1.0),
        ("degF", TEMPERATURE, 5 / 9, -32 * 5 / 9), ("°F", TEMPERATURE, 5 / 9, -32 * 5 / 9),
        ("ft", LENGTH, 0.3048), ("ft2", AREA, 0.09290304), ("ft²", AREA, 0.09290304),
        ("B", DATA, 1.0), ("kB", DATA, 1e3), ("MB", DATA, 1e6), ("GB", DATA, 1e9),
        ("TB", DATA, 1e12), ("PB", DATA, 1e15), ("EB", DATA, 1e18),
        ("kl", OIL, 1.0), ("kL", OIL, 1.0),
        ("kgce", COAL, 1e-3), ("tce", COAL, 1.0), ("ktce", COAL, 1e3), ("Mtce", COAL, 1e6),
        ("%", NUMBER, 0.01),
        # ton of refrigeration: 12,000 Btu/h by definition, with the International Table Btu (1055.05585262 J)
        ("TR", POWER, 12_000 * 1055.05585262 / 3600 / 1000),
        ("VA", APPARENT_POWER, 1e-3), ("kVA", APPARENT_POWER, 1.0), ("MVA", APPARENT_POWER, 1e3),
        ("GVA", APPARENT_POWER, 1e6),
    ]
    return {row[0]: Unit(*row) for row in rows}


UNITS: dict[str, Unit] = _table()


@frozen
class UnitExpr:
    """A unit as written, possibly compound (``MJ/kWh``), resolved to dimension and factor."""

    text: str
    dimension: Dimension
    factor: float
    offset: float = 0.0  # °F only; a compound unit never has one

    def to_canonical(self, number: float) -> float:
        return number * self.factor + self.offset


class UnknownUnit(ValueError):
    def __init__(self, symbol: str, suggestion: str | None):
        super().__init__(symbol)
        self.symbol = symbol
        self.suggestion = suggestion


def suggest_unit(symbol: str) -> str | None:
    folded = {u.lower(): u for u in UNITS}
    if symbol.lower() in folded:
        return folded[symbol.lower()]
    import difflib  # only a misspelling needs it

    close = difflib.get_close_matches(symbol, list(UNITS), n=1, cutoff=0.5)
    return close[0] if close else None


@functools.lru_cache(maxsize=256)  # a pure function of the text; a register writes the same few units again and again
def parse_unit(text: str) -> UnitExpr:
    """Resolve ``kW``, ``MJ/kWh`` or ``kl/GJ``; raise UnknownUnit naming the bad symbol."""
    numerator, _, denominator = text.partition("/")
    top = _lookup(numerator)
    if not denominator:
        return UnitExpr(text, top.dimension, top.factor, top.offset)
    bottom = _lookup(denominator)
    if top.offset or bottom.offset:  # °F is a point on a scale, not an amount: °F/h has no single factor
        raise UnknownUnit(text, None)
    return UnitExpr(text, top.dimension / bottom.dimension, top.factor / bottom.factor)


def reads_with_offset(symbol: str | None) -> bool:
    """Whether a unit is read with an offset (°F): negating its canonical value would negate the wrong number."""
    unit = UNITS.get(symbol or "")
    return unit is not None and unit.offset != 0.0


def _lookup(symbol: str) -> Unit:
    unit = UNITS.get(symbol)
    if unit is None:
        raise UnknownUnit(symbol, suggest_unit(symbol))
    return unit


_QUANTITY = re.compile(
    r"^\s*(?P<num>[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)\s*(?P<unit>[^\s0-9.+-][^\s]*)?\s*$"
)


@frozen
class ParsedQuantity:
    magnitude: float  # in canonical units
    dimension: Dimension
    written: str


class QuantityError(ValueError):
    """A quantity text that cannot be read; the subclass says which part is wrong, the message what is expected."""


class NotAQuantity(QuantityError):
    """Not a number followed by a unit (e.g. "1,200 kWh", "about 5 MW")."""


class MissingUnit(QuantityError):
    """A number without a unit ("2400")."""


class WrongDimension(QuantityError):
    """A number and a known unit of another dimension ("5 MWh" where a power is expected)."""

    def __init__(self, message: str, number: str, unit: UnitExpr):
        super().__init__(message)
        self.number = number  # the number as written, e.g. "5"
        self.unit = unit  # the unit as written, with its dimension


class QuantityOverflow(QuantityError):
    """A number too large to hold once converted to the canonical unit ("1e400 kWh")."""


def parse_quantity(text: str, expected: Dimension) -> ParsedQuantity:
    """Read ``"2.4 MW"`` as 2400.0 kW; insist on a unit of the expected dimension.

    Raises NotAQuantity, MissingUnit, UnknownUnit (a symbol not in the table), WrongDimension or
    QuantityOverflow; the facility loader turns each into its own F2xx diagnostic.
    """
    magnitude, unit = _read_quantity(text, expected)
    return ParsedQuantity(magnitude, unit.dimension, text)


def quantity_magnitude(text: str, expected: Dimension) -> float:
    """parse_quantity(text, expected).magnitude, without the ParsedQuantity (the facility loader reads many)."""
    return _read_quantity(text, expected)[0]


def _read_quantity(text: str, expected: Dimension) -> tuple[float, UnitExpr]:
    parts = _quantity_parts(text)
    if parts is None:
        raise NotAQuantity(f'"{text}" is not a quantity; write a number and a unit, e.g. "{example_for(expected)}"')
    number, symbol = parts
    if symbol is None:
        raise MissingUnit(f"{text} has no unit; {_a(expected.name)} needs one, e.g. \"{example_for(expected)}\"")
    unit = parse_unit(symbol)
    if unit.dimension is not expected and unit.dimension != expected:
        raise WrongDimension(f'"{text}" is {_a(unit.dimension.name)}, but {_a(expected.name)} is expected '
                             f'(e.g. "{example_for(expected)}")', number, unit)
    magnitude = unit.to_canonical(float(number))
    if not math.isfinite(magnitude):
        raise QuantityOverflow(f'"{text}" is too large')
    return magnitude, unit


@functools.lru_cache(maxsize=1024)  # a register repeats its figures ("250 kW"): each text is split once
def _quantity_parts(text: str) -> tuple[str, str | None] | None:
    """The number and the unit symbol (None without one) of a quantity text, or None when it is not one."""
    match = _QUANTITY.match(text)
    return None if match is None else (match["num"], match["unit"])


def _a(noun: str) -> str:
    return ("an " if noun[0] in "aeiou" else "a ") + noun


_EXAMPLES = {
    POWER: "2.4 MW", ENERGY: "21.3 GWh", AREA: "4000 m2", VOLUME: "30000 m3",
    POWER_DENSITY: "20 W/ft2", TEMPERATURE: "27 degC", DATA: "12 PB", OIL: "1500 kl", COAL: "14500 tce", TIME: "8760 h",
    APPARENT_POWER: "40 MVA",
}


def example_for(dimension: Dimension) -> str:
    return _EXAMPLES.get(dimension, f"1 {dimension.canonical_unit}")


def format_quantity(value: float, dimension: Dimension) -> str:
    """Show a canonical value in the unit a reader expects (1.2 GWh rather than 1200000 kWh)."""
    if dimension.is_dimensionless:
        return format_number(value)
    if dimension == WATER_PER_ENERGY:  # WUE is read in litres per kWh
        return f"{format_number(value * 1000)} L/kWh"
    if dimension == POWER_DENSITY:  # Title 24 states it in W/ft2 (the only regime that reads it)
        return f"{format_number(value)} kW/m2 ({format_number(value * 1000 * UNITS['ft2'].factor)} W/ft2)"
    ladders = {
        POWER: [("GW", 1e6), ("MW", 1e3), ("kW", 1.0), ("W", 1e-3)],
        APPARENT_POWER: [("GVA", 1e6), ("MVA", 1e3), ("kVA", 1.0), ("VA", 1e-3)],
        ENERGY: [("TWh", 1e9), ("GWh", 1e6), ("MWh", 1e3), ("kWh", 1.0), ("Wh", 1e-3)],
        DATA: [("EB", 1e18), ("PB", 1e15), ("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3), ("B", 1.0)],
    }
    for symbol, factor in ladders.get(dimension, []):
        if abs(value) >= factor:
            return f"{format_number(value / factor)} {symbol}"
    return f"{format_number(value)} {dimension.canonical_unit}".rstrip()


def format_number(value: float) -> str:
    if value != value or value in (float("inf"), float("-inf")):  # an overflowed figure is shown, not a crash
        return {"inf": "∞", "-inf": "-∞"}.get(str(value), "not a number")
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    # six significant digits: enough to tell 1.2501 from its limit 1.25, short enough to read
    if abs(value) >= 1e-3:
        return f"{value:.6g}"
    return f"{value:.3e}"
