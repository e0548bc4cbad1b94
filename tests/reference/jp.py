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
OPERATOR_RULES = ("benchmark_pue",)
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


def crude_oil(figures: dict):
    total = get(figures, "energy.total")
    return first_known(get(figures, "energy.crude_oil_equivalent"), U if total is U else total * KL_PER_KWH)


def in_scope(facility: dict, figures: dict):
    return OR(cmp(get(facility, "area.computer_room"), ">=", 300.0), cmp(crude_oil(figures), ">=", 1500.0))


def expected(facility: dict, as_of: datetime.date, members=()) -> dict:
    found = judged_period(facility, as_of, FISCAL)
    figures = found[2] if found else {}
    end = found[1] if found else None
    total, it = get(figures, "energy.total"), get(figures, "energy.it")
    kl = crude_oil(figures)
    scope = in_scope(facility, figures)
    # "DC業に係る年度のエネルギー使用量（原油換算）が1,500kl以上である事業者": every DC of the operator counts,
    # each with its own latest fiscal year (I-2); a DC without the figure adds at least nothing
    oil = [crude_oil(found[2]) if found else U for found in (judged_period(m, as_of, FISCAL) for m in members)]
    covered = at_least(oil, 1500.0)
    started = get(facility, "started")
    first = get(facility, "phased_development.first_building_started")
    pue = div(total, it)
    standard = rule(
        scope=scope, as_of=as_of, period_end=end,
        excludes=[flag(facility, "converted_building"), first is not U and first < NEW_FROM],
        applies=AND(cmp(started, ">=", NEW_FROM), covered),
        in_force=first_april_after(plus_years(started, 2)),
        require=lambda: cmp(pue, "<=", 1.3),
        exempts=[lambda: AND(cmp(get(facility, "design_pue"), "<=", 1.28), flag(figures, "low_utilisation_cause"))])
    return {"pue_standard": standard, "pue_band": band(pue, BANDS, scope=scope)}


def at_least(values: list, threshold: float):
    """Whether a sum of energies reaches `threshold`: the known part decides when it does (a missing
    member adds at least nothing); otherwise unknown while any member is missing."""
    known_part = sum(v for v in values if v is not U)
    if cmp(known_part, ">=", threshold):
        return True
    return U if U in values else False


def expected_operator(members: list, as_of: datetime.date) -> dict:
    """The benchmark (jp.md §4): "2030年度を目標年度として、事業者平均のPUEを1.4以下とする", the operator average
    weighted by total energy (I-4) over its DCs in the size test "年度を通して稼働したDCに限る" (full_period), of the
    operator whose DC business uses 1,500 kl or more (all its DCs count, in the size test or not, I-2);
    from 1 April 2030 (I-5). The operator is judged on the latest fiscal year any of its DCs in (or perhaps
    in) the size test has ended; a figure a member lacks is never left out (docs/language.md, "Operator
    rules and aggregates"): a sum is at least its known part, a weighted mean with a doubtful member unknown."""
    own = [judged_period(m, as_of, FISCAL) for m in members]
    scopes = [in_scope(m, found[2] if found else {}) for m, found in zip(members, own)]
    labels = [found[2]["period"] for found, scope in zip(own, scopes) if found and scope is not False]
    year = max(int(label[2:]) for label in labels) if labels else (as_of.year - 1 if as_of >= datetime.date(
        as_of.year, 3, 31) else as_of.year - 2)
    figures = [next((p for p in m.get("periods", []) if p["period"] == f"FY{year}"), None) for m in members]
    covered = at_least([U if f is None else crude_oil(f) for f in figures], 1500.0)
    counted, doubtful, values = 0, False, []
    for scope, f in zip(scopes, figures):
        if scope is False:
            continue
        full = U if f is None else get(f, "full_period") is not False
        if full is False:
            continue
        if scope is U or full is U:
            doubtful = True
            continue
        counted += 1
        values.append((div(get(f, "energy.total"), get(f, "energy.it")), get(f, "energy.total")))
    if doubtful or not counted or any(v is U or w is U for v, w in values):
        mean = U
    else:
        mean = sum(v * w for v, w in values) / sum(w for _, w in values)
    end = datetime.date(year + 1, 3, 31)
    return {"benchmark_pue": rule(applies=covered, in_force=datetime.date(2030, 4, 1), as_of=as_of, period_end=end,
                                  require=lambda: cmp(mean, "<=", 1.4))}


def generate(rng) -> tuple[list, datetime.date]:
    """One operator: one to three DCs judged at one date."""
    first, as_of = _facility(rng)
    if rng.random() < 0.3:
        as_of = Edges(rng).day_around(datetime.date(2030, 4, 1), 400)
    return [first] + [_facility(rng, as_of)[0] for _ in range(rng.choice((0, 0, 1, 2)))], as_of


def _facility(rng, as_of=None) -> tuple[dict, datetime.date]:
    edges = Edges(rng)
    started = edges.pick(edges.day_around(NEW_FROM, 500), datetime.date(2031, 3, 31), datetime.date(2028, 2, 29),
                         datetime.date(rng.randint(2015, 2033), rng.randint(1, 12), rng.randint(1, 28)))
    as_of = as_of or edges.pick(edges.day_around(first_april_after(plus_years(started, 2)) or NEW_FROM, 400),
                                datetime.date(rng.randint(2026, 2038), rng.randint(1, 12), rng.randint(1, 28)))
    periods = []
    for year in years(edges, as_of, fiscal=True):
        it = edges.pick(1_000_000, 4_000_000, 5_000_000, 6_000_000, 10_000_000)
        total, it = [edges.maybe(q, 0.06) for q in _pue_pair(edges, it)]
        entry = {"period": f"FY{year}", "energy": {"total": total, "it": it},
                 "low_utilisation_cause": edges.maybe(edges.chance(0.5), 0.5),
                 "full_period": edges.maybe(edges.chance(0.8), 0.6)}
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

