"""Territories: the header clause, location.subdivision, and `-j home` (each site under its own law)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dcpolicy.cli.main import main
from dcpolicy.dsl.checker import check
from dcpolicy.dsl.diagnostics import DiagnosticError
from dcpolicy.dsl.formatter import format_policy
from dcpolicy.dsl.parser import parse
from dcpolicy.dsl.territory import EU_MEMBER_STATES, contains, why_not_a_territory

ROOT = Path(__file__).resolve().parents[1]
PORTFOLIO = str(ROOT / "examples" / "portfolio.yaml")
FRA = str(ROOT / "examples" / "fra-3.yaml")


def _eval(capsys, *args):
    code = main(["eval", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _pairs(out: str) -> list[tuple[str, str]]:
    return [(e["facility"], e["jurisdiction"]) for e in json.loads(out)["evaluations"]]


# ---------------------------------------------------------------- the language
def test_territory_is_a_header_clause_with_its_value_in_the_header():
    policy = parse('jurisdiction cn_sh "Shanghai"\n  territory "CN-SH"\n', "t.policy")
    assert policy.header.territory == "CN-SH"
    assert policy.header.clause_spans("territory")[0].line == 2


def test_the_formatter_writes_territory_after_source():
    source = 'jurisdiction de "Germany"\n  calendar calendar-year\n  territory "DE"\n  law "EnEfG"\n'
    assert format_policy(parse(source, "t.policy"), source).splitlines()[1:4] == [
        '  law       "EnEfG"', '  territory "DE"', "  calendar  calendar-year"]


@pytest.mark.parametrize("text", ["DE", "CN-SH", "EU", "US-CA", "JP-13"])
def test_valid_territories(text):
    assert why_not_a_territory(text) is None


@pytest.mark.parametrize("text, words", [("de", 'capitals: "DE"'), ("Germany", "not an ISO 3166-1"),
                                         ("DEU", "not an ISO"), ("CN-", "not an ISO")])
def test_invalid_territories_are_e404(text, words):
    source = f'jurisdiction de "Germany"\n  territory "{text}"\n'
    with pytest.raises(DiagnosticError) as caught:
        check(parse(source, "t.policy"), source)
    rendered = caught.value.render()
    assert "E404" in rendered and words in rendered and "t.policy:2:3" in rendered


def test_a_territory_written_twice_is_e508():
    source = 'jurisdiction de "Germany"\n  territory "DE"\n  territory "FR"\n'
    with pytest.raises(DiagnosticError) as caught:
        check(parse(source, "t.policy"), source)
    assert 'E508 the header says "territory" twice' in caught.value.render()


def test_containment():
    assert contains("DE", "DE") and not contains("DE", "FR")
    assert contains("EU", "IE") and contains("EU", "DE") and not contains("EU", "CN") and not contains("EU", "GB")
    assert len(EU_MEMBER_STATES) == 27
    assert contains("CN-SH", "CN", "CN-SH") and not contains("CN-SH", "CN", "CN-BJ") and not contains("CN-SH", "CN")
    assert contains("CN", "CN", "CN-SH")  # a national regime reaches every region
    assert not contains(None, "DE") and not contains("DE", None)


def test_every_shipped_policy_declares_its_territory():
    from dcpolicy.cli.api import compile_plans, shipped_policies

    plans = {p.code: p.territory for p in compile_plans(shipped_policies().values())}
    assert plans == {"cn": "CN", "cn_bj": "CN-BJ", "de": "DE", "de_draft_2026": "DE", "eu": "EU", "ie": "IE", "jp": "JP",
                     "sg": "SG", "fr": "FR", "nl": "NL", "us_ca": "US-CA"}


# ---------------------------------------------------------------- the facility
def _facility(tmp_path, location: str) -> str:
    path = tmp_path / "site.yaml"
    path.write_text(f"id: s-1\nname: Site\nlocation: {location}\n", encoding="utf-8")
    return str(path)


def test_subdivision_must_be_an_iso_3166_2_code(tmp_path, capsys):
    code, _, err = _eval(capsys, "-j", "cn", _facility(tmp_path, "{country: CN, subdivision: Shanghai}"))
    assert code == 2
    assert 'location.subdivision "Shanghai" is not an ISO 3166-2 subdivision code' in err and "F205" in err


def test_subdivision_must_lie_in_the_country(tmp_path, capsys):
    code, _, err = _eval(capsys, "-j", "cn", _facility(tmp_path, "{country: DE, subdivision: CN-SH}"))
    assert code == 2
    assert "F206 location.subdivision CN-SH is not in location.country DE" in err


# ---------------------------------------------------------------- -j home
def test_home_judges_each_site_under_its_own_law_and_the_portfolio_passes(capsys):
    code, out, _ = _eval(capsys, "-j", "home", "--as-of", "2026-06-01", "--format", "json", PORTFOLIO)
    assert code == 0
    assert _pairs(out) == [("tokyo-1", "jp"), ("fra-3", "de"), ("fra-3", "eu"), ("shanghai-2", "cn"),
                           ("dublin-1", "eu"), ("dublin-1", "ie"), ("beijing-1", "cn"), ("beijing-1", "cn_bj"),
                           ("ennis-1", "eu"), ("ennis-1", "ie"), ("singapore-1", "sg"),
                           ("paris-2", "eu"), ("paris-2", "fr"), ("amsterdam-4", "eu"), ("amsterdam-4", "nl"),
                           ("san-jose-1", "us_ca")]
    # the operator rule of Japan groups only the Japanese site
    operators = json.loads(out)["operators"]
    assert [(o["operator"], o["facilities"]) for o in operators] == [("example-dc-japan", ["tokyo-1"])]


def test_all_still_judges_every_site_under_every_regime_and_fails_on_foreign_law(capsys):
    code, out, _ = _eval(capsys, "-j", "all", "--as-of", "2026-06-01", "--format", "json", PORTFOLIO)
    assert code == 1 and len(_pairs(out)) == 10 * 8  # every site × every main regime


def test_without_j_every_site_with_a_country_is_judged_at_home(capsys):
    code, out, _ = _eval(capsys, "--as-of", "2026-06-01", "--format", "json", PORTFOLIO)
    assert code == 0 and len(_pairs(out)) == 16  # jp; de, eu; cn; eu, ie; cn, cn_bj; eu, ie; sg; eu, fr; eu, nl; us_ca


def test_without_j_a_site_without_a_country_means_all(tmp_path, capsys):
    path = tmp_path / "nowhere.yaml"
    path.write_text("id: n-1\nname: Nowhere\n", encoding="utf-8")
    code, out, _ = _eval(capsys, "--as-of", "2026-06-01", "--format", "json", str(path))
    assert [j for _, j in _pairs(out)] == ["jp", "de", "cn", "eu", "ie", "sg", "fr", "nl"]


def test_home_with_codes_adds_them_for_every_site(capsys):
    code, out, _ = _eval(capsys, "-j", "home,jp", "--as-of", "2026-06-01", "--format", "json", FRA)
    assert _pairs(out) == [("fra-3", "jp"), ("fra-3", "de"), ("fra-3", "eu")]


def test_explicit_home_needs_every_country(tmp_path, capsys):
    path = tmp_path / "nowhere.yaml"
    path.write_text("id: n-1\nname: Nowhere\n", encoding="utf-8")
    code, _, err = _eval(capsys, "-j", "home", str(path))
    assert code == 2
    assert "n-1" in err and "has no location.country" in err and "-j de,eu" in err


def test_a_site_no_regime_governs_is_named_on_stderr(tmp_path, capsys):
    code, out, err = _eval(capsys, "-j", "home", "--format", "json", _facility(tmp_path, "{country: US}"))
    assert code == 0 and _pairs(out) == []
    assert "no regime among jp, de, cn, eu, ie, sg, fr, nl, cn_bj, us_ca governs the location of s-1" in err


def test_a_regional_site_falls_under_its_national_regime(capsys):
    code, out, _ = _eval(capsys, "-j", "home", "--as-of", "2026-06-01", "--format", "json",
                         str(ROOT / "examples" / "shanghai-2.yaml"))
    assert _pairs(out) == [("shanghai-2", "cn")]


def test_an_unknown_code_beside_home_is_a_usage_error(capsys):
    code, _, err = _eval(capsys, "-j", "home,xx", FRA)
    assert code == 2 and 'unknown jurisdiction "xx"' in err


REGIONAL = """\
jurisdiction cn_sh "Shanghai"
  law       "Shanghai data-centre measures (test)"
  territory "CN-SH"
  calendar  calendar-year
