"""Records inside a facility: the lists of computer rooms, cooling systems and UPS units, and their fields.

A facility may hold lists of records (issue 13, California's Title 24 judges each computer room, each
cooling system and each UPS on its own). Each list has a table of fields like the facility's own
(dsl/schema.py ``FactType``); the checker types ``room.floor_area`` from it, the facility loader
(evaluator/records.py) validates the YAML with it, and docs/facility.md ("Records") documents it.
A field may refer to a record of another list by its id (``cooling_system``): the policy reads
through it, ``room.cooling_system.economizer``. A field may be derived from others when the file
leaves it out (``power_density`` = ``ite_design_load / floor_area``). In a record, every field the file
leaves out is unknown, flags included: a design fact nobody stated is not "false".
"""

from __future__ import annotations

import attrs

from .data import frozen
from . import units
from .schema import FactType


@frozen
class RecordList:
    """One list of records a facility may hold, e.g. ``computer_rooms``."""

    name: str  # the facility key: computer_rooms
    singular: str  # how one record is named in messages: computer room
    meaning: str
    fields: dict[str, FactType]  # by field name; `id` (a slug, required) included
    refers: dict[str, str] = attrs.Factory(dict)  # field -> the list whose record it names by id
    # field -> (numerator, denominator): derived as their ratio when the file leaves the field out
    derived: dict[str, tuple[str, str]] = attrs.Factory(dict)


def _q(dimension: units.Dimension, meaning: str) -> FactType:
    return FactType("quantity", dimension, meaning=meaning, added=True)


def _k(kind: str, meaning: str, **kw) -> FactType:
    return FactType(kind, meaning=meaning, added=True, **kw)


def _e(meaning: str, *values: str) -> FactType:
    return FactType("enum", values=values, meaning=meaning, added=True)


_ID = _k("slug", "the record's id, unique within its list (named in reasons and traces)")
_NAME = _k("text", "a name for people")

RECORD_LISTS: dict[str, RecordList] = {r.name: r for r in (
    RecordList(
        "computer_rooms", "computer room", "US-CA Title 24 §140.9(a): each computer room with its design figures",
        {
            "id": _ID,
            "name": _NAME,
            "floor_area": _q(units.AREA, "floor area of the computer room"),
            "ite_design_load": _q(units.POWER, "ITE (IT equipment) design load of the room"),
            "power_density": _q(units.POWER_DENSITY, "power density; derived as ite_design_load / floor_area "
                                                     "when left out (us-ca interpretation I-1)"),
            "status": _e("new: the room is built by the project; existing: it was there before (§141.1(b)1 "
                         "exceptions 2 and 3)", "new", "existing"),
            "cooling_system": _k("slug", "id of the entry of cooling_systems that primarily serves the room"),
            "shared_economizer": _k("flag", "also served by a fan system with an economizer that serves other "
                                            "spaces of the building (§140.9(a)1 exception 2)"),
            "shared_economizer_sized": _k("flag", "that economizer system meets the room's design cooling load with "
                                                  "the other spaces at 50 % of theirs, at OAT ≤ 65 °F db or ≤ 50 °F wb "
                                                  "(exception 2 i)"),
            "shared_economizer_isolates": _k("flag", "that economizer system can serve the computer rooms alone, "
                                                     "e.g. shut off flow to the other spaces (exception 2 ii)"),
            "new_cooling_system": _k("flag", "alterations: the room is served by a new cooling system of the project "
                                             "(§141.1(b)1)"),
        },
        refers={"cooling_system": "cooling_systems"},
        derived={"power_density": ("ite_design_load", "floor_area")},
    ),
    RecordList(
        "cooling_systems", "cooling system", "US-CA Title 24 §140.9(a)1: each cooling system with its economizer",
        {
            "id": _ID,
            "name": _NAME,
            "economizer": _e("the system's integrated economizer", "air", "water", "none"),
            "integrated": _k("flag", "the economizer is integrated: it provides partial cooling even when "
                                     "additional mechanical cooling is required"),
            "full_load_oat_db": _q(units.TEMPERATURE, "highest outside-air dry-bulb temperature at which the "
                                                      "economizer alone carries 100 % of the expected system cooling "
                                                      "load"),
            "full_load_oat_wb": _q(units.TEMPERATURE, "the same, as a wet-bulb temperature"),
            "supply_air_temperature": _q(units.TEMPERATURE, "supply-air temperature at which that 100 % is provided"),
            "fault_detection": _k("flag", "air economizer: fault detection and diagnostics per Title 24 §120.2(i)"),
        },
    ),
    RecordList(
        "ups_units", "UPS", "US-CA Title 24 §140.9(a)4: each uninterruptible power supply",
        {
            "id": _ID,
            "name": _NAME,
            "dependency_class": _e("input dependency class (IEC 62040-3): VFD voltage and frequency dependent, VI "
                                   "voltage independent, VFI voltage and frequency independent", "VFD", "VI", "VFI"),
            "rated_output_power": _q(units.POWER, "rated output power (the table's P, in watts)"),
            "efficiency": _k("ratio", "the UPS's efficiency as the table compares it (us-ca interpretation I-5)"),
            "modular": _k("flag", "a modular UPS (the table's E_MOD allowance of 0.004 from 1,500 to 10,000 W)"),
            "ac_output": _k("flag", "alternating-current output"),
            "nema_plug": _k("flag", "uses a standardized NEMA 1-15P or NEMA 5-15P input plug (ANSI/NEMA WD-6-2016)"),
        },
    ),
)}


def record_list(name: str) -> RecordList | None:
    return RECORD_LISTS.get(name)


def field_type(lst: RecordList, path: str) -> FactType | None:
    """The type of ``floor_area`` or, through a reference, ``cooling_system.economizer``; None if no such field."""
    head, _, rest = path.partition(".")
    if not rest:
        return lst.fields.get(head)
    target = lst.refers.get(head)
    return field_type(RECORD_LISTS[target], rest) if target is not None and "." not in rest else None


def field_paths(lst: RecordList) -> list[str]:
    """Every field a policy may read of one record, references followed (for suggestions and completion)."""
    paths = list(lst.fields)
    for field, target in lst.refers.items():
        paths += [f"{field}.{name}" for name in RECORD_LISTS[target].fields]
    return paths
