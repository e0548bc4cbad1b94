"""Reference for Japan: the METI working-group proposal (2025) under the Energy Conservation Act.

From the METI material (/work/shared/seeds/004_72fd781aa0a03d68.txt, /work/shared/regimes/jp.md) and
docs/regimes/jp.md "Interpretations":
- Size (一定規模以上): "サーバ面積が300㎡以上若しくは年度のエネルギー使用量が原油換算で1,500kl以上" —
  以上 includes the boundary; fiscal years run 1 April – 31 March. Crude oil: the reported crude-oil
  equivalent, else all energy.total as purchased electricity, 8.64 GJ per 1,000 kWh × 0.0258 kl/GJ (I-1).
- Standard: DCs "2029年度以降に新設" (started on or after 1 April 2029) of an operator whose DC business uses
  1,500 kl or more: "PUEの実績値で1.3以下", judged "稼働開始後２年が経過した時点の翌年度以降の実績" — from the
  first fiscal year that begins after the two-year point (I-3; the METI example: start in September X,
  judged from FY X+3).
- Relief: "設計時PUE＝1.28以下" and the shortfall caused by low utilisation (both needed).
- Left out: converted buildings (転用); later buildings of a phased development whose first building
  started "2028年度以前" (before 1 April 2029).
- Bands (区分) ① PUE=2.0以上 … ⑬ PUE=1.05未満: 以上 includes the lower bound, 未満 excludes the upper.
Without an operator_id each facility is its own operator (the generated facilities have none).
"""

from __future__ import annotations

import datetime

from .common import AND, OR, Edges, Q, U, band, cmp, div, energy_pair, first_known, flag, get, judged_period, plus_years, rule, years

RULES = ("pue_standard", "pue_band")
FISCAL = (4, 1)
NEW_FROM = datetime.date(2029, 4, 1)  # FY2029
KL_PER_KWH = 8.64 / 1000 * 0.0258  # GJ per kWh × kl per GJ
BANDS = [("①", 2.0, True, float("inf"), False), ("②", 1.7, True, 2.0, False), ("③", 1.5, True, 1.7, False),
         ("④", 1.45, True, 1.5, False), ("⑤", 1.4, True, 1.45, False), ("⑥", 1.35, True, 1.4, False),
         ("⑦", 1.3, True, 1.35, False), ("⑧", 1.25, True, 1.3, False), ("⑨", 1.2, True, 1.25, False),
         ("⑩", 1.15, True, 1.2, False), ("⑪", 1.1, True, 1.15, False), ("⑫", 1.05, True, 1.1, False),
         ("⑬", float("-inf"), False, 1.05, False)]


def first_april_after(day):
    if day is U:
        return U
    april = datetime.date(day.year, 4, 1)
    return april if april > day else datetime.date(day.year + 1, 4, 1)


def expected(facility: dict, as_of: datetime.date) -> dict:
    found = judged_period(facility, as_of, FISCAL)
    figures = found[2] if found else {}
    end = found[1] if found else None
    total, it = get(figures, "energy.total"), get(figures, "energy.it")
    kl = first_known(get(figures, "energy.crude_oil_equivalent"), U if total is U else total * KL_PER_KWH)
    scope = OR(cmp(get(facility, "area.computer_room"), ">=", 300.0), cmp(kl, ">=", 1500.0))
    started = get(facility, "started")
    first = get(facility, "phased_development.first_building_started")
    pue = div(total, it)
    standard = rule(
        scope=scope, as_of=as_of, period_end=end,
        excludes=[flag(facility, "converted_building"), first is not U and first < NEW_FROM],
        applies=AND(cmp(started, ">=", NEW_FROM), cmp(kl, ">=", 1500.0)),
        in_force=first_april_after(plus_years(started, 2)),
        require=lambda: cmp(pue, "<=", 1.3),
        exempts=[lambda: AND(cmp(get(facility, "design_pue"), "<=", 1.28), flag(figures, "low_utilisation_cause"))])
    return {"pue_standard": standard, "pue_band": band(pue, BANDS, scope=scope)}


def generate(rng) -> tuple[dict, datetime.date]:
    edges = Edges(rng)
    started = edges.pick(edges.day_around(NEW_FROM, 500), datetime.date(2031, 3, 31), datetime.date(2028, 2, 29),
                         datetime.date(rng.randint(2015, 2033), rng.randint(1, 12), rng.randint(1, 28)))
    as_of = edges.pick(edges.day_around(first_april_after(plus_years(started, 2)) or NEW_FROM, 400),
                       datetime.date(rng.randint(2026, 2038), rng.randint(1, 12), rng.randint(1, 28)))
    periods = []
    for year in years(edges, as_of, fiscal=True):
        it = edges.pick(1_000_000, 4_000_000, 5_000_000, 6_000_000, 10_000_000)
        total, it = [edges.maybe(q, 0.06) for q in _pue_pair(edges, it)]
        entry = {"period": f"FY{year}", "energy": {"total": total, "it": it},
                 "low_utilisation_cause": edges.maybe(edges.chance(0.5), 0.5)}
        if edges.chance(0.25):
            kl = edges.around(1500.0, 800.0, step=0.001)
            entry["energy"]["crude_oil_equivalent"] = Q(max(kl, 0.0), f"{max(kl, 0.0)} kl")
        periods.append(entry)
    area = edges.around(300.0, 300.0, step=1.0)
    facility = {
        "started": edges.maybe(started, 0.05),
        "area": {"computer_room": edges.maybe(Q(max(area, 0.0), f"{max(area, 0.0)} m2"), 0.3)},
        "design_pue": edges.maybe(max(1.0, edges.around(1.28, 0.1, step=0.01)), 0.4),
        "periods": periods,
    }
    if edges.chance(0.05):
        facility["converted_building"] = True
    if edges.chance(0.1):
        facility["phased_development"] = {"first_building_started": edges.day_around(NEW_FROM, 300)}
    return facility, as_of


def _pue_pair(edges, it):
    from .common import years, energy_pair

    limits = (1.3, 1.25, 1.35, 1.05, 2.0, 1.5)
    return energy_pair(edges, limits, it)

