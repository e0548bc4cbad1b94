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


# ---------------------------------------------------------------- US units (issue 13, California)
def test_fahrenheit_converts_with_its_offset():
    from dcpolicy.dsl import units

    assert units.parse_quantity("80.6 degF", units.TEMPERATURE).magnitude == pytest.approx(27.0)
    assert units.parse_quantity("32 °F", units.TEMPERATURE).magnitude == pytest.approx(0.0)
    assert units.parse_quantity("-40 degF", units.TEMPERATURE).magnitude == pytest.approx(-40.0)


def test_square_feet_and_watts_per_square_foot():
    from dcpolicy.dsl import units

    assert units.parse_quantity("1000 ft2", units.AREA).magnitude == pytest.approx(92.90304)
    assert units.parse_quantity("1000 ft²", units.AREA).magnitude == pytest.approx(92.90304)
    density = units.parse_quantity("20 W/ft2", units.POWER_DENSITY)
    assert density.magnitude == pytest.approx(0.2152782, rel=1e-6)  # kW/m2: 215.28 W/m2 (us-ca.md §2)
    assert units.POWER_DENSITY.name == "power density"


def test_fahrenheit_is_never_part_of_a_compound_unit():
    from dcpolicy.dsl import units

    with pytest.raises(units.UnknownUnit):
        units.parse_unit("degF/h")


US_POLICY = '''jurisdiction xx "US units"

define density = facility.power.it_installed / facility.area.computer_room

rule dense "More than 20 W/ft2, set point at most 80.6 degF"
  cite    "test §1"
  applies density > 20 W/ft2
  require period.temperature_set_point <= 80.6 degF
'''

US_FACILITY = '''dcpolicy: facility/1
id: ca-1
name: CA-1
power: {it_installed: "%s"}
area: {computer_room: "1000 ft2"}
periods:
  - period: 2025
    temperature_set_point: "%s"
'''


@pytest.mark.parametrize("it_installed, set_point, verdict", [
    ("20 kW", "70 degF", "not_applicable"),     # exactly 20 W/ft2 is not "greater than 20 W/ft2"
    ("20.001 kW", "80.6 degF", "pass"),          # 80.6 °F = 27 °C, at the limit
    ("20.001 kW", "80.7 °F", "fail"),
    ("20.001 kW", "27.1 degC", "fail"),          # a facility may write either scale
])
def test_us_units_in_a_policy_and_a_facility(tmp_path, capsys, it_installed, set_point, verdict):
    import json

    from dcpolicy.cli.main import main

    policy = tmp_path / "us.policy"
    policy.write_text(US_POLICY, encoding="utf-8")
    site = tmp_path / "ca-1.yaml"
    site.write_text(US_FACILITY % (it_installed, set_point), encoding="utf-8")
    main(["eval", "--policy", str(policy), str(site), "--as-of", "2026-06-01", "--format", "json"])
    [evaluation] = json.loads(capsys.readouterr().out)["evaluations"]
    assert evaluation["results"][0]["verdict"] == verdict
