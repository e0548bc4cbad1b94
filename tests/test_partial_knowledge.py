"""Issue 7 A1–A4 and C4: reliefs that decide without figures, partial knowledge in aggregates,
`missing` that names only facts that could change the outcome, reasons from the deciding branch,
and the gap as figures. Each test evaluates a small policy against a YAML facility."""

from __future__ import annotations

import json
import math

import pytest

from dcpolicy.evaluator import runtime
from dcpolicy.evaluator.engine import evaluate
from test_evaluator_semantics import D, PUE_15, load, make_plan, result, site
from dcpolicy.cli.phrasing import gap_text, reason

B = runtime.Bounds
U = runtime.UNKNOWN

# ---------------------------------------------------------------- A1: a proven relief decides
RELIEF = make_plan("""\
    define decommissioning_cutoff = 2027-07-01
    rule ems "EMS"
      cite     "T §12(1)"
      require  pue <= 1.5
      exempt   known(facility.planned_decommissioning)
               and facility.planned_decommissioning < decommissioning_cutoff
        cite    "T §12(6)"
        because "planned decommissioning before 1 July 2027"
      exempt   facility.design_pue <= 1.28
        cite    "T §12(7)"
        because "design PUE at most 1.28"
    """)
NO_FIGURES = "- period: 2025\n  energy: {total: 15 GWh}\n"  # energy.it missing: the requirement is undecidable


def test_relief_proven_while_requirement_figures_missing_is_exempt(tmp_path):
    r = result(evaluate([RELIEF], site(tmp_path, "planned_decommissioning: 2027-06-30\n", NO_FIGURES),
                        D(2026, 5, 1)), "ems")
    assert r.verdict == "exempt"
    assert r.missing == ()  # the missing energy.it cannot change an exempt verdict
    assert r.relief.citation == "T §12(6)"
    assert reason(r).startswith("exempt: planned decommissioning before 1 July 2027 (T §12(6))")


def test_relief_on_the_cutoff_day_does_not_hold_and_requirement_stays_unknown(tmp_path):
    # "vor dem 1. Juli 2027": 2027-07-01 itself is not before
    r = result(evaluate([RELIEF], site(tmp_path, "planned_decommissioning: 2027-07-01\ndesign_pue: 1.3\n",
                                       NO_FIGURES), D(2026, 5, 1)), "ems")
    assert r.verdict == "unknown"
    assert r.missing == ("period.energy.it",)  # reliefs are decided (false): only the requirement is open


def test_requirement_unknown_and_relief_undecidable_names_both(tmp_path):
    r = result(evaluate([RELIEF], site(tmp_path, "", NO_FIGURES), D(2026, 5, 1)), "ems")
    assert r.verdict == "unknown"
    assert r.missing == ("period.energy.it", "facility.design_pue")
    assert reason(r).startswith("cannot decide the requirement or a relief")


def test_passing_requirement_stays_pass_even_with_a_relief(tmp_path):
    r = result(evaluate([RELIEF], site(tmp_path, "planned_decommissioning: 2027-06-30\n", PUE_15),
                        D(2026, 5, 1)), "ems")
    assert r.verdict == "pass"


def test_failing_requirement_with_relief_keeps_its_figures(tmp_path):
    periods = "- period: 2025\n  energy: {total: 16 GWh, it: 10 GWh}\n"
    r = result(evaluate([RELIEF], site(tmp_path, "design_pue: 1.28\n", periods), D(2026, 5, 1)), "ems")
    assert r.verdict == "exempt" and r.value == pytest.approx(1.6) and r.limit == pytest.approx(1.5)
    assert reason(r).startswith("PUE 1.6 is above the limit 1.5, but exempt: design PUE at most 1.28")


# ---------------------------------------------------------------- A2: partial knowledge
AGGREGATES = make_plan("""\
    define crude_oil = first_known(period.energy.crude_oil_equivalent, period.energy.total * 8.64 MJ/kWh * 0.0258 kl/GJ)
    rule covered "Operator uses 1,500 kl or more"
      cite     "T §1"
      for      operator
      require  sum(crude_oil) >= 1500 kl
    rule largest "Largest site IT energy at least 10 GWh"
      cite     "T §2"
      for      operator
      require  maximum(period.energy.it) >= 10 GWh
    rule smallest "Smallest site IT energy at most 1 GWh"
      cite     "T §3"
      for      operator
      require  minimum(period.energy.it) <= 1 GWh
    rule sites "At least two large sites"
      cite     "T §4"
      for      operator
      require  count(facility.id where facility.power.it_installed >= 1 MW) >= 2
    """)


