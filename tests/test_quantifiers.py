"""Quantifiers over a facility's records (`every` / `some`), ln, either and the ton of refrigeration (issue 13)."""

from __future__ import annotations

import json
import math

import pytest

from dcpolicy.cli.main import main
from dcpolicy.dsl import units
from dcpolicy.dsl.formatter import format_policy
from dcpolicy.dsl.parser import parse
from dcpolicy.evaluator import runtime
from dcpolicy.evaluator.quantify import Quantified, RecordOutcome
from dcpolicy.evaluator.values import NOT_EVALUATED, U, Bounds

HEADER = 'jurisdiction xx "Test"\n'

ROOMS = """\
id: sjc-1
name: SJC-1
type: colocation
computer_rooms:
  - id: cr-1
    floor_area: 4306 ft2
    ite_design_load: 1 MW
    cooling_system: chw-1
  - id: cr-2
    floor_area: 1000 ft2
    ite_design_load: 15 kW
  - id: cr-3
    floor_area: 100 ft2
    ite_design_load: 50 kW
    cooling_system: dx-1
cooling_systems:
  - id: chw-1
    economizer: water
  - id: dx-1
    economizer: none
"""


def diagnostics_of(source: str) -> list:
    from dcpolicy.dsl.checker import check
    from dcpolicy.dsl.diagnostics import DiagnosticError

    try:
        return list(check(parse(source, "t.policy"), source).warnings)
    except DiagnosticError as err:
        return err.diagnostics


def run(capsys, tmp_path, rule_body: str, facility: str = ROOMS, *extra: str):
    """The JSON result of rule xx.r (require: rule_body) for the facility, with the full trace."""
    policy = tmp_path / "xx.policy"
    policy.write_text(HEADER + 'rule r "t"\n  cite "§1"\n  require ' + rule_body + "\n", encoding="utf-8")
    site = tmp_path / "site.yaml"
    site.write_text(facility, encoding="utf-8")
    code = main(["eval", "--policy", str(policy), str(site), "--format", "json", "--explain", *extra])
    assert code in (0, 1, 2), code
    document = json.loads(capsys.readouterr().out)
    return document["evaluations"][0]["results"][0]


def test_every_fails_naming_each_failing_record_and_what_it_read(capsys, tmp_path):
    result = run(capsys, tmp_path, 'every room in facility.computer_rooms where room.power_density > 20 W/ft2: '
                           'room.cooling_system.economizer != "none"')
    assert result["verdict"] == "fail"
    assert result["reason"] == ('every room in facility.computer_rooms where …: fails for computer room cr-3 '
                                '(power_density = 5.38196 kW/m2 (500 W/ft2), cooling_system.economizer = none)')
    records = result["trace"][0]["steps"][0]["records"]
    assert [(r["id"], r["selected"], r["holds"]) for r in records] == [
        ("cr-1", True, True), ("cr-2", False, "not evaluated"), ("cr-3", True, False)]


def test_every_that_holds_lists_the_selected_records(capsys, tmp_path):
    result = run(capsys, tmp_path, "every room in facility.computer_rooms where room.power_density > 20 W/ft2: "
                           "room.ite_design_load > 20 kW")
    assert result["verdict"] == "pass"
    assert result["reason"].endswith("where …: holds for each computer room selected (cr-1, cr-3)")


def test_exactly_at_the_where_limit_is_not_selected(capsys, tmp_path):
    site = ROOMS.replace("ite_design_load: 15 kW", "ite_design_load: 20 kW")  # 1000 ft2 × 20 W/ft2
    result = run(capsys, tmp_path, "every room in facility.computer_rooms where room.power_density > 20 W/ft2: false", site)
    assert [r["selected"] for r in result["trace"][0]["steps"][0]["records"]] == [True, False, True]


def test_some_holds_by_one_record_and_fails_naming_the_records_checked(capsys, tmp_path):
    held = run(capsys, tmp_path, 'some room in facility.computer_rooms: room.cooling_system.economizer == "water"')
    assert held["verdict"] == "pass" and held["reason"] == "some room in facility.computer_rooms: holds for computer room cr-1"
    failed = run(capsys, tmp_path, "some room in facility.computer_rooms: room.ite_design_load > 5 MW")
    assert failed["verdict"] == "fail"
    assert failed["reason"].endswith(": holds for no computer room (checked: cr-1, cr-2, cr-3)")


