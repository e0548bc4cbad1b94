"""The fact schema (dsl/schema.py) and the part-of table (dsl/shares.py) are the one home of what
the facility loader fills in and checks: defaults of facts left out, and parts that cannot exceed
their whole."""

from __future__ import annotations

import textwrap

from dcpolicy.dsl import schema
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