def portfolio(*members: str) -> str:
    return "dcpolicy: portfolio/1\noperator: acme\nfacilities:\n" + "".join(members)


def member(ident: str, energy: str, power: str = "") -> str:
    return (f"  - id: {ident}\n    name: {ident.upper()}\n{power}"
            f"    periods:\n      - period: 2025\n        energy: {{{energy}}}\n")


def operator_rule(run, rule: str):
    (operator,) = run.operators
    return next(r for r in operator.results if r.rule == f"xx.{rule}")


def test_sum_whose_known_part_reaches_the_threshold_is_decided(tmp_path):
    text = portfolio(member("a", "crude_oil_equivalent: 1600 kl, it: 5 GWh"), member("b", "it: 2 GWh"))
    r = operator_rule(evaluate([AGGREGATES], load(tmp_path, text), D(2026, 5, 1)), "covered")
    assert r.verdict == "pass"  # b's energy is never negative: the sum is at least 1,600 kl
    assert r.missing == ()
    assert reason(r) == "sum(crude_oil) at least 1600 kl (not all known) meets >= 1500 kl"
    assert r.value is None and r.limit == pytest.approx(1500.0)


def test_sum_exactly_at_the_threshold_from_the_known_part_is_decided(tmp_path):
    text = portfolio(member("a", "crude_oil_equivalent: 1500 kl, it: 5 GWh"), member("b", "it: 2 GWh"))
    assert operator_rule(evaluate([AGGREGATES], load(tmp_path, text), D(2026, 5, 1)), "covered").verdict == "pass"


def test_sum_whose_known_part_is_below_the_threshold_stays_unknown(tmp_path):
    text = portfolio(member("a", "crude_oil_equivalent: 1499 kl, it: 5 GWh"), member("b", "it: 2 GWh"))
    r = operator_rule(evaluate([AGGREGATES], load(tmp_path, text), D(2026, 5, 1)), "covered")
    assert r.verdict == "unknown"
    assert "period.energy.crude_oil_equivalent" in r.missing and "period.energy.total" in r.missing


def test_maximum_decided_once_a_known_member_reaches_it(tmp_path):
    text = portfolio(member("a", "total: 20 GWh, it: 12 GWh"), member("b", "total: 2 GWh"))
    run = evaluate([AGGREGATES], load(tmp_path, text), D(2026, 5, 1))
    assert operator_rule(run, "largest").verdict == "pass"
    assert operator_rule(run, "smallest").verdict == "unknown"  # b could be below 1 GWh or not


def test_minimum_decided_once_a_known_member_is_below(tmp_path):
    text = portfolio(member("a", "total: 1 GWh, it: 0.5 GWh"), member("b", "total: 2 GWh"))
    run = evaluate([AGGREGATES], load(tmp_path, text), D(2026, 5, 1))
    assert operator_rule(run, "smallest").verdict == "pass"
    assert operator_rule(run, "largest").verdict == "unknown"


def test_count_decided_by_known_members_beside_an_undecided_one(tmp_path):
    big = "    power: {it_installed: 2 MW}\n"
    text = portfolio(member("a", "it: 1 GWh", big), member("b", "it: 1 GWh", big), member("c", "it: 1 GWh"))
    assert operator_rule(evaluate([AGGREGATES], load(tmp_path, text), D(2026, 5, 1)), "sites").verdict == "pass"
    text = portfolio(member("a", "it: 1 GWh", big), member("c", "it: 1 GWh"))
    r = operator_rule(evaluate([AGGREGATES], load(tmp_path, text), D(2026, 5, 1)), "sites")
    assert r.verdict == "unknown" and r.missing == ("facility.power.it_installed",)


@pytest.mark.parametrize(("function", "args", "expected"), [
    (runtime.add, (B(10.0, math.inf), 5.0), B(15.0, math.inf)),
    (runtime.sub, (B(10.0, 20.0), B(1.0, 2.0)), B(8.0, 19.0)),
    (runtime.mul, (B(0.0, math.inf), 2.0), B(0.0, math.inf)),
    (runtime.div, (B(10.0, 20.0), 10.0), B(1.0, 2.0)),
    (runtime.div, (10.0, B(0.0, 5.0)), U),  # the divisor may be zero
    (runtime.neg, (B(1.0, 2.0),), B(-2.0, -1.0)),
    (runtime.ge, (B(1500.0, math.inf), 1500.0), True),
    (runtime.ge, (B(1000.0, 1499.0), 1500.0), False),
    (runtime.ge, (B(1000.0, math.inf), 1500.0), U),
    (runtime.lt, (B(1.0, 1.5), 1.5), U),  # 1.5 itself is not below 1.5
    (runtime.le, (B(1.0, 1.5), 1.5), True),
    (runtime.eq, (B(1.0, 2.0), 3.0), False),
    (runtime.power, (B(1.0, 2.0), 2.0), U),
    (runtime.add, (B(-math.inf, 0.0), B(0.0, math.inf)), U),  # nothing known
])
def test_interval_arithmetic(function, args, expected):
    assert function(*args) == expected


