"""dsl/units.py parse_quantity: the one reader of quantity texts (the facility loader uses it)."""

from __future__ import annotations

import pytest

from dcpolicy.dsl import units


@pytest.mark.parametrize("text, dimension, magnitude", [
    ("2.4 MW", units.POWER, 2400.0),
    ("2400kW", units.POWER, 2400.0),
    ("  21.3 GWh ", units.ENERGY, 21.3e6),
    (".5 MWh", units.ENERGY, 500.0),
    ("1e3 kWh", units.ENERGY, 1000.0),
    ("3.6 MJ", units.ENERGY, 1.0),
    ("-5 degC", units.TEMPERATURE, -5.0),
    ("500 L", units.VOLUME, 0.5),
    ("1500 kl", units.OIL, 1500.0),
    ("0.9 MJ/kWh", units.NUMBER, 0.25),
])
def test_a_quantity_is_read_in_its_canonical_unit(text, dimension, magnitude):
    parsed = units.parse_quantity(text, dimension)
    assert parsed.magnitude == pytest.approx(magnitude) and parsed.dimension == dimension and parsed.written == text


@pytest.mark.parametrize("text, error", [
    ("2400", units.MissingUnit),
    (" 1e3 ", units.MissingUnit),
    ("1,200 kWh", units.NotAQuantity),
    ("about 5 MW", units.NotAQuantity),
    ("", units.NotAQuantity),
    ("1e400 kWh", units.QuantityOverflow),
    ("1e308 TWh", units.QuantityOverflow),
])
def test_each_way_a_quantity_text_fails_has_its_own_error(text, error):
    with pytest.raises(error) as info:
        units.parse_quantity(text, units.ENERGY)
    assert isinstance(info.value, units.QuantityError) and str(info.value)


def test_an_unknown_unit_names_the_symbol_and_the_nearest_known_one():
    with pytest.raises(units.UnknownUnit) as info:
        units.parse_quantity("5 Mwh", units.ENERGY)
    assert (info.value.symbol, info.value.suggestion) == ("Mwh", "MWh")


def test_a_unit_of_another_dimension_keeps_the_number_and_the_unit_as_written():
    with pytest.raises(units.WrongDimension) as info:
        units.parse_quantity("5 MWh", units.POWER)
    assert info.value.number == "5" and info.value.unit.text == "MWh" and info.value.unit.dimension == units.ENERGY
    assert str(info.value) == '"5 MWh" is an energy, but a power is expected (e.g. "2.4 MW")'
