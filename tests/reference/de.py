"""Reference for Germany, EnEfG (Energieeffizienzgesetz of 13 Nov 2023), §§ 3, 11, 21.

From the statute's words (/work/shared/regimes/de.md, docs/regimes/de.md "Interpretations"):
- § 3 Nr. 24: a data centre has a "nicht redundante elektrische Nennanschlussleistung ab 300 Kilowatt"
  (ab = 300 kW and more); network nodes (Nr. 24 c) are not data centres; § 21(1) Nr. 1–3 leave out
  intelligence services, defence and nuclear installations.
- § 11(1): DCs "die vor dem 1. Juli 2026 den Betrieb aufnehmen" reach a PUE "kleiner oder gleich 1,5"
  "ab dem 1. Juli 2027" (Nr. 1) and "kleiner oder gleich 1,3" "ab dem 1. Juli 2030" (Nr. 2).
- § 11(2): DCs "die ab dem 1. Juli 2026 den Betrieb aufnehmen": PUE <= 1,2 and reused energy "von
  mindestens 10 Prozent" (15 % from a start on 1 Jul 2027, 20 % from 1 Jul 2028), "spätestens zwei
  Jahre nach Inbetriebnahme" (I-2: in force from the day started + 2 years). § 11(3) Nr. 1–3 reliefs
  count only when claimed (I-12).
- § 11(5): electricity covered "bilanziell" 50 % by renewables from 1 Jan 2024, 100 % from 1 Jan 2027;
  the electricity consumption is energy.total (I-1).
Years are calendar years (I-7, "im Jahresdurchschnitt").
"""

from __future__ import annotations

import datetime

from .common import Edges, Q, U, cmp, div, energy_pair, flag, get, judged_period, plus_years, rule, years

RULES = ("pue_existing_2027", "pue_existing_2030", "pue_new", "erf_new", "renewable_50", "renewable_100")
CUTOFF = datetime.date(2026, 7, 1)
RELIEFS = ("no_fault", "heat_network_agreement", "offer_declined")


def expected(facility: dict, as_of: datetime.date, members=()) -> dict:
    load = get(facility, "power.nominal_connected")
    left_out = any(flag(facility, f) for f in ("network_node", "intelligence_service", "defence",
                                                 "nuclear_installation"))
    scope = False if left_out else cmp(load, ">=", 300.0)
    started = get(facility, "started")
    found = judged_period(facility, as_of)
    figures = found[2] if found else {}
    end = found[1] if found else None
    total, it = get(figures, "energy.total"), get(figures, "energy.it")
    pue = div(total, it)
    existing, new = cmp(started, "<", CUTOFF), cmp(started, ">=", CUTOFF)
    erf_minimum = U if started is U else (0.20 if started >= datetime.date(2028, 7, 1) else
                                          0.15 if started >= datetime.date(2027, 7, 1) else 0.10)
    erf = div(get(figures, "energy.reused"), total)
    claimed = get(facility, "erf_exemption")
    share = div(get(figures, "energy.renewable"), total)
    common = dict(scope=scope, as_of=as_of, period_end=end)
    return {
        "pue_existing_2027": rule(**common, applies=existing, in_force=datetime.date(2027, 7, 1),
                                  require=lambda: cmp(pue, "<=", 1.5)),
        "pue_existing_2030": rule(**common, applies=existing, in_force=datetime.date(2030, 7, 1),
                                  require=lambda: cmp(pue, "<=", 1.3)),
        "pue_new": rule(**common, applies=new, in_force=plus_years(started, 2), require=lambda: cmp(pue, "<=", 1.2)),
        "erf_new": rule(**common, applies=new, in_force=plus_years(started, 2),
                        require=lambda: cmp(erf, ">=", erf_minimum),
                        exempts=[lambda r=r: claimed == r for r in RELIEFS]),
        "renewable_50": rule(**common, in_force=datetime.date(2024, 1, 1), require=lambda: cmp(share, ">=", 0.5)),
        "renewable_100": rule(**common, in_force=datetime.date(2027, 1, 1), require=lambda: cmp(share, ">=", 1.0)),
    }


def generate(rng) -> tuple[dict, datetime.date]:
    edges = Edges(rng)
    started = edges.pick(*[edges.day_around(d, 400) for d in (CUTOFF, datetime.date(2027, 7, 1),
                                                              datetime.date(2028, 7, 1))],
                         datetime.date(2028, 2, 29), datetime.date(rng.randint(2005, 2031), rng.randint(1, 12), 1))
    in_force = [datetime.date(2027, 7, 1), datetime.date(2030, 7, 1), plus_years(started, 2),
                datetime.date(2024, 1, 1), datetime.date(2027, 1, 1)]
    as_of = edges.pick(edges.day_around(edges.pick(*in_force), 500),
                       datetime.date(rng.randint(2023, 2034), rng.randint(1, 12), rng.randint(1, 28)))
    periods = []
    for year in years(edges, as_of):
        total, it = energy_pair(edges, (1.2, 1.3, 1.5))
        share = edges.pick(0.1, 0.15, 0.2, 0.5, 1.0, rng.uniform(0, 1))
        reused = min(round(total.value * share + edges.pick(0, 0, -1, 1), 3), total.value)
        renewable = min(round(total.value * edges.pick(0.5, 1.0, rng.uniform(0, 1)) + edges.pick(0, 0, -1, 1), 3),
                        total.value)
        periods.append({"period": year, "energy": {
            "total": edges.maybe(total, 0.05), "it": edges.maybe(it, 0.08),
            "reused": edges.maybe(Q(max(reused, 0.0), f"{max(reused, 0.0)} kWh"), 0.15),
            "renewable": edges.maybe(Q(max(renewable, 0.0), f"{max(renewable, 0.0)} kWh"), 0.15)}})
    load = edges.around(300.0, 400.0, step=1.0)
    facility = {
        "started": edges.maybe(started, 0.05),
        "power": {"nominal_connected": edges.maybe(Q(max(load, 0.0), f"{max(load, 0.0)} kW"), 0.05)},
        "erf_exemption": edges.maybe(edges.pick(*RELIEFS), 0.85),
        "periods": periods,
    }
    for exclusion in ("network_node", "intelligence_service", "defence", "nuclear_installation"):
        if edges.chance(0.02):
            facility[exclusion] = True
    return facility, as_of