def test_bounds_are_unknown_for_known_and_first_known():
    assert not runtime.known(B(0.0, 1.0)) and runtime.is_unknown(B(0.0, 1.0))
    assert runtime.first_known(lambda: B(0.0, 1.0), lambda: 3.0) == 3.0
    assert runtime.first_known(lambda: B(0.0, 1.0), lambda: B(2.0, 5.0)) == B(0.0, 5.0)


# ---------------------------------------------------------------- A3: missing names what could matter
GUARDS = make_plan("""\
    define energy = first_known(period.energy.crude_oil_equivalent, period.energy.total * 0.2 kl/MWh)
    rule guarded "Guarded"
      cite     "T §5"
      require  (known(facility.planned_decommissioning) and facility.planned_decommissioning < 2027-07-01)
               or pue <= 1.5
    rule fallback "Fallback"
      cite     "T §6"
      require  energy >= 1500 kl and pue <= 1.5
    """)


def test_fact_under_a_decided_known_guard_is_not_missing(tmp_path):
    r = result(evaluate([GUARDS], site(tmp_path, "", NO_FIGURES), D(2026, 5, 1)), "guarded")
    assert r.verdict == "unknown" and r.missing == ("period.energy.it",)


def test_fallback_first_known_no_longer_needs_is_not_missing(tmp_path):
    periods = "- period: 2025\n  energy: {crude_oil_equivalent: 2000 kl, total: 15 GWh}\n"
    r = result(evaluate([GUARDS], site(tmp_path, "", periods), D(2026, 5, 1)), "fallback")
    assert r.verdict == "unknown" and r.missing == ("period.energy.it",)


def test_both_first_known_arguments_missing_are_named(tmp_path):
    periods = "- period: 2025\n  energy: {it: 10 GWh}\n"
    r = result(evaluate([GUARDS], site(tmp_path, "", periods), D(2026, 5, 1)), "fallback")
    assert r.missing == ("period.energy.crude_oil_equivalent", "period.energy.total")


# ---------------------------------------------------------------- A4: reasons from the deciding branch
EMS = make_plan("""\
    define ems_deadline = 2025-07-01
    rule ems "EMS in time"
      cite     "T §12(1)"
      require  facility.management_system.since <= ems_deadline
               or facility.management_system.since <= facility.started + 0 days
    rule scoped "Either"
      cite     "T §7"
      applies  facility.design_pue <= 1.3 or facility.power.it_installed >= 1 MW
      require  pue <= 1.5
    """)


def test_pass_through_second_branch_names_that_branch(tmp_path):
    fields = "started: 2026-06-01\nmanagement_system: {standard: ISO 50001, since: 2026-06-01}\n"
    r = result(evaluate([EMS], site(tmp_path, fields), D(2026, 8, 1)), "ems")
    assert r.verdict == "pass"
    assert reason(r) == ("facility.management_system.since 2026-06-01 meets <= 2026-06-01 "
                        "(facility.started + 0 days)")
    assert r.value == D(2026, 6, 1) and r.limit == D(2026, 6, 1)


def test_pass_through_first_branch_names_the_deadline(tmp_path):
    fields = "started: 2020-01-01\nmanagement_system: {standard: ISO 50001, since: 2025-07-01}\n"
    r = result(evaluate([EMS], site(tmp_path, fields), D(2026, 8, 1)), "ems")
    assert reason(r) == "facility.management_system.since 2025-07-01 meets <= 2025-07-01 (ems_deadline)"


def test_not_applicable_names_the_failing_branch_of_an_and(tmp_path):
    r = result(evaluate([EMS], site(tmp_path, "design_pue: 1.5\npower: {it_installed: 500 kW}\n", PUE_15),
                        D(2026, 8, 1)), "scoped")
    assert r.verdict == "not_applicable"
    assert reason(r).startswith("does not apply: facility.design_pue <= 1.3 or facility.power.it_installed >= 1 MW")


# ---------------------------------------------------------------- C4: the gap as figures
SHARES = make_plan("""\
    rule renewable "Renewable at least 50 %"
      cite     "T §11(5)"
      require  period.energy.renewable / period.energy.total >= 50 %
    rule reuse "Some heat reused"
      cite     "T §26"
      require  period.energy.reused > 0 kWh
    rule pue_limit "PUE at most 1.3"
      cite     "T §11"
      require  pue <= 1.3
    """)