def test_a_missing_field_makes_it_unknown_naming_the_record_and_field(capsys, tmp_path):
    site = ROOMS.replace("    floor_area: 1000 ft2\n", "")
    result = run(capsys, tmp_path, "every room in facility.computer_rooms where room.power_density > 20 W/ft2: "
                           "room.ite_design_load > 10 kW", site)
    # cr-2's density is unknown (no floor area) and its body holds: nothing is missing that matters
    assert result["verdict"] == "pass"
    result = run(capsys, tmp_path, "every room in facility.computer_rooms where room.power_density > 20 W/ft2: "
                           "room.ite_design_load > 20 kW", site)
    assert result["verdict"] == "unknown"
    assert result["missing"] == ["facility.computer_rooms[cr-2].power_density"]


def test_every_is_false_as_soon_as_one_record_is_known_to_fail_beside_unknown_ones(capsys, tmp_path):
    site = ROOMS.replace("    floor_area: 1000 ft2\n", "")
    result = run(capsys, tmp_path, "every room in facility.computer_rooms where room.power_density > 20 W/ft2: "
                           "room.ite_design_load > 100 kW", site)
    assert result["verdict"] == "fail" and "cr-3" in result["reason"] and "missing" not in result


def test_a_failing_record_quotes_its_failed_comparison_with_figures(capsys, tmp_path):
    result = run(capsys, tmp_path, "every room in facility.computer_rooms where room.power_density > 20 W/ft2: "
                                   "room.ite_design_load >= (100 kW when room.floor_area > 200 m2, 60 kW otherwise)")
    assert result["verdict"] == "fail"
    assert result["reason"].endswith("fails for computer room cr-3 (room.ite_design_load 50 kW is below the minimum "
                                     "60 kW; power_density = 5.38196 kW/m2 (500 W/ft2), ite_design_load = 50 kW, "
                                     "floor_area = 9.2903 m2)")


def test_a_fact_of_the_facility_read_inside_is_named_when_missing(capsys, tmp_path):
    site = ROOMS.replace("type: colocation\n", "")
    result = run(capsys, tmp_path, 'every room in facility.computer_rooms: room.ite_design_load > 20 kW or '
                           'facility.type == "colocation"', site)
    assert result["verdict"] == "unknown" and result["missing"] == ["facility.type"]


def test_an_absent_list_is_unknown_and_an_empty_one_has_no_records(capsys, tmp_path):
    bare = "id: a\nname: A\n"
    absent = run(capsys, tmp_path, "every room in facility.computer_rooms: room.floor_area > 0 m2", bare)
    assert absent["verdict"] == "unknown" and absent["missing"] == ["facility.computer_rooms"]
    empty = bare + "computer_rooms: []\n"
    assert run(capsys, tmp_path, "every room in facility.computer_rooms: room.floor_area > 0 m2", empty)["verdict"] == "pass"
    assert run(capsys, tmp_path, "some room in facility.computer_rooms: room.floor_area > 0 m2", empty)["verdict"] == "fail"


def test_kleene_answers_of_the_runtime():
    def outcome(selected, holds):
        return RecordOutcome("r", selected, holds, ())

    from dcpolicy.evaluator.quantify import _answer

    assert _answer(False, [outcome(True, True), outcome(U, True)]) is True
    assert _answer(False, [outcome(U, False)]) is U
    assert _answer(False, [outcome(U, False), outcome(True, False)]) is False
    assert _answer(False, [outcome(False, NOT_EVALUATED)]) is True
    assert _answer(True, [outcome(U, True)]) is U
    assert _answer(True, [outcome(U, True), outcome(True, True)]) is True
    assert _answer(True, [outcome(True, False), outcome(U, False)]) is False
    assert _answer(True, [outcome(True, U)]) is U
    assert str(Quantified("every", "facility.computer_rooms", U)) == "unknown (the list is missing)"


@pytest.mark.parametrize("body, code, words", [
    ("facility.computer_rooms == 1", "E306", "is a list of records: only `every` and `some` read it"),
    ("every a in facility.rooms: true", "E306", "facility.rooms is not a list of records"),
    ("every r in facility.computer_rooms: r.floor > 1 m2", "E306", 'a computer room has no field "floor"'),
    ("every r in facility.computer_rooms: r.cooling_system.eco == \"air\"", "E306", "no field \"cooling_system.eco\""),
    ("some x in facility.ups_units: x > 1", "E306", '"x" is a UPS, not a value'),
    ("every period in facility.ups_units: true", "E306", '"period" already names the period\'s facts'),
    ("every r in facility.ups_units: (some s in facility.computer_rooms: true)", "E306",
     "a quantifier inside another quantifier"),
    ("every r in facility.ups_units: r.efficiency", "E303", '"every" needs true/false'),
    ("every r in facility.ups_units where r.efficiency: true", "E303", '"where" needs true/false'),
    ("ln(facility.power.it_installed) > 1", "E302", '"ln" needs a plain number, but this is a power'),
    ('either(1 kW, 2 kWh) > 1 kW', "E302", 'arguments of "either" disagree'),
])
def test_misuse_is_a_located_error(body, code, words):
    source = HEADER + 'rule r "t"\n  cite "§1"\n  require ' + body + "\n"
    diagnostics = diagnostics_of(source)
    codes = [(d.code, d.message) for d in diagnostics if d.severity == "error"]
    assert any(c == code and words in m for c, m in codes), codes
    assert all(d.span.line == 4 for d in diagnostics if d.severity == "error")


