"""Reference for Beijing: 北京市存量数据中心优化工作方案（2024-2027年） and the DC project energy-review rules.

From the texts as the digest quotes them (/work/shared/regimes/cn-bj.md) and docs/regimes/cn-bj.md
"Interpretations":
- Existing DCs (优化对象): "在运营的全年电力能源消耗量500万千瓦时及以上" — started by the end of the judged
  year (I-3), electricity (else energy.total, I-2) ≥ 5 GWh (及以上 includes it).
- "到2027年…年均PUE值降低至1.35以下" (by 2027-12-31, I-5); "自2026年起,对PUE值高于1.35的数据中心征收差别电价"
  (from 2026-01-01, I-4: 高于 1.35 pays, so exactly 1.35 passes); "对PUE值不高于1.35的数据中心进行公示".
- Energy review, 新建、扩建 projects in its scope "年能源消费量达到1000吨标准煤(含,电力按当量值计算)或者年电力
  消费量达到500万千瓦时(含)以上": below 1万 tce (等价值) "PUE值不应高于1.3"; "大于等于1万吨标准煤且小于2万吨标准煤"
  "不应高于1.25" — judged on the design PUE.
Beijing only: location.subdivision CN-BJ. Calendar years; PUE = E_DC / E_IT of the year (I-1).
"""

from __future__ import annotations

import datetime

from .common import AND, OR, Edges, Q, U, cmp, div, energy_pair, first_known, get, judged_period, plus_years, rule, years

RULES = ("pue_2027", "differential_price", "published_list", "energy_review_tier_1", "energy_review_tier_2",
         "rack_utilisation_review")
SURCHARGE = datetime.date(2026, 1, 1)
TARGET = datetime.date(2027, 12, 31)


def expected(facility: dict, as_of: datetime.date, members=()) -> dict:
    subdivision = get(facility, "location.subdivision")
    scope = U if subdivision is U else subdivision == "CN-BJ"
    found = judged_period(facility, as_of)
    figures, end = (found[2], found[1]) if found else ({}, None)
    total = get(figures, "energy.total")
    pue = div(total, get(figures, "energy.it"))
    started = get(facility, "started")
    electricity = first_known(get(figures, "energy.electricity"), total)
    existing = AND(cmp(started, "<=", end) if end else U, cmp(electricity, ">=", 5_000_000.0))
    project = get(facility, "project")
    new_or_expanded = U if project is U else project in ("new", "expanded")
    in_review = OR(cmp(get(facility, "design_energy.tce_calorific"), ">=", 1000.0),
                   cmp(get(facility, "design_energy.electricity"), ">=", 5_000_000.0))
    tce = get(facility, "design_energy.tce_equivalent")
    design = get(facility, "design_pue")
    # 低效数据中心综合治理 (十二): "年能耗2000吨标准煤以上的数据中心整体上架率(建成投用满一年)低于50%" — 以上
    # includes 2,000 tce (当量值, I-6); a year in service by the end of the judged year (I-7); 低于 50 % fails
    in_service = cmp(plus_years(started, 1), "<=", end) if end else U
    racks_used = first_known(get(figures, "rack_utilisation"),
                             div(get(facility, "racks.occupied"), get(facility, "racks.installed")))
    deferral = rule(scope=scope, as_of=as_of, period_end=end,
                    applies=AND(in_service, cmp(get(figures, "energy.tce_calorific"), ">=", 2000.0)),
                    require=lambda: cmp(racks_used, ">=", 0.5))
    at = dict(scope=scope, as_of=as_of, period_end=end)
    review = dict(scope=scope, as_of=as_of, period_end=end, reads_period=False)
    return {
        "pue_2027": rule(**at, applies=existing, in_force=TARGET, require=lambda: cmp(pue, "<=", 1.35)),
        "differential_price": rule(**at, applies=existing, in_force=SURCHARGE, require=lambda: cmp(pue, "<=", 1.35)),
        "published_list": rule(**at, applies=existing, in_force=SURCHARGE, require=lambda: cmp(pue, "<=", 1.35)),
        "rack_utilisation_review": deferral,
        "energy_review_tier_1": rule(**review, applies=AND(new_or_expanded, in_review, cmp(tce, "<", 10000.0)),
                                     require=lambda: cmp(design, "<=", 1.3)),
        "energy_review_tier_2": rule(**review, applies=AND(new_or_expanded, in_review, cmp(tce, ">=", 10000.0),
                                                          cmp(tce, "<", 20000.0)),
                                     require=lambda: cmp(design, "<=", 1.25)),
    }


def generate(rng) -> tuple[dict, datetime.date]:
    edges = Edges(rng)
    as_of = edges.pick(edges.day_around(SURCHARGE, 400), edges.day_around(TARGET, 400),
                       datetime.date(rng.randint(2024, 2030), rng.randint(1, 12), rng.randint(1, 28)))
    periods = []
    for year in years(edges, as_of):
        it = edges.pick(1_000_000, 4_000_000, 10_000_000)
        total, it = energy_pair(edges, (1.35,), it)
        energy = {"total": edges.maybe(total, 0.05), "it": edges.maybe(it, 0.05)}
        if edges.chance(0.4):
            electricity = min(edges.pick(5_000_000.0, 4_999_999.0, 5_000_001.0, total.value), total.value)
            energy["electricity"] = Q(electricity, f"{electricity} kWh")
        if edges.chance(0.7):
            tce = edges.pick(2000.0, 1999.9, 2000.1, round(rng.uniform(0, 5000), 1))
            energy["tce_calorific"] = Q(tce, f"{tce} tce")
        entry = {"period": year, "energy": energy}
        if edges.chance(0.3):
            entry["rack_utilisation"] = edges.pick(0.5, 0.4999, 0.5001, round(rng.uniform(0, 1), 4))
        periods.append(entry)
    started = edges.pick(datetime.date(as_of.year - 1, 12, 31), datetime.date(as_of.year - 1, 1, 1),
                         datetime.date(as_of.year, 1, 1), datetime.date(rng.randint(2010, 2030), 6, 1))
    tce = edges.pick(9999.0, 10000.0, 19999.0, 20000.0, round(rng.uniform(0, 30000), 1))
    calorific = edges.pick(999.0, 1000.0, round(rng.uniform(0, 5000), 1))
    planned = edges.pick(4_999_999.0, 5_000_000.0, round(rng.uniform(0, 1e7), 1))
    facility = {
        "location": {"country": "CN", "subdivision": edges.maybe(edges.pick("CN-BJ", "CN-BJ", "CN-SH"), 0.05)},
        "started": edges.maybe(started, 0.05),
        "project": edges.maybe(edges.pick("new", "expanded", "renovated", "existing"), 0.1),
        "racks": edges.pick({}, {"installed": 1000, "occupied": 500}, {"installed": 1000, "occupied": 499},
                            {"installed": 3, "occupied": 2}),
        "design_pue": edges.maybe(edges.pick(1.25, 1.3, 1.2999, 1.2501, round(rng.uniform(1.1, 1.5), 3)), 0.15),
        "design_energy": {"tce_equivalent": edges.maybe(Q(tce, f"{tce} tce"), 0.15),
                          "tce_calorific": edges.maybe(Q(calorific, f"{calorific} tce"), 0.3),
                          "electricity": edges.maybe(Q(planned, f"{planned} kWh"), 0.5)},
        "periods": periods,
    }
    return facility, as_of
