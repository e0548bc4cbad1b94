"""Evaluation semantics end to end: small policies as text, facilities as YAML, real outcomes.

Each test follows docs/dev/policy-authoring-brief.md, "How a rule is evaluated".
"""

from __future__ import annotations

import datetime
import textwrap
from pathlib import Path

import pytest

from dcpolicy.dsl.checker import check
from dcpolicy.dsl.parser import parse
from dcpolicy.evaluator.compiler import compile_policy
from dcpolicy.evaluator.engine import evaluate
from dcpolicy.evaluator.inputs import load_inputs
from dcpolicy.cli.phrasing import gap_text, reason, scope_reason

D = datetime.date


# ---------------------------------------------------------------- helpers
def make_plan(body: str, calendar: str = "calendar-year"):
    text = textwrap.dedent(f"""\
        jurisdiction xx "Testland"
          law          "Test Act"
          legal-status in-force
          calendar     {calendar}
        define pue = period.energy.total / period.energy.it
        """) + textwrap.dedent(body)
    return compile_policy(check(parse(text), text), "0" * 64)


def load(tmp_path: Path, text: str, name: str = "site.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_inputs([str(path)])


def site(tmp_path: Path, fields: str = "", periods: str = "", name: str = "site.yaml"):
    """One facility `a`; `fields` and `periods` are YAML fragments (dedented)."""
    text = "id: a\nname: Site A\n" + textwrap.dedent(fields)
    if periods:
        text += "periods:\n" + textwrap.indent(textwrap.dedent(periods), "  ")
    return load(tmp_path, text, name)


def result(run, rule: str, facility: str | None = None):
    found = [r for e in run.evaluations if facility in (None, e.facility) for r in e.results
             if r.rule == f"xx.{rule}"]
    assert len(found) == 1, found
    return found[0]


def evaluation(run, facility: str = "a"):
    return next(e for e in run.evaluations if e.facility == facility)


PUE_15 = """\
- period: 2025
  energy: {total: 15 GWh, it: 10 GWh}
"""


# ---------------------------------------------------------------- three-valued logic in a rule
LOGIC = make_plan("""\
    rule both "and"
      cite    "T §1"
      require facility.power.it_installed >= 1 MW and facility.design_pue <= 1.3
    rule either "or"
      cite    "T §2"
      require facility.power.it_installed >= 1 MW or facility.design_pue <= 1.3
    """)
A_TRUE, A_FALSE = "power: {it_installed: 2 MW}\n", "power: {it_installed: 500 kW}\n"
B_TRUE, B_FALSE = "design_pue: 1.2\n", "design_pue: 1.5\n"
A_FIELD, B_FIELD = "facility.power.it_installed", "facility.design_pue"


@pytest.mark.parametrize(("rule", "fields", "verdict", "missing"), [
    ("both", B_TRUE, "unknown", (A_FIELD,)),    # unknown and true = unknown
    ("both", B_FALSE, "fail", ()),              # unknown and false = false
    ("both", A_TRUE, "unknown", (B_FIELD,)),    # true and unknown = unknown
    ("both", A_FALSE, "fail", ()),              # false and unknown = false
    ("both", "", "unknown", (A_FIELD, B_FIELD)),
    ("either", B_TRUE, "pass", ()),             # unknown or true = true
    ("either", B_FALSE, "unknown", (A_FIELD,)),  # unknown or false = unknown
    ("either", A_TRUE, "pass", ()),             # true or unknown = true
    ("either", A_FALSE, "unknown", (B_FIELD,)),  # false or unknown = unknown
], ids=["U-and-T", "U-and-F", "T-and-U", "F-and-U", "U-and-U", "U-or-T", "U-or-F", "T-or-U", "F-or-U"])
def test_three_valued_logic_in_require(tmp_path, rule, fields, verdict, missing):
    run = evaluate([LOGIC], site(tmp_path, fields), D(2026, 5, 1))
    r = result(run, rule)
    assert r.verdict == verdict
    assert r.missing == missing
    if verdict == "unknown":
        assert reason(r).startswith("cannot decide the requirement: missing ")
        assert all(field in reason(r) for field in missing)


def test_unknown_shows_the_limit_of_the_undecided_comparison(tmp_path):
    # the first comparison is decided (2 MW >= 1 MW); what is open is design_pue <= 1.3
    run = evaluate([LOGIC], site(tmp_path, A_TRUE), D(2026, 5, 1))
    r = result(run, "both")
    assert r.value is None and r.limit == pytest.approx(1.3)


# ---------------------------------------------------------------- in force: from / until
IN_FORCE = make_plan("""\
    rule fixed "fixed date"
      cite    "T §3"
      from    2027-07-01
      require pue <= 1.5
    rule grace "two years after start"
      cite    "T §4"
      from    facility.started + 2 years
      require pue <= 1.5
    rule ends "until"
      cite    "T §5"
      until   2030-12-31
      require pue <= 1.5
    """)
PERIODS_2025_2026 = PUE_15 + """\
- period: 2026
  energy: {total: 14 GWh, it: 10 GWh}
"""


def test_fixed_from_day_before_is_not_in_force(tmp_path):
    run = evaluate([IN_FORCE], site(tmp_path, "started: 2020-01-01\n", PERIODS_2025_2026), D(2027, 6, 30))
    r = result(run, "fixed")
    assert r.verdict == "not_in_force"
    assert r.in_force_from == D(2027, 7, 1)
    assert "in force from 2027-07-01" in reason(r) and "2027-06-30" in reason(r)


def test_fixed_from_day_of_is_in_force(tmp_path):
    run = evaluate([IN_FORCE], site(tmp_path, "started: 2020-01-01\n", PERIODS_2025_2026), D(2027, 7, 1))
    r = result(run, "fixed")
    assert r.verdict == "pass"
    assert r.in_force_from == D(2027, 7, 1)
    assert r.period == "2026"


@pytest.mark.parametrize(("started", "day_before", "day_of"), [
    ("2024-03-15", D(2026, 3, 14), D(2026, 3, 15)),
    ("2024-02-29", D(2026, 2, 27), D(2026, 2, 28)),   # 29 Feb + 2 years = 28 Feb (end of month)
], ids=["ordinary", "29-feb"])
def test_computed_from(tmp_path, started, day_before, day_of):
    loaded = site(tmp_path, f"started: {started}\n", PERIODS_2025_2026)
    before = result(evaluate([IN_FORCE], loaded, day_before), "grace")
    assert before.verdict == "not_in_force"
    assert before.in_force_from == day_of
    on = result(evaluate([IN_FORCE], loaded, day_of), "grace")
    assert on.verdict == "pass"
    assert on.in_force_from == day_of


def test_computed_from_unknown_start(tmp_path):
    r = result(evaluate([IN_FORCE], site(tmp_path, "", PERIODS_2025_2026), D(2030, 1, 1)), "grace")
    assert r.verdict == "unknown"
    assert r.missing == ("facility.started",)
    assert "when the rule comes into force" in reason(r)


def test_until_day_of_and_day_after(tmp_path):
    loaded = site(tmp_path, "started: 2020-01-01\n", PERIODS_2025_2026)
    assert result(evaluate([IN_FORCE], loaded, D(2030, 12, 31)), "ends").verdict == "pass"
    after = result(evaluate([IN_FORCE], loaded, D(2031, 1, 1)), "ends")
    assert after.verdict == "not_applicable"
    assert "no longer in force after 2030-12-31" in reason(after)


# ---------------------------------------------------------------- projection
def test_projection_when_period_ends_before_in_force(tmp_path):
    loaded = site(tmp_path, "started: 2020-01-01\n", PERIODS_2025_2026)
    r = result(evaluate([IN_FORCE], loaded, D(2027, 8, 1)), "fixed")  # latest period 2026 ends 2026-12-31
    assert r.verdict == "pass"
    assert r.projection is True
    assert r.period == "2026"
    assert reason(r).startswith("projection")
    assert "2027-07-01" in reason(r)


def test_no_projection_once_period_ends_after_in_force(tmp_path):
    loaded = site(tmp_path, "started: 2020-01-01\n",
                  PERIODS_2025_2026 + "- period: 2027\n  energy: {total: 16 GWh, it: 10 GWh}\n")
    r = result(evaluate([IN_FORCE], loaded, D(2028, 1, 1)), "fixed")
    assert r.period == "2027"
    assert r.projection is False
    assert r.verdict == "fail"
    assert not reason(r).startswith("projection")


# ---------------------------------------------------------------- limits
LIMITS = make_plan("""\
    rule pue_max "PUE at most 1.5"
      cite    "T §6"
      require pue <= 1.5
    rule power_max "IT power at most 1.5 MW"
      cite    "T §7"
      require facility.power.it_installed <= 1.5 MW
    rule power_min "IT power at least 1500 kW"
      cite    "T §8"
      require facility.power.it_installed >= 1500 kW
    rule pue_exact "PUE at most 1.3"
      cite    "T §9"
      require pue <= 1.3
    rule pue_below "PUE below 1.3"
      cite    "T §10"
      require pue < 1.3
    """)


def test_value_exactly_at_limit_passes(tmp_path):
    r = result(evaluate([LIMITS], site(tmp_path, "", PUE_15), D(2026, 5, 1)), "pue_max")
    assert r.verdict == "pass"
    assert r.value == pytest.approx(1.5) and r.limit == pytest.approx(1.5)
    assert "meets <= 1.5" in reason(r)


def test_value_just_over_limit_fails_with_gap(tmp_path):
    periods = "- period: 2025\n  energy: {total: 15.01 GWh, it: 10 GWh}\n"
    r = result(evaluate([LIMITS], site(tmp_path, "", periods), D(2026, 5, 1)), "pue_max")
    assert r.verdict == "fail"
    assert "is above the limit 1.5" in reason(r)
    assert r.gap is not None and "must fall" in gap_text(r.gap)


@pytest.mark.parametrize("written", ["1.5 MW", "1500 kW", "1500000 W", "0.0015 GW"])
def test_limit_equality_after_unit_conversion(tmp_path, written):
    run = evaluate([LIMITS], site(tmp_path, f"power: {{it_installed: {written}}}\n"), D(2026, 5, 1))
    for rule in ("power_max", "power_min"):
        r = result(run, rule)
        assert r.verdict == "pass", (rule, reason(r))
        assert r.value == pytest.approx(1500.0)
        assert r.unit == "kW"


def test_float_noise_at_limit(tmp_path):
    # 8.19 GWh / 6.3 GWh = 1.2999999999999998 in binary floating point; the figures say exactly 1.3
    periods = "- period: 2025\n  energy: {total: 8.19 GWh, it: 6.3 GWh}\n"
    run = evaluate([LIMITS], site(tmp_path, "", periods), D(2026, 5, 1))
    assert result(run, "pue_exact").verdict == "pass"
    assert result(run, "pue_below").verdict == "fail"


def test_strict_less_than_fails_at_equality(tmp_path):
    periods = "- period: 2025\n  energy: {total: 13 GWh, it: 10 GWh}\n"
    run = evaluate([LIMITS], site(tmp_path, "", periods), D(2026, 5, 1))
    assert result(run, "pue_exact").verdict == "pass"
    r = result(run, "pue_below")
    assert r.verdict == "fail" and "is not below the limit 1.3" in reason(r)


# ---------------------------------------------------------------- fiscal years and period choice
FISCAL = make_plan("""\
    rule pue_max "PUE at most 1.4"
      cite    "T §11"
      require pue <= 1.4
    rule fy_2028 "started in FY2028"
      cite    "T §12"
      require fiscal_year(facility.started) == 2028
    """, calendar="fiscal-year from 04-01")
FY_PERIODS = """\
- period: FY2024
  energy: {total: 12 GWh, it: 10 GWh}
- period: FY2025
  energy: {total: 15 GWh, it: 10 GWh}
"""


@pytest.mark.parametrize(("as_of", "label", "verdict"), [
    (D(2026, 3, 30), "FY2024", "pass"),   # FY2025 has not ended yet
    (D(2026, 3, 31), "FY2025", "fail"),   # FY2025 ends on 31 March 2026
    (D(2026, 4, 1), "FY2025", "fail"),
])
def test_fiscal_period_choice_around_1_april(tmp_path, as_of, label, verdict):
    run = evaluate([FISCAL], site(tmp_path, "", FY_PERIODS), as_of)
    e = evaluation(run)
    assert e.period_kind == "fiscal"
    assert e.period == label
    r = result(run, "pue_max")
    assert r.period == label
    assert r.verdict == verdict


@pytest.mark.parametrize(("started", "verdict", "value"), [
    ("2029-03-31", "pass", 2028), ("2029-04-01", "fail", 2029),
])
def test_fiscal_year_function(tmp_path, started, verdict, value):
    r = result(evaluate([FISCAL], site(tmp_path, f"started: {started}\n", FY_PERIODS), D(2030, 1, 1)), "fy_2028")
    assert r.verdict == verdict
    assert r.value == value


@pytest.mark.parametrize("label", ["FY2024", "fy2024", " FY2024 "])
def test_explicit_period_label(tmp_path, label):
    run = evaluate([FISCAL], site(tmp_path, "", FY_PERIODS), D(2030, 1, 1), label)
    r = result(run, "pue_max")
    assert r.period == "FY2024"
    assert r.verdict == "pass" and r.value == pytest.approx(1.2)


def test_explicit_label_without_such_period_is_unknown(tmp_path):
    r = result(evaluate([FISCAL], site(tmp_path, "", FY_PERIODS), D(2030, 1, 1), "FY2019"), "pue_max")
    assert r.verdict == "unknown"
    assert r.period is None
    assert "period.energy.total" in r.missing


def test_calendar_policy_ignores_fiscal_periods(tmp_path):
    r = result(evaluate([LIMITS], site(tmp_path, "", FY_PERIODS), D(2030, 1, 1)), "pue_max")
    assert r.verdict == "unknown"
    assert r.period is None
    assert r.missing[0].startswith("period (no reporting period")


# ---------------------------------------------------------------- reliefs
RELIEF = make_plan("""\
    rule pue_max "PUE at most 1.3"
      cite    "T §13"
      require pue <= 1.3
      exempt  facility.design_pue <= 1.28
        cite    "T §13(2)"
        because "the design PUE is at most 1.28"
    rule two_reliefs "PUE at most 1.3, two reliefs"
      cite    "T §14"
      require pue <= 1.3
      exempt  facility.design_pue <= 1.28
        cite    "T §14(2)"
        because "design"
      exempt  facility.public_sector
        cite    "T §14(3)"
        because "public body"
    """)
PUE_14 = "- period: 2025\n  energy: {total: 14 GWh, it: 10 GWh}\n"
PUE_12 = "- period: 2025\n  energy: {total: 12 GWh, it: 10 GWh}\n"


def test_exempt_when_require_false_and_relief_holds(tmp_path):
    r = result(evaluate([RELIEF], site(tmp_path, "design_pue: 1.25\n", PUE_14), D(2026, 5, 1)), "pue_max")
    assert r.verdict == "exempt"
    assert r.relief is not None
    assert (r.relief.keyword, r.relief.citation, r.relief.because) == (
        "exempt", "T §13(2)", "the design PUE is at most 1.28")
    assert "but exempt: the design PUE is at most 1.28 (T §13(2))" in reason(r)
    assert r.value == pytest.approx(1.4)


def test_fail_when_relief_does_not_hold(tmp_path):
    r = result(evaluate([RELIEF], site(tmp_path, "design_pue: 1.35\n", PUE_14), D(2026, 5, 1)), "pue_max")
    assert r.verdict == "fail"
    assert r.relief is None


def test_unknown_relief_makes_failure_unknown(tmp_path):
    r = result(evaluate([RELIEF], site(tmp_path, "", PUE_14), D(2026, 5, 1)), "pue_max")
    assert r.verdict == "unknown"
    assert r.missing == ("facility.design_pue",)
    assert "whether a relief applies" in reason(r)


def test_pass_needs_no_relief_facts(tmp_path):
    r = result(evaluate([RELIEF], site(tmp_path, "", PUE_12), D(2026, 5, 1)), "pue_max")
    assert r.verdict == "pass"
    assert r.missing == ()


def test_second_relief_used_when_first_false(tmp_path):
    loaded = site(tmp_path, "design_pue: 1.35\npublic_sector: true\n", PUE_14)
    r = result(evaluate([RELIEF], loaded, D(2026, 5, 1)), "two_reliefs")
    assert r.verdict == "exempt"
    assert r.relief.citation == "T §14(3)"


def test_later_relief_holds_although_earlier_is_unknown(tmp_path):
    # regression: the first unknown relief used to decide `unknown` (fixed in 2f1f6c5)
    loaded = site(tmp_path, "public_sector: true\n", PUE_14)
    r = result(evaluate([RELIEF], loaded, D(2026, 5, 1)), "two_reliefs")
    assert r.verdict == "exempt"


# ---------------------------------------------------------------- exclusions and scope
SCOPED = make_plan("""\
    scope "Data centres under the Test Act"
      cite    "T §2(1)"
      applies facility.power.nominal_connected >= 300 kW
      exclude facility.network_node
        cite    "T §2(2)"
        because "network nodes are not data centres"
    rule pue_max "PUE at most 1.5"
      cite    "T §15"
      require pue <= 1.5
      exclude facility.converted_building
        cite    "T §15(4)"
        because "converted buildings are assessed separately"
    rule advice "PUE at most 1.2 (advice)"
      cite     "T §16"
      severity advisory
      require  pue <= 1.2
    rule two_exclusions "PUE at most 1.5"
      cite    "T §17"
      require pue <= 1.5
      exclude facility.design_pue > 1.5
        because "design PUE above 1.5"
      exclude facility.public_sector
        because "public body"
    rule public_only "public bodies only"
      cite    "T §18"
      applies facility.public_sector
      require pue <= 1.5
      exclude facility.design_pue > 1.5
        because "design PUE above 1.5"
    """)
IN_SCOPE = "power: {nominal_connected: 1 MW}\n"


def test_rule_level_exclusion(tmp_path):
    run = evaluate([SCOPED], site(tmp_path, IN_SCOPE + "converted_building: true\n", PUE_15), D(2026, 5, 1))
    r = result(run, "pue_max")
    assert r.verdict == "not_applicable"
    assert reason(r) == "excluded: converted buildings are assessed separately (T §15(4))"
    assert r.relief.keyword == "exclude" and r.relief.citation == "T §15(4)"
    assert evaluation(run).status != "out_of_scope"


def test_scope_exclusion_is_out_of_scope(tmp_path):
    run = evaluate([SCOPED], site(tmp_path, IN_SCOPE + "network_node: true\n", PUE_15), D(2026, 5, 1))
    e = evaluation(run)
    assert e.status == "out_of_scope"
    assert all(r.verdict == "not_applicable" for r in e.results)
    assert scope_reason(e.scope) == "out of scope: network nodes are not data centres (T §2(2))"


def test_scope_applies_false_is_out_of_scope(tmp_path):
    run = evaluate([SCOPED], site(tmp_path, "power: {nominal_connected: 299 kW}\n", PUE_15), D(2026, 5, 1))
    e = evaluation(run)
    assert e.status == "out_of_scope"
    assert all(r.verdict == "not_applicable" for r in e.results)
    assert "T §2(1)" in scope_reason(e.scope)


def test_scope_threshold_is_inclusive(tmp_path):
    run = evaluate([SCOPED], site(tmp_path, "power: {nominal_connected: 0.3 MW}\n", PUE_15), D(2026, 5, 1))
    assert evaluation(run).status != "out_of_scope"


def test_unknown_scope_makes_every_rule_unknown(tmp_path):
    run = evaluate([SCOPED], site(tmp_path, "", PUE_15), D(2026, 5, 1))
    e = evaluation(run)
    assert e.status == "incomplete"
    assert all(r.verdict == "unknown" and r.missing == ("facility.power.nominal_connected",) for r in e.results)


def test_scope_exclusion_beats_unknown_applies(tmp_path):
    run = evaluate([SCOPED], site(tmp_path, "network_node: true\n", PUE_15), D(2026, 5, 1))
    assert evaluation(run).status == "out_of_scope"


def test_later_rule_exclusion_holds_although_earlier_is_unknown(tmp_path):
    # regression: the first unknown exclusion used to decide `unknown` (fixed in 2f1f6c5)
    run = evaluate([SCOPED], site(tmp_path, IN_SCOPE + "public_sector: true\n", PUE_15), D(2026, 5, 1))
    assert result(run, "two_exclusions").verdict == "not_applicable"


def test_unknown_exclusion_irrelevant_when_rule_does_not_apply(tmp_path):
    # regression: an unknown exclusion used to win over `applies` false (fixed in 2f1f6c5)
    run = evaluate([SCOPED], site(tmp_path, IN_SCOPE, PUE_15), D(2026, 5, 1))
    assert result(run, "public_only").verdict == "not_applicable"


# ---------------------------------------------------------------- statuses
@pytest.mark.parametrize(("fields", "periods", "status"), [
    ("power: {nominal_connected: 100 kW}\n", PUE_15, "out_of_scope"),
    (IN_SCOPE + "design_pue: 1.4\n", "- period: 2025\n  energy: {total: 16 GWh, it: 10 GWh}\n", "non_compliant"),
    (IN_SCOPE + "design_pue: 1.4\n", "- period: 2025\n  energy: {total: 15 GWh}\n", "incomplete"),
    (IN_SCOPE + "design_pue: 1.4\n", PUE_15, "compliant"),  # the advisory rule fails: still compliant
])
def test_statuses(tmp_path, fields, periods, status):
    run = evaluate([SCOPED], site(tmp_path, fields, periods), D(2026, 5, 1))
    assert evaluation(run).status == status
    if status == "compliant":
        assert result(run, "advice").verdict == "fail"


def test_non_compliant_wins_over_incomplete(tmp_path):
    # pue fails (mandatory), two_exclusions is unknown (design_pue missing)
    periods = "- period: 2025\n  energy: {total: 16 GWh, it: 10 GWh}\n"
    run = evaluate([SCOPED], site(tmp_path, IN_SCOPE, periods), D(2026, 5, 1))
    assert result(run, "two_exclusions").verdict == "unknown"
    assert evaluation(run).status == "non_compliant"


# ---------------------------------------------------------------- bands
BAND = make_plan("""\
    band pue_band "PUE band"
      cite  "T Annex 1"
      of    pue
      level "low"  (-inf, 1.3)
      level "mid"  [1.3, 1.35)
      level "high" [1.35, inf)
    """)


@pytest.mark.parametrize(("total", "level"), [
    ("12.99 GWh", "low"), ("13 GWh", "mid"), ("13.49 GWh", "mid"), ("13.5 GWh", "high"),
])
def test_band_edges(tmp_path, total, level):
    periods = f"- period: 2025\n  energy: {{total: {total}, it: 10 GWh}}\n"
    r = result(evaluate([BAND], site(tmp_path, "", periods), D(2026, 5, 1)), "pue_band")
    assert r.verdict == "pass"
    assert r.value == level
    assert f"is in level {level}" in reason(r)


def test_band_unknown_subject(tmp_path):
    periods = "- period: 2025\n  energy: {total: 13 GWh}\n"
    r = result(evaluate([BAND], site(tmp_path, "", periods), D(2026, 5, 1)), "pue_band")
    assert r.verdict == "unknown"
    assert r.value is None
    assert r.missing == ("period.energy.it",)


@pytest.mark.parametrize(("total", "it", "level"), [("8.19 GWh", "6.3 GWh", "mid"), ("8.37 GWh", "6.2 GWh", "high")])
def test_band_edges_with_float_noise(tmp_path, total, it, level):
    # 8.19/6.3 = 1.2999999999999998 and 8.37/6.2 = 1.3499999999999999: band bounds compare with the
    # limits' tolerance (regression, fixed in 2f1f6c5)
    periods = f"- period: 2025\n  energy: {{total: {total}, it: {it}}}\n"
    r = result(evaluate([BAND], site(tmp_path, "", periods), D(2026, 5, 1)), "pue_band")
    assert r.value == level


# ---------------------------------------------------------------- operator-level rules
OPERATOR = make_plan("""\
    scope "Data centres"
      cite    "T §2"
      applies facility.power.nominal_connected >= 300 kW
    rule benchmark "Operator-average PUE at most 1.4"
      cite     "T §19"
      severity target
      for      operator
      require  weighted_mean(pue by period.energy.total where period.full_period) <= 1.4
    rule pue_max "PUE at most 2"
      cite    "T §20"
      require pue <= 2
    """, calendar="fiscal-year from 04-01")
PORTFOLIO = """\
dcpolicy: portfolio/1
operator: acme
facilities:
  - id: a
    name: A
    power: {nominal_connected: 1 MW}
    periods:
      - period: FY2025
        energy: {total: 15 GWh, it: 10 GWh}
  - id: b
    name: B (part year)
    power: {nominal_connected: 1 MW}
    periods:
      - period: FY2025
        full_period: %s
        energy: {total: 30 GWh, it: 10 GWh}
  - id: c
    name: C (other operator)
    operator_id: other
    power: {nominal_connected: 1 MW}
    periods:
      - period: FY2025
        energy: {total: 13 GWh, it: 10 GWh}
  - id: d
    name: D (out of scope)
    power: {nominal_connected: 100 kW}
    periods:
      - period: FY2025
        energy: {total: 40 GWh, it: 10 GWh}
"""


def operator_result(run, operator: str):
    found = [o for o in run.operators if o.operator == operator]
    assert len(found) == 1
    (r,) = found[0].results
    return found[0], r


def test_operator_rule_leaves_out_part_year_facility(tmp_path):
    run = evaluate([OPERATOR], load(tmp_path, PORTFOLIO % "false"), D(2026, 8, 1))
    assert sorted(o.operator for o in run.operators) == ["acme", "other"]  # once per operator
    acme, r = operator_result(run, "acme")
    assert acme.period == "FY2025"
    assert acme.facilities == ("a", "b", "d")
    assert r.rule == "xx.benchmark"
    assert r.verdict == "fail"
    assert r.value == pytest.approx(1.5)  # only a: b is part-year, d out of scope
    other, r = operator_result(run, "other")
    assert other.facilities == ("c",)
    assert r.verdict == "pass" and r.value == pytest.approx(1.3)


def test_operator_rule_includes_full_period_facility(tmp_path):
    run = evaluate([OPERATOR], load(tmp_path, PORTFOLIO % "true"), D(2026, 8, 1))
    _, r = operator_result(run, "acme")
    assert r.value == pytest.approx((15 * 1.5 + 30 * 3.0) / 45)


def test_operator_rule_not_reported_per_facility(tmp_path):
    run = evaluate([OPERATOR], load(tmp_path, PORTFOLIO % "false"), D(2026, 8, 1))
    assert len(run.evaluations) == 4
    for e in run.evaluations:
        assert [r.rule for r in e.results] == ["xx.pue_max"]
    assert evaluation(run, "d").status == "out_of_scope"


def test_operator_period_label_without_periods_on_last_day(tmp_path):
    text = "dcpolicy: portfolio/1\noperator: acme\nfacilities:\n  - {id: a, name: A, power: {nominal_connected: 1 MW}}\n"
    run = evaluate([OPERATOR], load(tmp_path, text), D(2026, 3, 31))
    acme, _ = operator_result(run, "acme")
    assert acme.period == "FY2025"


def test_operator_rule_unknown_names_missing_field(tmp_path):
    text = (PORTFOLIO % "true").replace("energy: {total: 30 GWh, it: 10 GWh}", "energy: {total: 30 GWh}")
    run = evaluate([OPERATOR], load(tmp_path, text), D(2026, 8, 1))
    _, r = operator_result(run, "acme")
    assert r.verdict == "unknown"
    assert "period.energy.it" in r.missing


def test_operator_rule_unknown_when_member_lacks_fact(tmp_path):
    text = (PORTFOLIO % "true").replace("energy: {total: 30 GWh, it: 10 GWh}", "energy: {total: 30 GWh}")
    run = evaluate([OPERATOR], load(tmp_path, text), D(2026, 8, 1))
    _, r = operator_result(run, "acme")
    assert r.verdict == "unknown"


# ---------------------------------------------------------------- reports
REPORT = make_plan("""\
    report register "Register information"
      cite     "T §21"
      severity mandatory
      due      date(year(period.end) + 1, 3, 31)
      item  name   "1 Name" public facility.name
      item  pue_i  "2 PUE" public pue
      item  design "3 Design PUE" non-public facility.design_pue when year(facility.started) >= 2025
    """)


def test_report_complete(tmp_path):
    r = result(evaluate([REPORT], site(tmp_path, "started: 2020-01-01\n", PUE_15), D(2026, 5, 1)), "register")
    assert r.verdict == "pass"
    assert r.due == D(2026, 3, 31)
    assert [item[0] for item in r.items] == ["name", "pue_i"]  # `design` not required: when is false
    assert "all 2 items available for 2025" in reason(r)


def test_report_missing_item(tmp_path):
    periods = "- period: 2025\n  energy: {total: 15 GWh}\n"
    r = result(evaluate([REPORT], site(tmp_path, "started: 2020-01-01\n", periods), D(2026, 5, 1)), "register")
    assert r.verdict == "fail"
    assert r.missing == ("pue_i",)
    assert "incomplete: missing pue_i" in reason(r) and "due 2026-03-31" in reason(r)


def test_report_without_period_is_unknown(tmp_path):
    r = result(evaluate([REPORT], site(tmp_path, "started: 2020-01-01\n", PUE_15), D(2025, 12, 30)), "register")
    assert r.verdict == "unknown"
    assert r.period is None
    assert r.missing == ("period",)


def test_report_when_condition_true_requires_item(tmp_path):
    r = result(evaluate([REPORT], site(tmp_path, "started: 2025-06-01\n", PUE_15), D(2026, 5, 1)), "register")
    assert r.verdict == "fail"
    assert r.missing == ("design",)


def test_report_when_condition_unknown_lists_item(tmp_path):
    r = result(evaluate([REPORT], site(tmp_path, "design_pue: 1.3\n", PUE_15), D(2026, 5, 1)), "register")
    assert r.verdict == "fail"
    assert r.missing == ("design",)


# ---------------------------------------------------------------- earlier periods, known, first_known
HISTORY = make_plan("""\
    rule no_growth "no growth over the year before"
      cite    "T §22"
      require period.energy.total <= period[-1].energy.total
    rule reused "reused energy, this or last year"
      cite    "T §23"
      require first_known(period.energy.reused, period[-1].energy.reused) >= 1 GWh
    rule reported "reused energy reported"
      cite    "T §24"
      require known(period.energy.reused)
    """)
TWO_YEARS = """\
- period: 2024
  energy: {total: 16 GWh, it: 10 GWh, reused: 2 GWh}
- period: 2025
  energy: {total: 15 GWh, it: 10 GWh}
"""


def test_previous_period(tmp_path):
    run = evaluate([HISTORY], site(tmp_path, "", TWO_YEARS), D(2026, 5, 1))
    r = result(run, "no_growth")
    assert r.period == "2025"
    assert r.verdict == "pass"
    assert r.value == pytest.approx(15e6) and r.limit == pytest.approx(16e6)


def test_previous_period_missing(tmp_path):
    r = result(evaluate([HISTORY], site(tmp_path, "", TWO_YEARS), D(2025, 5, 1)), "no_growth")
    assert r.period == "2024"
    assert r.verdict == "unknown"
    assert r.missing == ("period[-1].energy.total",)


def test_first_known_and_known(tmp_path):
    run = evaluate([HISTORY], site(tmp_path, "", TWO_YEARS), D(2026, 5, 1))
    r = result(run, "reused")
    assert r.verdict == "pass" and r.value == pytest.approx(2e6)  # from 2024
    k = result(run, "reported")
    assert k.verdict == "fail" and k.missing == ()  # known() is never unknown


def test_first_known_all_unknown(tmp_path):
    r = result(evaluate([HISTORY], site(tmp_path, "", TWO_YEARS), D(2025, 5, 1)), "reused")
    assert r.verdict == "pass"  # 2024's own figure
    periods = "- period: 2025\n  energy: {total: 15 GWh, it: 10 GWh}\n"
    r = result(evaluate([HISTORY], site(tmp_path, "", periods, name="b.yaml"), D(2026, 5, 1)), "reused")
    assert r.verdict == "unknown"
    assert set(r.missing) == {"period.energy.reused", "period[-1].energy.reused"}


# ---------------------------------------------------------------- determinism
def test_evaluating_twice_gives_equal_results(tmp_path):
    loaded = load(tmp_path, PORTFOLIO % "false")
    first = evaluate([OPERATOR, SCOPED, RELIEF], loaded, D(2026, 8, 1))
    second = evaluate([OPERATOR, SCOPED, RELIEF], loaded, D(2026, 8, 1))
    assert first == second
    assert [(e.facility, e.jurisdiction, e.status) for e in first.evaluations] == \
        [(e.facility, e.jurisdiction, e.status) for e in second.evaluations]


def test_fresh_compile_and_load_give_equal_verdicts(tmp_path):
    a = evaluate([LOGIC, LIMITS], site(tmp_path, A_TRUE + B_FALSE, PUE_15), D(2026, 5, 1))
    b = evaluate([LOGIC, LIMITS], site(tmp_path, A_TRUE + B_FALSE, PUE_15, name="again.yaml"), D(2026, 5, 1))
    summary = [[(r.rule, r.verdict, r.value, r.limit, r.missing, reason(r)) for r in e.results] for e in a.evaluations]
    assert summary == [[(r.rule, r.verdict, r.value, r.limit, r.missing, reason(r)) for r in e.results]
                       for e in b.evaluations]
