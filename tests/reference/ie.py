"""Reference for Ireland: CRU decision CRU/2025/236, Large Energy Users connection policy (section 6.2).

From the decision as /work/shared/regimes/ie.md quotes it and docs/regimes/ie.md "Interpretations":
- Who: data centres applying for a new connection, or to increase their MIC, whose application is
  not "received prior to the publication of the Decision" (12 Dec 2025, I-1).
- Large DC: MIC of the whole project when stated (anti-splitting, I-3) "≥ 10 MVA" (D2's reading of the
  boundary, I-2).
- Large DCs: dispatchable on-site or proximate generation/storage, in the SEM, separately metered,
  de-rated capacity matching the MIC in real power (MIC × declared power factor, I-4); from the
  publication.
- Large DCs: at least 80 % of annual demand (energy.total of the year, I-7) from additional renewable
  electricity generated in Ireland, after a "six-year glide path" from the energisation of the
  connection applied for (I-6).
- Size categories: below 1 MVA, exactly 1 MVA, between, exactly 10 MVA, above 10 MVA.
Calendar years.
"""

from __future__ import annotations

import datetime

from .common import AND, OR, Edges, Q, U, band, cmp, div, first_known, flag, get, judged_period, plus_years, rule, years

RULES = ("category", "dispatchable_capacity", "renewable_80")
PUBLISHED = datetime.date(2025, 12, 12)
INF = float("inf")
CATEGORIES = [("de minimis (below 1 MVA)", -INF, False, 1000, False),
              ("exactly 1 MVA (boundary reported both ways)", 1000, True, 1000, True),
              ("1 MVA to 10 MVA", 1000, False, 10000, False),
              ("exactly 10 MVA (boundary reported both ways)", 10000, True, 10000, True),
              ("above 10 MVA (large)", 10000, False, INF, False)]


def expected(facility: dict, as_of: datetime.date, members=()) -> dict:
    application = get(facility, "grid.application")
    mic, previous = get(facility, "grid.mic"), get(facility, "grid.previous_mic")
    scope = AND(U if application is U else application in ("new_connection", "mic_increase"),
                cmp(get(facility, "grid.application_date"), ">=", PUBLISHED),
                OR(U if application is U else application == "new_connection", cmp(mic, ">", previous)))
    found = judged_period(facility, as_of)
    figures, end = (found[2], found[1]) if found else ({}, None)
    assessed = first_known(get(facility, "grid.project_mic"), mic)
    large = cmp(assessed, ">=", 10000.0)
    factor = get(facility, "grid.power_factor")
    real_power = U if assessed is U or factor is U else assessed * factor
    share = div(get(figures, "energy.renewable_additional_domestic"), get(figures, "energy.total"))
    at = dict(scope=scope, as_of=as_of, period_end=end)
    return {
        "category": band(assessed, CATEGORIES, in_force=PUBLISHED, reads_period=False, **at),
        "dispatchable_capacity": rule(**at, applies=large, in_force=PUBLISHED, reads_period=False,
                                      require=lambda: AND(cmp(get(facility, "dispatchable.capacity_derated"), ">=",
                                                              real_power),
                                                          flag(facility, "dispatchable.proximate"),
                                                          flag(facility, "dispatchable.sem"),
                                                          flag(facility, "dispatchable.separately_metered"))),
        "renewable_80": rule(**at, applies=large, in_force=plus_years(get(facility, "grid.connection_date"), 6),
                             require=lambda: cmp(share, ">=", 0.8)),
    }


def generate(rng) -> tuple[dict, datetime.date]:
    edges = Edges(rng)
    connection = edges.pick(edges.day_around(datetime.date(2026, 6, 1), 500), datetime.date(2028, 2, 29))
    as_of = edges.pick(edges.day_around(PUBLISHED, 200), edges.day_around(plus_years(connection, 6), 400),
                       datetime.date(rng.randint(2025, 2036), rng.randint(1, 12), rng.randint(1, 28)))
    periods = []
    for year in years(edges, as_of):
        total = edges.pick(1_000_000.0, 10_000_000.0, round(rng.uniform(1, 1e8), 1))
        additional = min(total, edges.pick(0.8 * total, 0.8 * total - 1, 0.8 * total + 1, rng.uniform(0, total)))
        additional = round(additional, 3)
        periods.append({"period": year, "energy": {
            "total": edges.maybe(Q(total, f"{total} kWh"), 0.05),
            "renewable_additional_domestic": edges.maybe(Q(additional, f"{additional} kWh"), 0.15)}})
    mic = edges.pick(1000.0, 999.0, 10000.0, 9999.0, 10001.0, round(rng.uniform(0, 50000), 1))
    application = edges.pick("new_connection", "mic_increase", "mic_increase", "none")
    factor = edges.pick(0.9, 0.95, 1.0, 0.85)
    assessed_guess = mic * factor
    facility = {
        "grid": {"application": edges.maybe(application, 0.05),
                 "application_date": edges.maybe(edges.day_around(PUBLISHED, 100), 0.05),
                 "connection_date": edges.maybe(connection, 0.1),
                 "mic": edges.maybe(Q(mic, edges.pick(f"{mic} kVA", f"{mic / 1000} MVA")), 0.05),
                 "previous_mic": edges.maybe(Q(min(mic, 8000.0), f"{min(mic, 8000.0)} kVA"), 0.3)
                 if application == "mic_increase" else None,
                 "project_mic": edges.maybe(Q(10000.0, "10 MVA"), 0.85),
                 "power_factor": edges.maybe(factor, 0.15)},
        "dispatchable": {"capacity_derated": edges.maybe(Q(round(edges.pick(assessed_guess, assessed_guess - 1,
                                                                           rng.uniform(0, 50000)), 3), "?"), 0.15),
                         "proximate": edges.maybe(edges.chance(0.8), 0.2),
                         "sem": edges.maybe(edges.chance(0.8), 0.2),
                         "separately_metered": edges.maybe(edges.chance(0.8), 0.2)},
        "periods": periods,
    }
    if facility["grid"]["previous_mic"] is None:
        del facility["grid"]["previous_mic"]
    capacity = facility["dispatchable"]["capacity_derated"]
    if isinstance(capacity, Q):
        facility["dispatchable"]["capacity_derated"] = Q(max(capacity.value, 0.0), f"{max(capacity.value, 0.0)} kW")
    return facility, as_of
