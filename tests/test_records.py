"""Records inside a facility (issue 13): computer rooms, cooling systems and UPS units, read and validated."""

from __future__ import annotations

import pickle

import pytest

from dcpolicy.dsl.records import RECORD_LISTS, field_paths, field_type
from dcpolicy.evaluator.facts import from_plain, to_plain

from test_facility_loading import MINIMAL, load_one, only_error, where, write, errors

ROOMS = MINIMAL + """\
computer_rooms:
  - id: cr-1
    name: Hall 1
    floor_area: 4306 ft2
    ite_design_load: 1 MW
    status: new
    cooling_system: chw-1
  - id: cr-2
    floor_area: 100 m2
    ite_design_load: 21.5 kW
    power_density: 19 W/ft2
cooling_systems:
  - id: chw-1
    economizer: water
    integrated: true
    full_load_oat_db: 50 degF
    supply_air_temperature: 75 °F
ups_units:
  - id: ups-a
    dependency_class: VFI
    rated_output_power: 20 kW
    efficiency: 0.95
"""


def test_records_are_read_in_canonical_units_with_positions(tmp_path):
    facility = load_one(tmp_path, ROOMS)
    rooms = facility.facts["computer_rooms"].value
    assert [r.id for r in rooms] == ["cr-1", "cr-2"]
    first = rooms[0]
    assert first.facts["floor_area"].value == pytest.approx(4306 * 0.09290304)
    assert first.facts["ite_design_load"].value == 1000.0
    assert first.facts["floor_area"].span.line == 6 and first.facts["floor_area"].span.column == 17
    ups = facility.facts["ups_units"].value[0]
    assert ups.facts["rated_output_power"].value == 20.0 and ups.facts["dependency_class"].value == "VFI"
    assert facility.facts["computer_rooms"].written == "2 computer rooms"


def test_a_reference_brings_the_referenced_records_fields(tmp_path):
    room = load_one(tmp_path, ROOMS).facts["computer_rooms"].value[0]
    assert room.values["cooling_system"] == "chw-1"
    assert room.values["cooling_system.economizer"] == "water"
    assert room.values["cooling_system.full_load_oat_db"] == pytest.approx(10.0)
    assert room.facts["cooling_system.economizer"].span.line == 16  # where the cooling system says it


def test_power_density_is_derived_when_left_out_and_kept_when_written(tmp_path):
    first, second = load_one(tmp_path, ROOMS).facts["computer_rooms"].value
    derived = first.facts["power_density"]
    assert derived.derived == "ite_design_load / floor_area" and derived.span is None
    assert derived.value * 0.09290304 * 1000 == pytest.approx(1000_000 / 4306)  # 232.2 W/ft2
    assert second.facts["power_density"].value == pytest.approx(19 / 1000 / 0.09290304)


def test_in_a_record_an_absent_flag_is_unknown_not_false(tmp_path):
    system = load_one(tmp_path, ROOMS).facts["cooling_systems"].value[0]
    assert "fault_detection" not in system.values and system.values["integrated"] is True


def test_records_survive_the_plain_form_of_worker_processes(tmp_path):
    facility = load_one(tmp_path, ROOMS)
    again = from_plain(pickle.loads(pickle.dumps(to_plain(facility))), {})
    assert [r.values for r in again.facts["computer_rooms"].value] == [
        r.values for r in facility.facts["computer_rooms"].value]


@pytest.mark.parametrize("text, code, line, column, words", [
    ("computer_rooms:\n  - id: a\n    floor_area: 100\n", "F201", 5, 17, "computer_rooms[a].floor_area"),
    ("computer_rooms:\n  - id: a\n    floor: 100 m2\n", "F106", 5, 5, 'unknown key "floor" in computer_rooms[a]'),
    ("computer_rooms:\n  - name: no id\n", "F107", 4, 5, "computer_rooms[1] has no `id`"),
    ("computer_rooms:\n  - id: A 1\n", "F205", 4, 9, "not a valid identifier"),
    ("computer_rooms: {id: a}\n", "F205", 3, 17, "must be a list of computer room entries"),
    ("computer_rooms:\n  - cr-1\n", "F205", 4, 5, "must be a mapping of a computer room's fields"),
    ("ups_units:\n  - id: u\n    dependency_class: VF\n", "F205", 5, 23, "not one of its values"),
    ("ups_units:\n  - id: u\n    efficiency: 95\n", "F209", 5, 17, "outside [0, 1]"),
    ("cooling_systems:\n  - id: c\n    integrated: null\n", "F205", 5, 17, "has no value"),
    ("computer_rooms:\n  - id: a\n  - id: a\n", "F210", 5, 9, 'computer room id "a" is used twice'),
    ("computer_rooms:\n  - id: a\n    cooling_system: c9\ncooling_systems:\n  - id: c1\n", "F210", 5, 21,
     'names "c9", which is not an id of cooling_systems'),
    ("computer_rooms:\n  - id: a\n    cooling_system: c9\n", "F210", 5, 21, "the facility has no `cooling_systems`"),
])
def test_each_record_error_is_located_and_worded(tmp_path, text, code, line, column, words):
    path, d = only_error(tmp_path, MINIMAL + text)
    assert d.code == code and where(d) == (path, line, column), d.headline()
    assert words in d.headline()


def test_an_empty_list_is_a_facility_with_no_such_records(tmp_path):
    assert load_one(tmp_path, MINIMAL + "computer_rooms: []\n").facts["computer_rooms"].value == ()


def test_every_error_of_every_record_is_reported(tmp_path):
    path = write(tmp_path, "site.yaml", MINIMAL + "computer_rooms:\n  - id: a\n    floor_area: 1\n"
                                                  "  - id: b\n    ite_design_load: 2\n")
    assert [d.code for d in errors([path])] == ["F201", "F201"]


def test_field_types_follow_references():
    rooms = RECORD_LISTS["computer_rooms"]
    assert field_type(rooms, "cooling_system.economizer").values == ("air", "water", "none")
    assert field_type(rooms, "cooling_system.nothing") is None and field_type(rooms, "floor_area.x") is None
    assert "cooling_system.full_load_oat_wb" in field_paths(rooms)


def test_the_californian_permit_facts_are_read_and_checked(tmp_path):
    facility = load_one(tmp_path, MINIMAL + "permit: {application_date: 2026-01-01, kind: alteration}\n"
                                            "building: {economizers: none}\n")
    assert str(facility.facts["permit.application_date"].value) == "2026-01-01"
    assert facility.facts["permit.kind"].value == "alteration"
    assert facility.facts["building.economizers"].value == "none"
    path, d = only_error(tmp_path, MINIMAL + "permit: {kind: remodel}\n")
    assert d.code == "F205" and "new_construction, addition, alteration" in d.hint
    path, d = only_error(tmp_path, MINIMAL + "permit: {application_date: 2026-02-30}\n")
    assert d.code == "F204" and where(d) == (path, 3, 28)


def test_two_loads_of_the_same_records_are_equal(tmp_path):
    assert load_one(tmp_path, ROOMS) == load_one(tmp_path, ROOMS)
