"""Reference for the EU: Directive (EU) 2023/1791 (EED recast) Art. 12 and 26(6), Delegated Regulation
(EU) 2024/1364, and the rating-scheme act C(2026) 3472 (pending OJ).

From the texts as /work/shared/regimes/eu.md quotes them and docs/regimes/eu.md "Interpretations":
- Art. 12(4): Member States "encourage" data centres "with a power demand of the installed IT equal to
  or greater than 1 MW" (1 MW exactly is covered) — nothing to check, so `info` (I7); from the
  transposition deadline 11 Oct 2025 (I5).
- Art. 26(6): "data centres with a total rated energy input exceeding 1 MW utilise the waste heat …
  unless they can show that it is not technically or economically feasible" (exactly 1 MW is not
  covered; utilise = some energy reused, I9); from 11 Oct 2025 (I5).
- DR 2024/1364 Annex III: PUE = E_DC / E_IT, "by definition … always greater than 1" (the regulation in
  force 6 Jun 2024, I2).
- Annex IV size categories by installed IT power (I10): < 100 kW, 100–500, 500–1000 kW, 1–2 MW,
  2–10 MW (10 MW included), > 10 MW; lower bounds included.
- C(2026) 3472 Annex I Table 1 PUE classes A ≤ 1.15 < B ≤ 1.25 < C ≤ 1.35 < D ≤ 1.5 < E/F ≤ 1.9 < G,
  for reporting DCs (≥ 500 kW, not defence or civil protection, Art. 12(1)-(2)), from 15 Aug 2027 (I8).
Calendar years.
"""

from __future__ import annotations

import datetime

from .common import AND, NOT, OR, Edges, Q, band, cmp, div, energy_pair, flag, get, judged_period, rule, years

RULES = ("code_of_conduct", "waste_heat", "kpi_pue", "size_category", "pue_label_class")
TRANSPOSITION = datetime.date(2025, 10, 11)
DR_IN_FORCE = datetime.date(2024, 6, 6)
FIRST_LABEL = datetime.date(2027, 8, 15)
INF = float("inf")
SIZES = [("below the Annex IV categories (< 100 kW)", -INF, False, 100, False),
         ("very small (100–500 kW)", 100, True, 500, False), ("small (500–1000 kW)", 500, True, 1000, False),
         ("medium (1–2 MW)", 1000, True, 2000, False), ("large (2–10 MW)", 2000, True, 10000, True),
         ("very large (> 10 MW)", 10000, False, INF, False)]
CLASSES = [("A", -INF, False, 1.15, True), ("B", 1.15, False, 1.25, True), ("C (bounds UNCONFIRMED)", 1.25, False, 1.35, True),
           ("D", 1.35, False, 1.5, True), ("E or F (split UNCONFIRMED)", 1.5, False, 1.9, True), ("G", 1.9, False, INF, False)]


def expected(facility: dict, as_of: datetime.date, members=()) -> dict:
    found = judged_period(facility, as_of)
    figures, end = (found[2], found[1]) if found else ({}, None)
    pue = div(get(figures, "energy.total"), get(figures, "energy.it"))
    it_power = get(facility, "power.it_installed")
    reused = get(figures, "energy.reused")
    defence = OR(flag(facility, "defence_or_civil_protection"), flag(facility, "defence"),
                 flag(facility, "civil_protection"))
    at = dict(as_of=as_of, period_end=end)
    return {
        "code_of_conduct": rule(**at, applies=cmp(it_power, ">=", 1000.0), in_force=TRANSPOSITION, require=None,
                                reads_period=False),
        "waste_heat": rule(**at, applies=cmp(get(facility, "power.rated_energy_input"), ">", 1000.0),
                           in_force=TRANSPOSITION, require=lambda: cmp(reused, ">", 0.0),
                           exempts=[lambda: flag(facility, "heat_recovery_infeasible")]),
        "kpi_pue": rule(**at, in_force=DR_IN_FORCE, require=lambda: cmp(pue, ">=", 1.0)),
        "size_category": band(it_power, SIZES, in_force=DR_IN_FORCE, reads_period=False, **at),
        "pue_label_class": band(pue, CLASSES, applies=AND(cmp(it_power, ">=", 500.0), NOT(defence)),
                                in_force=FIRST_LABEL, **at),
    }


def generate(rng) -> tuple[dict, datetime.date]:
    edges = Edges(rng)
    as_of = edges.pick(edges.day_around(TRANSPOSITION, 400), edges.day_around(DR_IN_FORCE, 300),
                       edges.day_around(FIRST_LABEL, 400),
                       datetime.date(rng.randint(2024, 2030), rng.randint(1, 12), rng.randint(1, 28)))
    periods = []
    for year in years(edges, as_of):
        total, it = energy_pair(edges, (1.15, 1.25, 1.35, 1.5, 1.9))
        reused = edges.pick(0.0, 0.001, 1.0, round(total.value * rng.uniform(0, 0.3), 3))
        periods.append({"period": year, "energy": {"total": edges.maybe(total, 0.05), "it": edges.maybe(it, 0.05),
                                                   "reused": edges.maybe(Q(reused, f"{reused} kWh"), 0.3)}})
    it_power = edges.pick(99.0, 100.0, 499.0, 500.0, 999.0, 1000.0, 1999.0, 2000.0, 10000.0, 10001.0,
                          round(rng.uniform(0, 20000), 1))
    rated = edges.pick(999.0, 1000.0, 1000.001, 1001.0, round(rng.uniform(0, 5000), 1))
    facility = {
        "power": {"it_installed": edges.maybe(Q(it_power, edges.pick(f"{it_power} kW", f"{it_power / 1000} MW")), 0.1),
                  "rated_energy_input": edges.maybe(Q(rated, f"{rated} kW"), 0.1)},
        "heat_recovery_infeasible": edges.maybe(True, 0.8),
        "periods": periods,
    }
    for exclusion in ("defence_or_civil_protection", "defence", "civil_protection"):
        if edges.chance(0.03):
            facility[exclusion] = True
    return facility, as_of
