"""Reference for Singapore: DC-CFA (2022 pilot) and DC-CFA2 (2025) allocation conditions, the Green Data
Centre Roadmap (2024) and the BCA-IMDA Green Mark for Data Centres 2024.

From the texts as /work/shared/regimes/sg.md quotes them and docs/regimes/sg.md "Interpretations":
- DC-CFA2 allocatees: "PUE of 1.25 or better at 100% IT load" (1.25 passes); "at least 50% powered by
  eligible green pathways" (energy share of the calendar year, I-3); bound from the award (I-1).
- Pilot DC-CFA allocatees: "PUE of 1.3 and below", read at 100 % IT load (I-2); from the award.
- Roadmap: all DCs "PUE of 1.3 or lower at 100% IT load" and WUE at most 2.0 m³/MWh (water input / IT
  energy of the year) "in the next 10 years" from 30 May 2024 — from 30 May 2034 (I-5).
- Green Mark DC 2024 (from 1 Mar 2025): PUE at 25 % IT load against the Platinum (≤ 1.39) and GoldPLUS
  (≤ 1.46) maxima.
Calendar years.
"""

from __future__ import annotations

import datetime

from .common import Edges, Q, U, band, cmp, div, get, judged_period, rule, years

RULES = ("dccfa2_pue", "dccfa2_green_energy", "dccfa_pilot_pue", "roadmap_pue", "roadmap_wue", "green_mark_pue_band")
HORIZON = datetime.date(2034, 5, 30)
GREEN_MARK = datetime.date(2025, 3, 1)
INF = float("inf")
MARKS = [("within the Platinum maximum (<= 1.39)", -INF, False, 1.39, True),
         ("within the GoldPLUS maximum (<= 1.46)", 1.39, False, 1.46, True),
         ("above the GoldPLUS maximum", 1.46, False, INF, False)]


def expected(facility: dict, as_of: datetime.date, members=()) -> dict:
    found = judged_period(facility, as_of)
    figures, end = (found[2], found[1]) if found else ({}, None)
    scheme, awarded = get(facility, "allocation.scheme"), get(facility, "allocation.awarded")
    cfa2 = U if scheme is U else scheme == "sg-dc-cfa2"
    pilot = U if scheme is U else scheme == "sg-dc-cfa-pilot"
    full_load = get(facility, "pue_at_full_it_load")
    green = div(get(figures, "energy.green_pathway"), get(figures, "energy.total"))
    wue = div(get(figures, "water.input"), get(figures, "energy.it"))  # m3 per kWh
    at = dict(as_of=as_of, period_end=end)
    return {
        "dccfa2_pue": rule(**at, applies=cfa2, in_force=awarded, reads_period=False,
                           require=lambda: cmp(full_load, "<=", 1.25)),
        "dccfa2_green_energy": rule(**at, applies=cfa2, in_force=awarded, require=lambda: cmp(green, ">=", 0.5)),
        "dccfa_pilot_pue": rule(**at, applies=pilot, in_force=awarded, reads_period=False,
                                require=lambda: cmp(full_load, "<=", 1.3)),
        "roadmap_pue": rule(**at, in_force=HORIZON, reads_period=False, require=lambda: cmp(full_load, "<=", 1.3)),
        "roadmap_wue": rule(**at, in_force=HORIZON, require=lambda: cmp(wue, "<=", 2.0 / 1000)),
        "green_mark_pue_band": band(get(facility, "pue_at_quarter_it_load"), MARKS, in_force=GREEN_MARK,
                                    reads_period=False, **at),
    }


def generate(rng) -> tuple[dict, datetime.date]:
    edges = Edges(rng)
    awarded = edges.pick(datetime.date(2025, 12, 1), datetime.date(2023, 7, 1),
                         datetime.date(rng.randint(2022, 2030), rng.randint(1, 12), 1))
    as_of = edges.pick(edges.day_around(awarded, 400), edges.day_around(HORIZON, 400), edges.day_around(GREEN_MARK, 200),
                       datetime.date(rng.randint(2024, 2037), rng.randint(1, 12), rng.randint(1, 28)))
    periods = []
    for year in years(edges, as_of):
        it = edges.pick(1_000_000.0, 4_000_000.0, round(rng.uniform(1, 1e7), 1))
        total = round(it * edges.pick(1.2, 1.3, rng.uniform(1, 2)), 3)
        green = round(min(total, edges.pick(0.5 * total, 0.5 * total - 1, 0.5 * total + 1, rng.uniform(0, total))), 3)
        water = round(edges.pick(0.002 * it, 0.002 * it + 1, 0.002 * it - 1, rng.uniform(0, 0.005 * it)), 3)
        periods.append({"period": year,
                        "energy": {"total": edges.maybe(Q(total, f"{total} kWh"), 0.05),
                                   "it": edges.maybe(Q(it, f"{it} kWh"), 0.05),
                                   "green_pathway": edges.maybe(Q(green, f"{green} kWh"), 0.2)},
                        "water": {"input": edges.maybe(Q(max(water, 0.0), f"{max(water, 0.0)} m3"), 0.2)}})
    facility = {
        "allocation": {"scheme": edges.maybe(edges.pick("sg-dc-cfa2", "sg-dc-cfa-pilot", "none"), 0.1),
                       "awarded": edges.maybe(awarded, 0.1)},
        "pue_at_full_it_load": edges.maybe(edges.pick(1.25, 1.3, 1.2501, 1.3001, 1.2499, round(rng.uniform(1.05, 1.6), 3)), 0.1),
        "pue_at_quarter_it_load": edges.maybe(edges.pick(1.39, 1.46, 1.3901, 1.4601, round(rng.uniform(1.1, 1.8), 3)), 0.1),
        "periods": periods,
    }
    return facility, as_of
