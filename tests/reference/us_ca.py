"""Reference for California: Title 24 Part 6, §140.9(a) computer rooms and §141.1(b)1 (2025) alterations.

From the code text as the digest quotes it (/work/shared/regimes/us-ca.md §2, §3.1, §3.4, §3.6) and
docs/regimes/us-ca.md "Interpretations" (I-1 … I-10), not from the policy:
- Scope §140.9(a): "Computer rooms with a power density greater than 20 W/ft2 shall comply" — exactly
  20 W/ft2 is out; a room's density is as stated, else ITE design load ÷ floor area (I-1). The edition
  is chosen by the permit application date: on or after 2023-01-01 the 2022 code, on or after
  2026-01-01 the 2025 code; earlier applications (2019 code) are not encoded (us-ca.md §1).
- §140.9(a)1 (new construction and additions, I-3): each cooling system primarily serving a dense room
  includes "A. An integrated air economizer … 100 percent of the expected system cooling load at 65°F to
  80.6°F supply air temperature at outside air temperatures of 65°F dry-bulb and below or 50°F wet-bulb
  and below, and … fault detection and diagnostic system" or "B. An integrated water economizer … 50°F
  dry-bulb and below or 45°F wet-bulb and below" (I-5: either temperature suffices, supply air within
  65–80.6 °F ends included). Exception 1: "ITE design load under 5 tons (18 kW) in a building that does
  not have any economizers"; Exception 2: "less than 20 tons (70 kW)" with a shared economizer meeting
  i and ii. Each "N tons (M kW)" is read with both figures, unknown between them (I-2).
- §141.1(b)1 (2025; alterations applied for on or after 2026-01-01): the same test for rooms served by
  a new cooling system (I-6), Exception 1 as above, Exception 2 an existing room "up to a total of 50
  tons (176 kW)", Exception 3 a new room "up to a total of 20 tons (70 kW)", per room (I-7).
- §140.9(a)4: each UPS (I-8) not "Alternating current-output UPS that utilizes standardized NEMA 1-15P or
  NEMA 5-15P input plug" reaches the table's minimum for its class and P in watts, "rounded to the
  third decimal place" (half up, I-9), E_MOD 0.004 for a modular UPS in the 1,500–10,000 W row.
In a record a flag left out is unknown (docs/facility.md, "Records"); a quantifier is Kleene logic over
its records: `every` is the conjunction of "where → body", `some` the disjunction of "where and body".
"""

from __future__ import annotations

import datetime
import math
from decimal import ROUND_HALF_UP, Decimal

from .common import AND, MISSING, NOT, OR, Edges, Q, U, cmp, get, rule

RULES = ("economizer", "economizer_alteration", "ups_efficiency")
CODE_2022 = datetime.date(2023, 1, 1)
CODE_2025 = datetime.date(2026, 1, 1)
KW_PER_TON = 12_000 * 1055.05585262 / 3600 / 1000  # 12,000 Btu/h (the ton of refrigeration) in kW
E_MOD = 0.004


# ---------------------------------------------------------------- the law's tests, plainly
def eq(value, text):
    return U if value is U else value == text


def below_both(load, tons, kw, inclusive=False):
    """"under N tons (M kW)" (or "up to", inclusive): true below both figures, false at or above
    (beyond) both, unknown between them (I-2)."""
    op = "<=" if inclusive else "<"
    a, b = cmp(load, op, tons * KW_PER_TON), cmp(load, op, float(kw))
    if a is U or b is U:
        return U
    return True if a and b else False if not a and not b else U


def density(room):
    """W/ft2: as stated, else ITE design load ÷ floor area (I-1)."""
    stated = get(room, "power_density")
    if stated is not U:
        return stated
    load, area = get(room, "ite_design_load"), get(room, "floor_area")
    return U if load is U or area is U or area == 0 else load * 1000 / area


def economizer_ok(system):
    """§140.9(a)1 A or B for the cooling system primarily serving the room (temperatures in °F)."""
    kind = get(system, "economizer") if system is not None else U
    integrated = get(system, "integrated") if system is not None else U
    db, wb, supply = (get(system, k) if system is not None else U for k in ("full_load_oat_db", "full_load_oat_wb", "supply_air_temperature"))
    supply_ok = AND(cmp(supply, ">=", 65.0), cmp(supply, "<=", 80.6))
    air = AND(eq(kind, "air"), integrated, OR(cmp(db, ">=", 65.0), cmp(wb, ">=", 50.0)), supply_ok,
              get(system, "fault_detection") if system is not None else U)
    water = AND(eq(kind, "water"), integrated, OR(cmp(db, ">=", 50.0), cmp(wb, ">=", 45.0)), supply_ok)
    return OR(air, water)


def every(records, where, body):
    """`every … where …: …` (language.md): unknown list → unknown."""
    if records is U:
        return U
    return AND(*[OR(NOT(where(r)), body(r)) for r in records])


def some(records, where, body):
    if records is U:
        return U
    return OR(*[AND(where(r), body(r)) for r in records])


