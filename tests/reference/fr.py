"""Reference for France: Code de l'énergie L. 236-1, D. 236-1 to D. 236-3 (décret n° 2025-1382), and the
reduced excise of CIBS L. 312-70.

From the texts as /work/shared/regimes/fr.md quotes them and docs/regimes/fr.md "Interpretations":
- L. 236-1 II: data centres whose installed server-room power "est supérieure ou égale à 500 kilowatts",
  assessed "à l'échelle du numéro SIRET" (D. 236-1 II: the SIRET-wide figure when given, I1); not
  operators of vital importance (1°), nor DCs "utilisés par les forces armées ou par la protection
  civile" or serving exclusively defence or civil protection (2°). In force the day after the decree's
  publication in the JO of 30 Dec 2025 (I2).
- D. 236-2: "Pour les nouveaux centres de données" (commissioned from that day, I3) the declaration "est
  transmise dans un délai qui n'excède pas deux mois après la date de mise en service" (a later month
  without that day ends on its last day).
- D. 236-3 I: information on "l'année civile précédente" transmitted and made public "au plus tard le
  15 mai".
- L. 312-70: the reduced excise "pour la fraction qui excède un gigawattheure sur une année civile"
  (strictly above 1 GWh), from 1 Jan 2022, on conditions 4° (an energy management system per L. 233-2:
  ISO 50001, certified, I5), 5° (a recognised best-practice programme, I6) and 6° (waste heat into a
  heat or cold network, or the decree's indicator met; I7).
"""

from __future__ import annotations

import datetime

from .common import AND, OR, Edges, Q, U, cmp, first_known, flag, get, judged_period, plus_months, rule, years

RULES = ("declaration_new", "annual_information", "excise_energy_management", "excise_programme", "excise_waste_heat")
DECREE = datetime.date(2025, 12, 31)
EXCISE = datetime.date(2022, 1, 1)


def expected(facility: dict, as_of: datetime.date, members=()) -> dict:
    found = judged_period(facility, as_of)
    figures, end = (found[2], found[1]) if found else ({}, None)
    power = first_known(get(facility, "power.siret_server_rooms_installed"), get(facility, "power.server_rooms_installed"))
    started = get(facility, "started")
    vital = flag(facility, "vital_importance_operator")
    military = OR(flag(facility, "defence_or_civil_protection"), flag(facility, "defence"),
                  flag(facility, "civil_protection"))
    may_15 = datetime.date(end.year + 1, 5, 15) if end else U
    above_gwh = cmp(get(figures, "energy.electricity"), ">", 1_000_000.0)
    standard = get(facility, "management_system.standard")
    ems = AND(U if standard is U else standard == "ISO 50001", flag(facility, "management_system.certified"))
    programme = get(facility, "best_practice_programme")
    offtake, indicator = get(figures, "waste_heat.offtake"), get(figures, "excise.fr_efficiency_indicator")
    at = dict(as_of=as_of, period_end=end)
    return {
        "declaration_new": rule(**at, excludes=[vital, military], applies=AND(cmp(power, ">=", 500.0),
                                                                              cmp(started, ">=", DECREE)),
                                in_force=DECREE, reads_period=False,
                                require=lambda: cmp(get(facility, "filings.fr_declaration"), "<=",
                                                    plus_months(started, 2))),
        "annual_information": rule(**at, excludes=[vital, military], applies=cmp(power, ">=", 500.0), in_force=DECREE,
                                   require=lambda: AND(cmp(get(figures, "filings.fr_annual_transmitted"), "<=", may_15),
                                                       cmp(get(figures, "filings.fr_annual_published"), "<=", may_15))),
        "excise_energy_management": rule(**at, applies=above_gwh, in_force=EXCISE, require=lambda: ems),
        "excise_programme": rule(**at, applies=above_gwh, in_force=EXCISE,
                                 require=lambda: U if programme is U else programme in ("eu_coc", "other_recognised")),
        "excise_waste_heat": rule(**at, applies=above_gwh, in_force=EXCISE,
                                  require=lambda: OR(U if offtake is U else offtake == "heat_or_cold_network",
                                                     U if indicator is U else indicator == "met")),
    }


def generate(rng) -> tuple[dict, datetime.date]:
    edges = Edges(rng)
    as_of = edges.pick(edges.day_around(DECREE, 400), edges.day_around(EXCISE, 200),
                       datetime.date(rng.randint(2022, 2030), rng.randint(1, 12), rng.randint(1, 28)))
    started = edges.pick(edges.day_around(DECREE, 300), datetime.date(2026, 12, 31), datetime.date(2027, 12, 30),
                         datetime.date(rng.randint(2000, 2030), rng.randint(1, 12), 1))
    periods = []
    for year in years(edges, as_of):
        electricity = edges.pick(1_000_000.0, 999_999.0, 1_000_001.0, 1_000_000.001, round(rng.uniform(0, 3e6), 1))
        may_15 = datetime.date(year + 1, 5, 15)
        periods.append({
            "period": year,
            "energy": {"electricity": edges.maybe(Q(electricity, edges.pick(f"{electricity} kWh",
                                                                          f"{electricity / 1000} MWh")), 0.1)},
            "filings": {"fr_annual_transmitted": edges.maybe(edges.day_around(may_15, 60), 0.2),
                        "fr_annual_published": edges.maybe(edges.day_around(may_15, 60), 0.2)},
            "waste_heat": {"offtake": edges.maybe(edges.pick("heat_or_cold_network", "on_site", "other", "none"), 0.3)},
            "excise": {"fr_efficiency_indicator": edges.maybe(edges.pick("met", "not_met"), 0.5)},
        })
    power = edges.pick(499.0, 500.0, 501.0, 499.999, round(rng.uniform(0, 2000), 1))
    siret = edges.pick(499.0, 500.0, round(rng.uniform(0, 2000), 1))
    facility = {
        "started": edges.maybe(started, 0.05),
        "power": {"server_rooms_installed": edges.maybe(Q(power, f"{power} kW"), 0.1),
                  "siret_server_rooms_installed": edges.maybe(Q(siret, f"{siret} kW"), 0.7)},
        "filings": {"fr_declaration": edges.maybe(edges.day_around(plus_months(started, 2), 40), 0.2)},
        "management_system": {"standard": edges.maybe(edges.pick("ISO 50001", "EMAS", "none"), 0.2),
                              "certified": edges.maybe(edges.chance(0.5), 0.3)},
        "best_practice_programme": edges.maybe(edges.pick("eu_coc", "other_recognised", "none"), 0.2),
        "periods": periods,
    }
    for exclusion in ("vital_importance_operator", "defence_or_civil_protection", "defence", "civil_protection"):
        if edges.chance(0.03):
            facility[exclusion] = True
    return facility, as_of
