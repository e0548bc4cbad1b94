"""Reference for China: the action plan 发改环资〔2024〕970号 and GB 40879-2021.

From the texts as the digest gives them (/work/shared/regimes/cn.md) and docs/regimes/cn.md
"Interpretations":
- Action plan (二): "新建及改扩建大型和超大型数据中心电能利用效率降至1.25以内" (以内 includes 1.25);
  hub-node projects "不得高于1.2"; national average "降至1.5以下" shown to every DC (I-10); all "到2025年底",
  in force 2025-12-31 (I-6). 改扩建 = renovated or expanded (I-4); hub node: hub_node or cluster
  given (I-5); existing DCs are not 项目 (I-7).
- Size: standard racks (declared, else installed IT power / 2.5 kW, I-2); 大型 3,000 ≤ n < 10,000,
  超大型 n ≥ 10,000 (I-3).
- GB 40879-2021 (实施 2022-11-01): limit value PUE ≤ 1.50 for 新建及改扩建 DCs; "不适用于边缘数据中心 …
  单体规模不超过100个标准机架" (≤ 100 racks left out); grades 1 ≤ 1.20, 2 ≤ 1.30, 3 ≤ 1.50 for every
  non-edge DC (I-11).
Calendar years; PUE = measured E_DC / E_IT of the year (RM2, I-1).
"""

from __future__ import annotations

import datetime

from .common import AND, Edges, Q, U, band, cmp, div, energy_pair, first_known, get, judged_period, rule, years

RULES = ("pue_large_new", "pue_hub_node", "pue_national_average", "gb40879_limit", "gb40879_grade", "size_class",
         "green_power_hub_new", "rack_utilisation_60")
DEADLINE = datetime.date(2025, 12, 31)
GB_EFFECTIVE = datetime.date(2022, 11, 1)
INF = float("inf")
GRADES = [("1级", -INF, False, 1.20, True), ("2级", 1.20, False, 1.30, True), ("3级", 1.30, False, 1.50, True),
          ("超出限定值", 1.50, False, INF, False)]
SIZES = [("中小型", -INF, False, 3000, False), ("大型", 3000, True, 10000, False), ("超大型", 10000, True, INF, False)]


def expected(facility: dict, as_of: datetime.date, members=()) -> dict:
    found = judged_period(facility, as_of)
    figures, end = (found[2], found[1]) if found else ({}, None)
    pue = div(get(figures, "energy.total"), get(figures, "energy.it"))
    installed = get(facility, "power.it_installed")
    racks = first_known(get(facility, "racks.standard"), U if installed is U else installed / 2.5)
    project = get(facility, "project")
    rebuilt = U if project is U else project in ("new", "expanded", "renovated")
    large_or_super = cmp(racks, ">=", 3000)
    hub = get(facility, "location.hub_node") is not U or get(facility, "location.cluster") is not U
    green = div(get(figures, "energy.renewable"), get(figures, "energy.total"))
    racks_used = first_known(get(figures, "rack_utilisation"),
                             div(get(facility, "racks.occupied"), get(facility, "racks.installed")))
    at = dict(as_of=as_of, period_end=end)
    return {
        # (四) "新建…国家枢纽节点…绿电占比超过80%": 超过 excludes 80 %; new (新建) projects only, I-9
        "green_power_hub_new": rule(**at, applies=AND(hub, U if project is U else project == "new"), in_force=DEADLINE,
                                    require=lambda: cmp(green, ">", 0.8)),
        # "上架率不低于60%": a national aggregate shown as a facility indicator (I-10); 不低于 includes 60 %
        "rack_utilisation_60": rule(**at, in_force=DEADLINE, require=lambda: cmp(racks_used, ">=", 0.6)),
        "pue_large_new": rule(**at, applies=AND(rebuilt, large_or_super), in_force=DEADLINE,
                              require=lambda: cmp(pue, "<=", 1.25)),
        "pue_hub_node": rule(**at, applies=AND(hub, rebuilt), in_force=DEADLINE, require=lambda: cmp(pue, "<=", 1.2)),
        "pue_national_average": rule(**at, in_force=DEADLINE, require=lambda: cmp(pue, "<=", 1.5)),
        "gb40879_limit": rule(**at, excludes=[cmp(racks, "<=", 100)], applies=rebuilt, in_force=GB_EFFECTIVE,
                              require=lambda: cmp(pue, "<=", 1.5)),
        "gb40879_grade": band(pue, GRADES, applies=cmp(racks, ">", 100), in_force=GB_EFFECTIVE, **at),
        "size_class": band(racks, SIZES, reads_period=False),
    }


def generate(rng) -> tuple[dict, datetime.date]:
    edges = Edges(rng)
    as_of = edges.pick(edges.day_around(DEADLINE, 500), edges.day_around(GB_EFFECTIVE, 300),
                       datetime.date(rng.randint(2022, 2031), rng.randint(1, 12), rng.randint(1, 28)))
    periods = []
    for year in years(edges, as_of):
        total, it = energy_pair(edges, (1.2, 1.25, 1.3, 1.5))
        green = min(total.value, round(edges.pick(0.8 * total.value, 0.8 * total.value + 1, 0.8 * total.value - 1,
                                                  rng.uniform(0, total.value)), 3))
        entry = {"period": year, "energy": {"total": edges.maybe(total, 0.05), "it": edges.maybe(it, 0.05),
                                            "renewable": edges.maybe(Q(green, f"{green} kWh"), 0.2)}}
        if edges.chance(0.3):
            entry["rack_utilisation"] = edges.pick(0.6, 0.5999, 0.6001, round(rng.uniform(0, 1), 4))
        periods.append(entry)
    racks = edges.pick(100, 101, 99, 2999, 3000, 3001, 9999, 10000, 10001, rng.randint(0, 20000))
    power = edges.pick(250.0, 7500.0, 7497.5, 25000.0, 25002.5, round(rng.uniform(0, 40000), 1))
    facility = {
        "project": edges.maybe(edges.pick("new", "expanded", "renovated", "existing"), 0.1),
        "racks": {"standard": edges.maybe(racks, 0.5), **edges.pick({}, {"installed": 1000, "occupied": 600},
                                                                     {"installed": 1000, "occupied": 599},
                                                                     {"installed": 3, "occupied": 2},
                                                                     {"installed": 5, "occupied": 3})},
        "power": {"it_installed": edges.maybe(Q(power, f"{power} kW"), 0.3)},
        "location": {"hub_node": edges.maybe("guizhou", 0.8), "cluster": edges.maybe("qingyang", 0.85)},
        "periods": periods,
    }
    return facility, as_of