define pue = period.energy.total / period.energy.it
rule pue_shanghai "PUE at most 1.25 in Shanghai (test)"
  cite     "§1"
  severity target
  require  pue <= 1.25
"""


def test_a_regional_policy_given_with_policy_judges_only_its_subdivision_under_home(tmp_path, capsys):
    policy = tmp_path / "cn-sh.policy"
    policy.write_text(REGIONAL, encoding="utf-8")
    code, out, _ = _eval(capsys, "-j", "home", "--policy", str(policy), "--as-of", "2026-06-01", "--format", "json",
                         PORTFOLIO)
    assert ("shanghai-2", "cn_sh") in _pairs(out)  # location.subdivision CN-SH
    assert [j for f, j in _pairs(out) if f not in ("shanghai-2", "beijing-1")] == ["jp", "de", "eu", "eu", "ie", "eu", "ie", "sg", "eu", "fr", "eu", "nl", "us_ca"]  # nowhere else
    assert [j for f, j in _pairs(out) if f == "shanghai-2"] == ["cn", "cn_sh"]


def test_a_policy_without_territory_still_judges_everyone_under_home(tmp_path, capsys):
    policy = tmp_path / "anywhere.policy"
    policy.write_text(REGIONAL.replace('  territory "CN-SH"\n', "").replace("cn_sh", "xx"), encoding="utf-8")
    out = _eval(capsys, "-j", "home", "--policy", str(policy), "--as-of", "2026-06-01", "--format", "json",
                PORTFOLIO)[1]
    assert [f for f, j in _pairs(out) if j == "xx"] == ["tokyo-1", "fra-3", "shanghai-2", "dublin-1", "beijing-1", "ennis-1",
                                                     "singapore-1", "paris-2", "amsterdam-4", "san-jose-1"]