def test_gap_in_points_for_a_share(tmp_path):
    periods = "- period: 2025\n  energy: {total: 10 GWh, it: 8 GWh, renewable: 3.8 GWh, reused: 0 kWh}\n"
    r = result(evaluate([SHARES], site(tmp_path, "", periods), D(2026, 5, 1)), "renewable")
    assert r.gap.unit == "points" and r.gap.change == pytest.approx(12.0)
    assert gap_text(r.gap) == "period.energy.renewable / period.energy.total must rise by 12 points"


def test_strict_minimum_at_zero_says_above(tmp_path):
    periods = "- period: 2025\n  energy: {total: 10 GWh, it: 8 GWh, renewable: 3.8 GWh, reused: 0 kWh}\n"
    r = result(evaluate([SHARES], site(tmp_path, "", periods), D(2026, 5, 1)), "reuse")
    assert reason(r) == "period.energy.reused 0 kWh does not exceed 0 kWh"
    assert r.gap.strict and gap_text(r.gap) == "period.energy.reused must rise above 0 kWh"


def test_gap_figures_in_json(tmp_path, capsys):
    from dcpolicy.cli import render
    periods = "- period: 2025\n  energy: {total: 14 GWh, it: 10 GWh}\n"
    run = evaluate([SHARES], site(tmp_path, "", periods), D(2026, 5, 1))
    document = json.loads(render.to_json(run, explain=False))
    out = next(r for r in document["evaluations"][0]["results"] if r["rule"] == "xx.pue_limit")
    detail = out["gap_detail"]
    assert detail["metric"] == "PUE" and detail["operator"] == "<="
    assert detail["value"] == pytest.approx(1.4) and detail["limit"] == pytest.approx(1.3)
    assert detail["change"] == pytest.approx(-0.1)
    assert detail["energy"] == {"fact": "period.energy.total", "change": pytest.approx(-1_000_000.0),
                                "unit": "kWh", "at_same": "period.energy.it"}
    assert out["gap"].startswith("PUE must fall by 0.1")


# ---------------------------------------------------------------- members whose scope is undecided
SCOPED = make_plan("""\
    scope "Data centres of 300 kW or more"
      cite    "T §2"
      applies facility.power.nominal_connected >= 300 kW
    rule benchmark "Operator-average PUE at most 1.4"
      cite     "T §19"
      severity target
      for      operator
      require  weighted_mean(pue by period.energy.total) <= 1.4
    rule reporting "Every facility reports its IT energy"
      cite     "T §20"
      for      operator
      require  all(known(period.energy.it))
    """)


def test_member_with_undecided_scope_is_not_silently_left_out(tmp_path):
    in_scope = "    power: {nominal_connected: 1 MW}\n"
    text = portfolio(member("a", "total: 12 GWh, it: 10 GWh", in_scope), member("b", "total: 20 GWh, it: 10 GWh"))
    run = evaluate([SCOPED], load(tmp_path, text), D(2026, 5, 1))
    r = operator_rule(run, "benchmark")
    # a alone has PUE 1.2, but b (PUE 2.0) may be in scope: the mean is 1.2 or 1.64
    assert r.verdict == "unknown"
    assert r.missing == ("facility.power.nominal_connected",)
    assert "facility.power.nominal_connected (facility b, for the scope)" in reason(r)
    # b's IT energy is known, so whether it counts or not, every facility reports it
    assert operator_rule(run, "reporting").verdict == "pass"


def test_member_out_of_scope_is_left_out(tmp_path):
    text = portfolio(member("a", "total: 12 GWh, it: 10 GWh", "    power: {nominal_connected: 1 MW}\n"),
                     member("b", "total: 20 GWh, it: 10 GWh", "    power: {nominal_connected: 100 kW}\n"))
    r = operator_rule(evaluate([SCOPED], load(tmp_path, text), D(2026, 5, 1)), "benchmark")
    assert r.verdict == "pass" and r.value == pytest.approx(1.2)


def test_summary_and_markdown_show_the_gap(tmp_path):
    from dcpolicy.cli import render
    periods = "- period: 2025\n  energy: {total: 14 GWh, it: 10 GWh}\n"
    run = evaluate([SHARES], site(tmp_path, "", periods), D(2026, 5, 1))
    gap = "PUE must fall by 0.1 — about 1 GWh less period.energy.total at the same period.energy.it"
    assert f"             gap: {gap}" in render.to_summary(run).splitlines()
    assert f"<br>**gap:** {gap} |" in render.to_markdown(run, explain=False)
