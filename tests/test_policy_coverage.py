"""The shipped policies are complete: every stable rule id of the result contract exists, every
rule is exercised by policy test cases, and every case names the article it tests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dcpolicy.cli.cases import case_files, load_cases
from dcpolicy.dsl.loader import load_policy

ROOT = Path(__file__).resolve().parents[1]
POLICIES = {path.name: load_policy(path) for path in sorted((ROOT / "policies").glob("*.policy"))}
CASES = [case for path in case_files([]) for case in load_cases(path)]

# The stable ids of ../shared/contracts/result-v1.md ("Stable rule identifiers").
CONTRACT_IDS = """
jp.pue_standard jp.benchmark_pue jp.pue_band jp.periodic_report jp.intensity_improvement
de.pue_existing_2027 de.pue_existing_2030 de.pue_new de.erf_new de.renewable_50 de.renewable_100
de.ems de.ems_certified de.register
cn.pue_large_new cn.pue_hub_node cn.gb40879_limit cn.gb40879_grade
eu.report eu.code_of_conduct eu.waste_heat
""".split()

CITES = re.compile(r"§|Art\.|Annex|Anlage|METI|GB 40879|EED|DR 2024|digest|[a-z]{2}\.md|行动计划|专项|方案|第.条|DB11|\b[LDR]\. \d{3}|Bijlage", re.I)


def _rule_ids() -> list[str]:
    return [f"{checked.code}.{rule.name}" for checked in POLICIES.values() for rule in checked.policy.rules]


def test_every_contract_rule_id_is_implemented():
    assert set(CONTRACT_IDS) <= set(_rule_ids())


@pytest.mark.parametrize("rule_id", _rule_ids())
def test_every_rule_has_policy_test_cases(rule_id):
    expected = [case for case in CASES if any(str(key).split("@")[0] == rule_id for key in case.expect)]
    assert len(expected) >= 2, f"{rule_id} needs test cases at its edges"


def test_at_least_150_cases_across_the_four_regimes():
    assert len(CASES) >= 150
    assert {case.policy for case in CASES} >= {"jp", "de", "cn", "eu"}


def test_every_case_names_the_article_it_tests():
    assert [case.name for case in CASES if not CITES.search(case.name)] == []


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_every_rule_cites_and_the_policy_checks_clean(name):
    checked = POLICIES[name]
    assert not checked.warnings
    for rule in checked.policy.rules:
        assert rule.value("cite"), f"{checked.code}.{rule.name} has no citation"


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_shipped_policies_are_in_canonical_layout(name):
    from dcpolicy.dsl.formatter import format_policy

    checked = POLICIES[name]
    assert format_policy(checked.policy, checked.source) == checked.source, f"run: policy fmt --write policies/{name}"


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_every_rule_points_at_the_digest_or_primary_text_for_its_values(name):
    checked = POLICIES[name]
    for rule in checked.policy.rules:
        notes = [c.value for c in rule.clauses if c.keyword == "note"]
        assert any(re.search(r"[a-z]{2}\.md|digest", note, re.I) for note in notes), \
            f"{checked.code}.{rule.name}: add a note naming the digest section its thresholds and dates come from"
