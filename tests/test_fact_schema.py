"""The fact schema (dsl/schema.py) and the part-of table (dsl/shares.py) are the one home of what
the facility loader fills in and checks: defaults of facts left out, and parts that cannot exceed
their whole."""

from __future__ import annotations

import textwrap

import pytest

from dcpolicy.dsl import schema
from dcpolicy.dsl.diagnostics import DiagnosticError
from dcpolicy.dsl.shares import PARTS_OF
from dcpolicy.evaluator.facts import Fact
from dcpolicy.evaluator.inputs import load_inputs


def load(tmp_path, text: str):
    path = tmp_path / "site.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_inputs([str(path)]).facilities[0]


# ---------------------------------------------------------------- defaults
def test_only_flags_have_a_default_and_full_period_is_the_one_that_is_true():
    tables = {**schema.FACILITY_FIELDS, **schema.PERIOD_FIELDS}
    defaults = {path: t.default for path, t in tables.items() if t.default is not None}
    assert set(defaults) == {path for path, t in tables.items() if t.kind == "flag"}
    assert {path for path, value in defaults.items() if value is not False} == {"full_period"}
    assert defaults["full_period"] is True and defaults["low_utilisation_cause"] is False


def test_the_loader_fills_every_schema_default_and_nothing_else(tmp_path):
    facility = load(tmp_path, """\
        id: a
        name: A
        defence: true
        periods:
          - period: 2025
            energy: {total: "10 GWh"}
        """)
    written = {"id", "name", "defence"}
    assert {p for p, f in facility.facts.items() if f.span is None} == {
        p for p, t in schema.FACILITY_FIELDS.items() if t.default is not None} - written
    assert facility.facts["defence"].value is True and facility.facts["public_sector"] == Fact(False, None, None)
    period = facility.periods[0]
    assert period.facts["full_period"] == Fact(True, None, None)
    assert period.facts["low_utilisation_cause"] == Fact(False, None, None)


def test_a_written_flag_overrides_its_default(tmp_path):
    facility = load(tmp_path, """\
        id: a
        name: A
        periods:
          - period: 2025
            full_period: false
            low_utilisation_cause: true
        """)
    facts = facility.periods[0].facts
    assert facts["full_period"].value is False and facts["low_utilisation_cause"].value is True
    assert facts["full_period"].span is not None


# ---------------------------------------------------------------- parts and wholes
def _period_errors(tmp_path, figures: dict[str, str]):
    lines = "".join(f"    {path}: {value}\n" for path, value in figures.items())
    path = tmp_path / "site.yaml"
    path.write_text("id: a\nname: A\nperiods:\n  - period: 2025\n" + lines, encoding="utf-8")
    with pytest.raises(DiagnosticError) as info:
        load_inputs([str(path)])
    return info.value.diagnostics


@pytest.mark.parametrize("part, whole", sorted(PARTS_OF.items()))
def test_every_part_of_pair_the_checker_counts_as_a_share_is_enforced_by_the_loader(tmp_path, part, whole):
    unit = schema.lookup("period", part).dimension.canonical_unit
    diagnostics = _period_errors(tmp_path, {whole: f'"1 {unit}"', part: f'"2 {unit}"'})
    assert [d.code for d in diagnostics] == ["F206"]
    assert "exceeds" in diagnostics[0].message or "is less than" in diagnostics[0].message
    assert diagnostics[0].span.line in (5, 6)


def test_a_pair_added_to_the_table_is_enforced_without_further_code(tmp_path, monkeypatch):
    monkeypatch.setitem(PARTS_OF, "energy.backup_generation", "energy.total")
    diagnostics = _period_errors(tmp_path, {"energy.total": '"1 GWh"', "energy.backup_generation": '"2 GWh"'})
    assert [(d.code, d.message, d.hint, d.span.line, d.span.column) for d in diagnostics] == [(
        "F206", "energy.backup_generation (2 GWh) exceeds energy.total (1 GWh, line 5)",
        "energy.backup_generation is part of energy.total (dsl/shares.py PARTS_OF); check both figures and their units",
        6, 31)]


def test_parts_of_a_written_sum_that_disagrees_are_reported_once_as_the_sum(tmp_path):
    diagnostics = _period_errors(tmp_path, {"energy.total": '"10 GWh"', "energy.renewable": '"5 GWh"',
                                            "energy.renewable_goo": '"12 GWh"'})
    assert [(d.code, d.message) for d in diagnostics] == [
        ("F206", "the renewable parts (energy.renewable_goo = 12 GWh) do not add up to energy.renewable (5 GWh)")]