def half_up(value, places=3):
    """"rounded to the third decimal place": halves away from zero on the decimal value."""
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def ups_minimum(ups):
    """The §140.9(a)4 table (I-10) for the UPS's class and rated output power P in W."""
    klass, p, modular = get(ups, "dependency_class"), get(ups, "rated_output_power"), get(ups, "modular")
    if klass is U or p is U:
        return U
    emod = U if modular is U else (E_MOD if modular else 0.0)
    ln = (lambda: U if p <= 0 else math.log(p))
    if klass in ("VFD", "VI"):
        if cmp(p, "<=", 350.0):
            return half_up(5.71e-5 * p + (0.962 if klass == "VFD" else 0.964))
        if cmp(p, "<=", 1500.0):
            return 0.982 if klass == "VFD" else 0.984
        if cmp(p, "<=", 10000.0):
            return U if emod is U else (0.981 if klass == "VFD" else 0.980) - emod
        return 0.970 if klass == "VFD" else 0.940
    if ln() is U:
        return U
    if cmp(p, "<=", 1500.0):
        return half_up(0.011 * ln() + 0.824)
    if cmp(p, "<=", 10000.0):
        return U if emod is U else half_up(0.0145 * ln() + 0.800) - emod
    return half_up(0.0058 * ln() + 0.886)


def expected(facility: dict, as_of: datetime.date, members=()) -> dict:
    permit = get(facility, "permit.application_date")
    kind = get(facility, "permit.kind")
    no_economizers = eq(get(facility, "building.economizers"), "none")
    rooms = facility.get("computer_rooms", U)
    systems = {s["id"]: s for s in facility.get("cooling_systems", [])}
    upses = facility.get("ups_units", U)
    dense = (lambda room: cmp(density(room), ">", 20.0))
    scope = AND(cmp(permit, ">=", CODE_2022), some(rooms, lambda r: True, dense))
    new_work = U if kind is U else kind in ("new_construction", "addition")

    def system_of(room):
        return systems.get(room["cooling_system"]) if "cooling_system" in room else None

    def small_in_plain_building(room):  # Exception 1 (both sections)
        return AND(below_both(get(room, "ite_design_load"), 5, 18), no_economizers)

    def judged_new(room):
        shared = AND(below_both(get(room, "ite_design_load"), 20, 70), get(room, "shared_economizer"),
                     get(room, "shared_economizer_sized"), get(room, "shared_economizer_isolates"))
        return AND(dense(room), NOT(small_in_plain_building(room)), NOT(shared))

    def judged_altered(room):
        load = get(room, "ite_design_load")
        existing = AND(eq(get(room, "status"), "existing"), below_both(load, 50, 176, inclusive=True))
        new = AND(eq(get(room, "status"), "new"), below_both(load, 20, 70, inclusive=True))
        return AND(dense(room), get(room, "new_cooling_system"), NOT(small_in_plain_building(room)),
                   NOT(existing), NOT(new))

    def served(room):
        return economizer_ok(system_of(room))

    not_plug = (lambda u: NOT(AND(get(u, "ac_output"), get(u, "nema_plug"))))
    return {
        "economizer": rule(scope=scope, applies=new_work, in_force=CODE_2022, as_of=as_of,
                           require=lambda: every(rooms, judged_new, served)),
        "economizer_alteration": rule(
            scope=scope, applies=AND(eq(kind, "alteration"), cmp(permit, ">=", CODE_2025)), in_force=CODE_2025,
            as_of=as_of, require=lambda: every(rooms, judged_altered, served)),
        "ups_efficiency": rule(
            scope=scope, applies=AND(new_work, some(upses, lambda u: True, not_plug)), in_force=CODE_2022,
            as_of=as_of, require=lambda: every(upses, not_plug, lambda u: cmp(get(u, "efficiency"), ">=", ups_minimum(u)))),
    }


# ---------------------------------------------------------------- generating facilities at the edges
PERMIT_DAYS = (datetime.date(2022, 12, 31), CODE_2022, datetime.date(2025, 12, 31), CODE_2025)


def generate(rng) -> tuple[dict, datetime.date]:
    edges = Edges(rng)
    permit = edges.pick(*PERMIT_DAYS, edges.day_around(edges.pick(CODE_2022, CODE_2025), 700))
    as_of = edges.pick(permit, permit + datetime.timedelta(days=rng.randint(0, 900)),
                       edges.day_around(edges.pick(CODE_2022, CODE_2025), 30))
    systems = [_cooling_system(edges, f"cs-{n}") for n in range(rng.choice((1, 1, 2, 3)))]
    facility = {
        "location": {"country": "US", "subdivision": "US-CA"},
        "permit": {"application_date": edges.maybe(permit, 0.05),
                   "kind": edges.maybe(edges.pick("new_construction", "addition", "alteration"), 0.05)},
        "building": {"economizers": edges.maybe(edges.pick("present", "none"), 0.1)},
        "computer_rooms": edges.maybe([_room(edges, f"cr-{n}", systems) for n in range(rng.choice((0, 1, 1, 2, 3)))], 0.04),
        "cooling_systems": systems,
        "ups_units": edges.maybe([_ups(edges, f"ups-{n}") for n in range(rng.choice((0, 1, 1, 2)))], 0.04),
    }
    return facility, as_of


