"""dsl/dates.py: the one reader of written dates (the checker's date literals and the facility loader use it)."""

from __future__ import annotations

import datetime

import pytest

from dcpolicy.dsl import dates
from dcpolicy.dsl.diagnostics import DiagnosticError
from dcpolicy.dsl.loader import load_policy
from dcpolicy.evaluator.inputs import load_inputs


@pytest.mark.parametrize("text, day", [
    ("2024-02-29", datetime.date(2024, 2, 29)),
    ("2025-1-5", datetime.date(2025, 1, 5)),
    (" 2025-06-30 ", datetime.date(2025, 6, 30)),
    ("2025-06", datetime.date(2025, 6, 1)),  # a month names its first day
])
def test_a_date_is_read(text, day):
    assert dates.parse_date(text) == day


@pytest.mark.parametrize("text, reason", [
    ("2025-02-29", "that day does not exist in that month"),
    ("2025-04-31", "that day does not exist in that month"),
    ("0000-01-01", "there is no year 0 (years run from 0001 to 9999)"),
    ("２０２６-01-01", "expected YYYY-MM-DD"),  # full-width digits are not digits of a date
    ("2025-13-01", "there is no month 13"),
    ("2025-00", "there is no month 0"),
    ("25-01-01", "expected YYYY-MM-DD"),
    ("2025/01/01", "expected YYYY-MM-DD"),
    ("2025-01-01T10:00", "expected YYYY-MM-DD"),
])
def test_a_text_that_names_no_date_says_why(text, reason):
    assert dates.parse_date(text) is None
    assert dates.why_not_a_date(text) == reason


def test_the_checker_and_the_facility_loader_reject_the_same_impossible_day(tmp_path):
    policy = tmp_path / "de.policy"
    policy.write_text('jurisdiction de "Germany"\nrule r "t"\n  cite "§1"\n  from 2026-02-29\n  require true\n',
                      encoding="utf-8")
    with pytest.raises(DiagnosticError) as info:
        load_policy(policy)
    assert [(d.code, d.message) for d in info.value.diagnostics] == [("E401", "2026-02-29 is not a date that exists")]
    site = tmp_path / "site.yaml"
    site.write_text('id: a\nname: A\nstarted: "2026-02-29"\n', encoding="utf-8")
    with pytest.raises(DiagnosticError) as info:
        load_inputs([str(site)])
    assert [(d.code, d.message) for d in info.value.diagnostics] == [
        ("F204", 'started: "2026-02-29" is not a valid date: that day does not exist in that month')]