def test_a_quantifier_in_an_operator_rule_reads_facility_facts_outside_an_aggregate():
    source = HEADER + 'rule r "t"\n  cite "§1"\n  for operator\n  require every r in facility.ups_units: true\n'
    assert [d.code for d in diagnostics_of(source)] == ["E206"]


def test_the_formatter_prints_and_breaks_a_quantifier_and_is_idempotent():
    source = HEADER + ('rule r "t"\n  cite "§1"\n  require known(facility.started) and (every room in '
                       'facility.computer_rooms where room.power_density > 20 W/ft2 and room.floor_area > 1 m2: '
                       'room.cooling_system.economizer in {"air", "water"} and room.cooling_system.integrated)\n')
    once = format_policy(parse(source, "t.policy"), source)
    assert ("          and (every room in facility.computer_rooms where room.power_density > 20 W/ft2\n"
            "                                                           and room.floor_area > 1 m2:\n"
            "                 room.cooling_system.economizer in {\"air\", \"water\"}\n") in once
    assert format_policy(parse(once, "t.policy"), once) == once
    assert parse(once, "t.policy") == parse(source, "t.policy")
    short = HEADER + 'rule r "t"\n  cite "§1"\n  require some u in facility.ups_units: u.modular\n'
    assert "require some u in facility.ups_units: u.modular\n" in format_policy(parse(short, "t.policy"), short)


# ---------------------------------------------------------------- ln, either, the ton of refrigeration
def test_ln_is_the_natural_logarithm_and_unknown_where_there_is_none():
    assert runtime.ln(math.e) == pytest.approx(1.0)
    assert runtime.ln(20_000.0) == pytest.approx(9.903487552536127)
    assert runtime.ln(0.0) is U and runtime.ln(-1.0) is U and runtime.ln(U) is U


def test_ln_of_zero_is_unknown_with_a_reason_not_an_error(capsys, tmp_path):
    site = "id: a\nname: A\nups_units:\n  - id: u\n    rated_output_power: 0 W\n"
    result = run(capsys, tmp_path, "every u in facility.ups_units: 0.0058 * ln(u.rated_output_power / 1 W) + 0.886 <= 1",
                 site)
    assert result["verdict"] == "unknown"
    assert result["missing"][0].startswith("facility.ups_units[u] (its test has no value")
    result = run(capsys, tmp_path, "ln(facility.racks.installed) > 1", "id: a\nname: A\nracks: {installed: 0}\n")
    assert result["verdict"] == "unknown"
    assert result["missing"] == ["ln(facility.racks.installed) (the logarithm of a number that is not above 0)"]


def test_either_decides_only_where_both_figures_agree():
    five_tons = 5 * units.parse_unit("TR").factor
    limit = runtime.either(five_tons, 18.0)
    assert limit == Bounds(five_tons, 18.0) and runtime.either(3.0, 3.0) == 3.0
    assert runtime.lt(17.0, limit) is True  # under 5 tons and under 18 kW
    assert runtime.lt(17.8, limit) is U  # under 18 kW, not under 5 tons
    assert runtime.lt(18.0, limit) is False
    assert runtime.lt(five_tons, limit) is U


def test_either_gives_unknown_with_its_reason(capsys, tmp_path):
    site = "id: a\nname: A\npower: {it_installed: 17.8 kW}\n"
    result = run(capsys, tmp_path, "facility.power.it_installed < either(5 TR, 18 kW)", site)
    assert result["verdict"] == "unknown"
    assert result["missing"] == ["either(5 TR, 18 kW) (the law states two figures that do not agree here)"]


def test_a_ton_of_refrigeration_is_12000_btu_per_hour():
    assert units.parse_unit("TR").factor == pytest.approx(3.51685, abs=1e-5)
    assert 20 * units.parse_unit("TR").factor == pytest.approx(70.337, abs=1e-3)
    assert 50 * units.parse_unit("TR").factor == pytest.approx(175.843, abs=1e-3)