def _room(edges: Edges, ident: str, systems: list) -> dict:
    rng = edges.rng
    load_kw, load_text = _load(edges)
    area = edges.pick(500.0, 1000.0, 2000.0, 4306.0, 250.0)
    room = {"id": ident, "floor_area": Q(area, f"{area} ft2"), "ite_design_load": Q(load_kw, load_text)}
    roll = rng.random()
    if roll < 0.35:  # exactly 20 W/ft2, or a hair either side, through the derivation
        watts = area * edges.pick(20.0, 20.0, 19.99, 20.01, 21.0, 19.0)
        room["ite_design_load"] = Q(watts / 1000, f"{watts} W")
    elif roll < 0.5:  # stated, often exactly at the line
        stated = edges.pick(20.0, 20.001, 19.999, 50.0, 10.0)
        room["power_density"] = Q(stated, f"{stated} W/ft2")
    if edges.chance(0.06):
        room["floor_area"] = MISSING
    if edges.chance(0.06):
        room["ite_design_load"] = MISSING
    for name, p in (("status", 0.15), ("new_cooling_system", 0.15)):
        value = edges.pick("new", "existing") if name == "status" else edges.chance(0.7)
        room[name] = edges.maybe(value, p)
    for name in ("shared_economizer", "shared_economizer_sized", "shared_economizer_isolates"):
        room[name] = edges.maybe(edges.chance(0.7), 0.3)
    if systems and not edges.chance(0.05):
        room["cooling_system"] = edges.pick(*[s["id"] for s in systems])
    return room


def _load(edges: Edges) -> tuple[float, str]:
    """An ITE design load (kW) at the Exceptions' figures: 5 / 20 / 50 tons against 18 / 70 / 176 kW."""
    tons = edges.pick(5, 20, 50)
    kw = {5: 18, 20: 70, 50: 176}[tons]
    choice = edges.rng.random()
    if choice < 0.25:
        return tons * KW_PER_TON, f"{tons} TR"
    if choice < 0.5:
        value = float(kw + edges.pick(-1, 0, 0, 1))
        return value, f"{value} kW"
    if choice < 0.65:
        value = round(tons * KW_PER_TON, 2)  # 17.58, 70.34, 175.84 kW
        return value, f"{value} kW"
    value = round(edges.rng.uniform(5, 400), 1)
    return value, f"{int(value * 1000)} W" if edges.chance(0.3) and value * 1000 == int(value * 1000) else f"{value} kW"


def _temperature(edges: Edges, *limits: float):
    """°F, at one of the limits or a tenth either side; 50 °F and 80.6 °F also written as °C (10, 27)."""
    value = edges.pick(*limits)
    value = round(value + edges.pick(0.0, 0.0, -0.1, 0.1, -5.0, 5.0), 1)
    celsius = {50.0: "10 degC", 80.6: "27 degC"}.get(value)
    if celsius and edges.chance(0.5):
        return Q(value, celsius)
    return Q(value, f"{value} degF")


def _cooling_system(edges: Edges, ident: str) -> dict:
    return {"id": ident,
            "economizer": edges.maybe(edges.pick("air", "water", "air", "water", "none"), 0.05),
            "integrated": edges.maybe(edges.chance(0.85), 0.1),
            "full_load_oat_db": edges.maybe(_temperature(edges, 65.0, 50.0, 55.0), 0.2),
            "full_load_oat_wb": edges.maybe(_temperature(edges, 50.0, 45.0, 40.0), 0.3),
            "supply_air_temperature": edges.maybe(_temperature(edges, 65.0, 80.6, 75.0), 0.1),
            "fault_detection": edges.maybe(edges.chance(0.8), 0.15)}


UPS_POWERS = (0, 300, 350, 351, 1000, 1500, 1501, 5000, 10000, 10001, 20000, 250000)


def _ups(edges: Edges, ident: str) -> dict:
    rng = edges.rng
    watts = edges.pick(*UPS_POWERS)
    ups = {"id": ident, "dependency_class": edges.maybe(edges.pick("VFD", "VI", "VFI"), 0.05),
           "rated_output_power": edges.maybe(Q(float(watts), f"{watts} W" if watts % 1000 else f"{watts // 1000} kW"),
                                               0.05),
           "modular": edges.maybe(edges.chance(0.5), 0.1),
           "ac_output": edges.maybe(edges.chance(0.6), 0.1), "nema_plug": edges.maybe(edges.chance(0.3), 0.1)}
    limit = ups_minimum({k: v for k, v in ups.items() if v is not MISSING})
    if limit is U or rng.random() < 0.15:
        efficiency = round(rng.uniform(0.90, 0.99), 4)
    else:
        efficiency = round(limit + edges.pick(0.0, 0.0, -0.001, 0.001, -0.0004, 0.0004), 4)
    ups["efficiency"] = edges.maybe(efficiency, 0.05)
    return ups
