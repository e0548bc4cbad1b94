"""Reference for the Netherlands: Besluit activiteiten leefomgeving §5.4.1 (energy saving, information and
research duties; formerly Activiteitenbesluit art. 2.15) and §5.4.1a with Omgevingsregeling Bijlage XVd
(data-centre disclosure).

From the texts as /work/shared/regimes/nl.md quotes them and docs/regimes/nl.md "Interpretations":
- Energy-saving duty: "neemt alle energiebesparende maatregelen met een terugverdientijd van vijf jaar of
  minder", for locations using 50,000 kWh electricity or 25,000 m3 natural gas (equivalent) a year —
  "vanaf", so the figure itself counts (I1); judged from 1 Jul 2019 (I2).
- Information duty, the 2023 round: report filed from 1 Jul 2023 (earlier filings belong to the last
  round, I5) up to and including 1 Dec 2023; same thresholds.
- Research duty: "vanaf 10 miljoen kWh elektriciteit of 170.000 m3 aardgas(equivalent)"; research report
  in the round, by 1 Dec 2023, and the implementation plan by then.
- Disclosure: installed IT power "ten minste 500 kilowatt" (500 kW covered, I7: P_DIT) from 15 Jun 2024;
  the first report (CY2023) by 15 Jul 2024, later ones by 15 May of the next year (I4).
Calendar years.
"""

from __future__ import annotations

import datetime

from .common import AND, OR, Edges, Q, U, cmp, get, judged_period, rule, years

RULES = ("energy_saving", "information_duty", "research_duty", "dc_disclosure")
SAVING_FROM = datetime.date(2019, 7, 1)
ROUND_OPENS, ROUND_DUE = datetime.date(2023, 7, 1), datetime.date(2023, 12, 1)
DISCLOSURE_FROM = datetime.date(2024, 6, 15)


def expected(facility: dict, as_of: datetime.date, members=()) -> dict:
    found = judged_period(facility, as_of)
    figures, end = (found[2], found[1]) if found else ({}, None)
    electricity, gas = get(figures, "energy.electricity"), get(figures, "gas.natural_gas_equivalent")
    saving = OR(cmp(electricity, ">=", 50_000.0), cmp(gas, ">=", 25_000.0))
    research = OR(cmp(electricity, ">=", 10_000_000.0), cmp(gas, ">=", 170_000.0))
    measures = get(facility, "energy_saving.measures_5y")
    information, report = get(facility, "filings.nl_information"), get(facility, "filings.nl_research")
    plan = get(facility, "filings.nl_implementation_plan")
    due = U if end is None else (datetime.date(2024, 7, 15) if end.year == 2023 else datetime.date(end.year + 1, 5, 15))
    at = dict(as_of=as_of, period_end=end)
    return {
        "energy_saving": rule(**at, applies=saving, in_force=SAVING_FROM,
                              require=lambda: U if measures is U else measures == "all_taken"),
        "information_duty": rule(**at, applies=saving, in_force=ROUND_OPENS,
                                 require=lambda: AND(cmp(information, ">=", ROUND_OPENS),
                                                     cmp(information, "<=", ROUND_DUE))),
        "research_duty": rule(**at, applies=research, in_force=ROUND_OPENS,
                              require=lambda: AND(cmp(report, ">=", ROUND_OPENS), cmp(report, "<=", ROUND_DUE),
                                                  cmp(plan, "<=", ROUND_DUE))),
        "dc_disclosure": rule(**at, applies=cmp(get(facility, "power.it_installed"), ">=", 500.0),
                              in_force=DISCLOSURE_FROM,
                              require=lambda: cmp(get(figures, "filings.nl_dc_disclosure"), "<=", due)),
    }


def generate(rng) -> tuple[dict, datetime.date]:
    edges = Edges(rng)
    as_of = edges.pick(edges.day_around(SAVING_FROM, 300), edges.day_around(ROUND_OPENS, 300),
                       edges.day_around(DISCLOSURE_FROM, 300),
                       datetime.date(rng.randint(2019, 2029), rng.randint(1, 12), rng.randint(1, 28)))
    periods = []
    for year in years(edges, as_of):
        electricity = edges.pick(50_000.0, 49_999.0, 10_000_000.0, 9_999_999.0, round(rng.uniform(0, 2e7), 1))
        gas = edges.pick(25_000.0, 24_999.0, 170_000.0, 169_999.0, round(rng.uniform(0, 3e5), 1))
        due = datetime.date(2024, 7, 15) if year == 2023 else datetime.date(year + 1, 5, 15)
        periods.append({
            "period": year,
            "energy": {"electricity": edges.maybe(Q(electricity, f"{electricity} kWh"), 0.2)},
            "gas": {"natural_gas_equivalent": edges.maybe(Q(gas, f"{gas} m3"), 0.6)},
            "filings": {"nl_dc_disclosure": edges.maybe(edges.day_around(due, 60), 0.2)},
        })
    power = edges.pick(499.0, 500.0, 501.0, round(rng.uniform(0, 2000), 1))
    facility = {
        "power": {"it_installed": edges.maybe(Q(power, f"{power} kW"), 0.1)},
        "energy_saving": {"measures_5y": edges.maybe(edges.pick("all_taken", "some_missing"), 0.2)},
        "filings": {"nl_information": edges.maybe(edges.pick(edges.day_around(ROUND_OPENS, 30),
                                                             edges.day_around(ROUND_DUE, 30)), 0.2),
                    "nl_research": edges.maybe(edges.pick(edges.day_around(ROUND_OPENS, 30),
                                                          edges.day_around(ROUND_DUE, 30)), 0.2),
                    "nl_implementation_plan": edges.maybe(edges.day_around(ROUND_DUE, 30), 0.2)},
        "periods": periods,
    }
    return facility, as_of
