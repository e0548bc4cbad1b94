"""Facility loader: facility/portfolio YAML → typed facts with positions (contract facility-v1)."""

from __future__ import annotations

import datetime
import hashlib
import os
import textwrap
from pathlib import Path

import pytest

from dcpolicy.dsl.diagnostics import DiagnosticError
from dcpolicy.evaluator.facts import Fact
from dcpolicy.evaluator.inputs import load_inputs

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "facilities"

MINIMAL = """\
id: site-1
name: Site One
"""


def site(text: str) -> str:
    """MINIMAL followed by the (dedented) text."""
    return MINIMAL + textwrap.dedent(text)


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)


def load_one(tmp_path: Path, text: str):
    loaded = load_inputs([write(tmp_path, "site.yaml", text)])
    assert len(loaded.facilities) == 1
    return loaded.facilities[0]


def errors(paths: list[str], stdin_text: str | None = None):
    with pytest.raises(DiagnosticError) as info:
        load_inputs(paths, stdin_text)
    return info.value.diagnostics


def only_error(tmp_path: Path, text: str, name: str = "site.yaml"):
    path = write(tmp_path, name, text)
    diags = errors([path])
    assert len(diags) == 1, [d.headline() for d in diags]
    return path, diags[0]


def where(diag) -> tuple[str, int, int]:
    return diag.span.file, diag.span.line, diag.span.column


# --------------------------------------------------------------------------------------------
# values and canonical units
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "written", "expected"),
    [
        ("power.it_installed", "2.4 MW", 2400.0),
        ("power.it_installed", "800 kW", 800.0),
        ("power.it_installed", "1500000 W", 1500.0),
        ("area.computer_room", "4000 m2", 4000.0),
        ("area.computer_room", "4000 m²", 4000.0),
    ],
)
def test_facility_quantities_are_canonical(tmp_path, field, written, expected):
    group, leaf = field.split(".")
    f = load_one(tmp_path, MINIMAL + f'{group}:\n  {leaf}: "{written}"\n')
    assert f.facts[field].value == expected
    assert f.facts[field].written == written


@pytest.mark.parametrize(
    ("field", "written", "expected"),
    [
        ("energy.total", "21.3 GWh", 21_300_000.0),
        ("energy.total", "76.68 TJ", 21_300_000.0),
        ("energy.crude_oil_equivalent", "1500 kl", 1500.0),
        ("water.input", "30000 m3", 30000.0),
        ("water.input", "1500 L", 1.5),
        ("waste_heat.temperature", "27 °C", 27.0),
        ("data.stored", "12 PB", 12e15),
    ],
)
def test_period_quantities_are_canonical(tmp_path, field, written, expected):
    group, leaf = field.split(".")
    f = load_one(tmp_path, MINIMAL + f'periods:\n  - period: 2025\n    {group}:\n      {leaf}: "{written}"\n')
    assert f.periods[0].facts[field].value == pytest.approx(expected)


def test_ratios_percent_and_plain(tmp_path):
    f = load_one(
        tmp_path,
        site(
            """\
            periods:
              - period: 2024
                it_utilisation: 55%
                rack_utilisation: 0.8
              - period: 2025
                it_utilisation: "100 %"
                rack_utilisation: 0
            """
        ),
    )
    p24, p25 = f.periods
    assert p24.facts["it_utilisation"].value == pytest.approx(0.55)
    assert p24.facts["it_utilisation"].written == "55%"
    assert p24.facts["rack_utilisation"].value == 0.8
    assert p25.facts["it_utilisation"].value == 1.0
    assert p25.facts["rack_utilisation"].value == 0.0


def test_fact_spans_are_one_based_line_and_column(tmp_path):
    path = write(
        tmp_path,
        "site.yaml",
        """\
        id: fra-9
        name: "Frankfurt 9"
        power:
          it_installed: 2.4 MW
        periods:
          - period: 2025
            energy:
              total: 21.3 GWh
        """,
    )
    f = load_inputs([path]).facilities[0]
    it = f.facts["power.it_installed"]
    assert (it.span.file, it.span.line, it.span.column, it.span.end_column) == (path, 4, 17, 23)
    assert f.facts["id"].span.line == 1 and f.facts["id"].span.column == 5
    assert f.facts["name"].value == "Frankfurt 9" and f.facts["name"].span.column == 7
    total = f.periods[0].facts["energy.total"]
    assert (total.span.line, total.span.column) == (8, 14)
    assert total.written == "21.3 GWh"
    assert f.periods[0].span.line == 6
    assert f.span.line == 1 and f.span.column == 1


def test_dates_flags_enums_integers_and_text(tmp_path):
    f = load_one(
        tmp_path,
        """\
        id: tokyo-9
        name: Tokyo 9
        started: 2018-10-01
        planned_decommissioning: "2040-12-31"
        type: colocation
        jp_business_type: housing
        public_sector: true
        location:
          country: NO
          postal_code: 01067
        management_system:
          standard: ISO 50001
          since: 2024-11
        racks:
          installed: 1200
          occupied: 900
        design_pue: 1.35
        """,
    )
    facts = f.facts
    assert facts["started"].value == datetime.date(2018, 10, 1)
    assert facts["planned_decommissioning"].value == datetime.date(2040, 12, 31)
    assert facts["management_system.since"].value == datetime.date(2024, 11, 1)
    assert facts["management_system.since"].written == "2024-11"
    assert facts["type"].value == "colocation"
    assert facts["management_system.standard"].value == "ISO 50001"
    assert facts["public_sector"].value is True
    # YAML 1.1 would read NO as false and 01067 as an octal number; text fields keep the text.
    assert facts["location.country"].value == "NO"
    assert facts["location.postal_code"].value == "01067"
    assert facts["racks.installed"].value == 1200 and isinstance(facts["racks.installed"].value, int)
    assert facts["design_pue"].value == 1.35


def test_flag_defaults_and_absent_fields(tmp_path):
    f = load_one(tmp_path, MINIMAL + "periods:\n  - period: 2025\n")
    assert f.facts["network_node"] == Fact(False, None, None)
    assert f.facts["management_system.certified"].value is False
    assert "started" not in f.facts and "power.it_installed" not in f.facts
    assert f.facts["id"].value == "site-1" and f.facts["name"].value == "Site One"
    assert f.id == "site-1" and f.name == "Site One"
    facts = f.periods[0].facts
    assert facts["full_period"] == Fact(True, None, None)
    assert facts["low_utilisation_cause"] == Fact(False, None, None)
    assert "energy.total" not in facts


def test_null_in_nullable_field_means_absent(tmp_path):
    f = load_one(
        tmp_path,
        site(
            """\
            erf_exemption: ~
            location:
              hub_node: null
            """
        ),
    )
    assert "erf_exemption" not in f.facts
    assert "location.hub_node" not in f.facts


@pytest.mark.parametrize("written", ["null", "~", ""])
def test_explicit_null_management_system_standard_means_no_system(tmp_path, written):
    """Facility contract v1: `management_system.standard: null` — "an explicit null means the
    facility has no management system; an absent key means unknown". Read as the synonym `none`."""
    f = load_one(tmp_path, site(f"management_system:\n  standard: {written}\n"))
    fact = f.facts["management_system.standard"]
    assert fact.value == "none"
    assert fact.span is not None and fact.span.line == 4
    absent = load_one(tmp_path, site("management_system:\n  since: 2024-11-01\n"))
    assert "management_system.standard" not in absent.facts


def test_dotted_keys_equal_nested_keys(tmp_path):
    nested = load_one(tmp_path, MINIMAL + "location:\n  country: DE\npower:\n  it_installed: 1 MW\n")
    dotted = load_one(tmp_path, MINIMAL + "location.country: DE\npower.it_installed: 1 MW\n")
    assert nested.facts["location.country"].value == dotted.facts["location.country"].value == "DE"
    assert nested.facts["power.it_installed"].value == dotted.facts["power.it_installed"].value == 1000.0


# --------------------------------------------------------------------------------------------
# periods
# --------------------------------------------------------------------------------------------


def test_period_labels_and_bounds_sorted_by_start(tmp_path):
    f = load_one(
        tmp_path,
        site(
            """\
            periods:
              - period: FY2025
              - period: 2024
              - period: {start: 2023-01-01, end: 2023-06-30}
              - period: "2023-07-01..2023-12-31"
            """
        ),
    )
    got = [(p.label, p.kind, p.start, p.end) for p in f.periods]
    assert got == [
        ("2023-01-01..2023-06-30", "custom", datetime.date(2023, 1, 1), datetime.date(2023, 6, 30)),
        ("2023-07-01..2023-12-31", "custom", datetime.date(2023, 7, 1), datetime.date(2023, 12, 31)),
        ("2024", "calendar", datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)),
        ("FY2025", "fiscal", datetime.date(2025, 4, 1), datetime.date(2026, 3, 31)),
    ]


def test_fiscal_year_bounds(tmp_path):
    f = load_one(tmp_path, MINIMAL + "periods:\n  - period: FY2023\n  - period: FY2024\n")
    assert [(p.start, p.end) for p in f.periods] == [
        (datetime.date(2023, 4, 1), datetime.date(2024, 3, 31)),
        (datetime.date(2024, 4, 1), datetime.date(2025, 3, 31)),
    ]


def test_renewable_derived_from_parts(tmp_path):
    f = load_one(
        tmp_path,
        site(
            """\
            periods:
              - period: 2025
                energy:
                  total: 10 GWh
                  it: 7 GWh
                  renewable_goo: 4 GWh
                  renewable_onsite: 500 MWh
            """
        ),
    )
    ren = f.periods[0].facts["energy.renewable"]
    assert ren.value == pytest.approx(4_500_000.0)
    assert ren.span is None and ren.written is None
    assert ren.derived == "sum of energy.renewable_goo, energy.renewable_onsite"


def test_renewable_parts_matching_total_within_tolerance(tmp_path):
    f = load_one(
        tmp_path,
        site(
            """\
            periods:
              - period: 2025
                energy:
                  total: 10 GWh
                  renewable: 6 GWh
                  renewable_goo: 3 GWh
                  renewable_ppa: 3.004 GWh
            """
        ),
    )
    ren = f.periods[0].facts["energy.renewable"]
    assert ren.value == 6_000_000.0 and ren.derived is None and ren.written == "6 GWh"


# --------------------------------------------------------------------------------------------
# files, directories, portfolios, stdin
# --------------------------------------------------------------------------------------------


def test_source_file_records_path_hash_and_text(tmp_path):
    path = write(tmp_path, "site.yaml", MINIMAL)
    loaded = load_inputs([path])
    (source,) = loaded.sources
    assert source.path == path
    assert source.text == MINIMAL
    assert source.sha256 == hashlib.sha256(MINIMAL.encode()).hexdigest()
    assert loaded.facilities[0].source is source


def test_directory_loads_yaml_files_sorted_by_name(tmp_path):
    write(tmp_path, "d/b.yml", "id: b\nname: B\n")
    write(tmp_path, "d/a.yaml", "id: a\nname: A\n")
    write(tmp_path, "d/c.yaml", "id: c\nname: C\n")
    write(tmp_path, "d/notes.txt", "not: yaml: at all\n")
    directory = str(tmp_path / "d")
    loaded = load_inputs([directory])
    assert [f.id for f in loaded.facilities] == ["a", "b", "c"]
    assert [s.path for s in loaded.sources] == [os.path.join(directory, n) for n in ("a.yaml", "b.yml", "c.yaml")]


def test_portfolio_with_inline_and_path_entries(tmp_path):
    loaded = load_inputs([str(FIXTURES / "portfolio.yaml")])
    assert [f.id for f in loaded.facilities] == ["alpha", "gamma"]
    alpha, gamma = loaded.facilities
    assert alpha.source.path == str(FIXTURES / "alpha.yaml")
    assert gamma.source.path == str(FIXTURES / "portfolio.yaml")
    assert alpha.operator_id == gamma.operator_id == "acme"  # portfolio operator as default
    assert gamma.facts["power.it_installed"].value == 1200.0
    assert gamma.facts["power.it_installed"].span.line == 8
    assert [s.path for s in loaded.sources] == [str(FIXTURES / "portfolio.yaml"), str(FIXTURES / "alpha.yaml")]


def test_fixture_directory_reads_each_file_once(tmp_path):
    loaded = load_inputs([str(FIXTURES)])
    assert [f.id for f in loaded.facilities] == ["alpha", "beta", "gamma"]
    assert [os.path.basename(s.path) for s in loaded.sources] == ["alpha.yaml", "beta.yaml", "portfolio.yaml"]
    beta = loaded.facilities[1]
    assert [p.label for p in beta.periods] == ["FY2023", "FY2024"]
    assert beta.operator_id is None


def test_facility_operator_id_wins_over_portfolio_operator(tmp_path):
    path = write(
        tmp_path,
        "p.yaml",
        """\
        operator: acme
        facilities:
          - {id: one, name: One, operator_id: other-co}
          - {id: two, name: Two}
        """,
    )
    one, two = load_inputs([path]).facilities
    assert one.operator_id == "other-co" and two.operator_id == "acme"


def test_stdin_dash(tmp_path):
    loaded = load_inputs(["-"], stdin_text="id: from-stdin\nname: Piped\n")
    (f,) = loaded.facilities
    assert f.id == "from-stdin"
    assert f.source.path == "<stdin>"
    assert f.facts["id"].span.file == "<stdin>"


def test_examples_load_cleanly():
    loaded = load_inputs([str(ROOT / "examples" / "fra-3.yaml"), str(ROOT / "examples" / "tokyo-1.yaml")])
    fra, tokyo = loaded.facilities
    assert fra.facts["power.nominal_connected"].value == 5000.0
    assert [p.label for p in fra.periods] == ["2024", "2025"]
    for p in fra.periods:
        pue = p.facts["energy.total"].value / p.facts["energy.it"].value
        assert 1.3 < pue < 1.5
    assert fra.facts["management_system.since"].value == datetime.date(2024, 11, 1)
    assert tokyo.facts["jp_business_type"].value == "housing"
    assert tokyo.facts["area.computer_room"].value == 2400.0
    assert [p.label for p in tokyo.periods] == ["FY2021", "FY2022", "FY2023", "FY2024", "FY2025"]


# --------------------------------------------------------------------------------------------
# errors: every code with file, line and column
# --------------------------------------------------------------------------------------------


def test_F101_missing_file_on_command_line(tmp_path):
    missing = str(tmp_path / "nope.yaml")
    (d,) = errors([missing])
    assert d.code == "F101" and where(d) == (missing, 1, 1)
    assert "no such file" in d.message


def test_F101_missing_file_in_portfolio_points_at_entry(tmp_path):
    path = write(tmp_path, "p.yaml", "facilities:\n  - {id: a, name: A}\n  - sites/missing.yaml\n")
    (d,) = errors([path])
    assert d.code == "F101" and where(d) == (path, 3, 5)
    assert "relative to the portfolio" in d.hint


def test_F102_yaml_syntax_error(tmp_path):
    path, d = only_error(tmp_path, 'id: a\nname: "unterminated\npower:\n  it_installed: 1 MW\n')
    assert d.code == "F102" and d.span.file == path
    assert d.span.line >= 2 and d.span.column >= 1


def test_F102_tab_indentation(tmp_path):
    path, d = only_error(tmp_path, "id: a\nname: A\npower:\n\tit_installed: 1 MW\n")
    assert d.code == "F102" and where(d) == (path, 4, 1)
    assert "tab" in d.hint.lower()


def test_F103_other_major_version(tmp_path):
    path, d = only_error(tmp_path, "dcpolicy: facility/2\nid: a\nname: A\n")
    assert d.code == "F103" and where(d) == (path, 1, 11)
    assert "facility/1" in d.message


def test_F104_not_a_mapping(tmp_path):
    path, d = only_error(tmp_path, "- id: a\n  name: A\n")
    assert d.code == "F104" and where(d) == (path, 1, 1)


def test_F104_empty_file_and_nested_portfolio(tmp_path):
    empty = write(tmp_path, "empty.yaml", "# nothing here\n")
    inner = write(tmp_path, "inner.yaml", "facilities:\n  - {id: a, name: A}\n")
    outer = write(tmp_path, "outer.yaml", "facilities:\n  - inner.yaml\n")
    d1, d2 = errors([empty, outer])
    assert d1.code == "F104" and where(d1) == (empty, 1, 1)
    assert d2.code == "F104" and where(d2) == (inner, 1, 1)


def test_F105_duplicate_key(tmp_path):
    path, d = only_error(tmp_path, "id: a\nname: A\npower:\n  it_installed: 1 MW\n  it_installed: 2 MW\n")
    assert d.code == "F105" and where(d) == (path, 5, 3)
    assert "line 4" in d.message


def test_F105_dotted_and_nested_spelling_of_one_field(tmp_path):
    path, d = only_error(tmp_path, "id: a\nname: A\nlocation:\n  country: DE\nlocation.country: FR\n")
    assert d.code == "F105" and where(d) == (path, 5, 1)


def test_F106_unknown_nested_key_suggests_same_level(tmp_path):
    path, d = only_error(tmp_path, "id: a\nname: A\npower:\n  it_instaled: 1 MW\n")
    assert d.code == "F106" and where(d) == (path, 4, 3)
    assert '"it_installed"' in d.hint and "power.it_installed" in d.hint


def test_F106_unknown_top_level_key_and_misplaced_field(tmp_path):
    path = write(
        tmp_path,
        "site.yaml",
        """\
        id: a
        name: A
        nmae: B
        country: DE
        periods:
          - period: 2025
            design_pue: 1.3
        """,
    )
    d1, d2, d3 = errors([path])
    assert [d.code for d in (d1, d2, d3)] == ["F106"] * 3
    assert where(d1) == (path, 3, 1) and '"name"' in d1.hint
    assert where(d2) == (path, 4, 1) and "location.country" in d2.hint
    assert where(d3) == (path, 7, 5) and "facility field" in d3.hint


def test_F107_required_field_missing(tmp_path):
    path, d = only_error(tmp_path, "\nid: a\nlocation:\n  country: DE\n")
    assert d.code == "F107" and where(d) == (path, 2, 1)
    assert "name" in d.message


def test_F107_period_without_label(tmp_path):
    path, d = only_error(tmp_path, MINIMAL + "periods:\n  - full_period: false\n")
    assert d.code == "F107" and where(d) == (path, 4, 5)


def test_F108_duplicate_id_across_files(tmp_path):
    first = write(tmp_path, "a.yaml", "id: same\nname: A\n")
    second = write(tmp_path, "b.yaml", "name: B\nid: same\n")
    (d,) = errors([first, second])
    assert d.code == "F108" and where(d) == (second, 2, 5)
    assert f"{first}:1:5" in d.message


def test_F201_bare_number_for_quantity(tmp_path):
    path, d = only_error(tmp_path, MINIMAL + "power:\n  it_installed: 2400\n")
    assert d.code == "F201" and where(d) == (path, 4, 17)
    assert "power" in d.message and '"2400 kW"' in d.hint


def test_F202_wrong_dimension(tmp_path):
    path, d = only_error(tmp_path, MINIMAL + "power:\n  nominal_connected: 300 kWh\n")
    assert d.code == "F202" and where(d) == (path, 4, 22)
    assert "power.nominal_connected" in d.message and "kW" in d.message and "energy" in d.message


def test_F203_unknown_unit_with_suggestion(tmp_path):
    path, d = only_error(tmp_path, MINIMAL + "periods:\n  - period: 2025\n    energy:\n      total: 21.3 Gwh\n")
    assert d.code == "F203" and where(d) == (path, 6, 14)
    assert '"GWh"' in d.hint


def test_F204_impossible_dates(tmp_path):
    path = write(
        tmp_path,
        "site.yaml",
        MINIMAL + "started: 2025-02-30\nmanagement_system:\n  since: 2024-13\nplanned_decommissioning: 2030\n",
    )
    d1, d2, d3 = errors([path])
    assert [d.code for d in (d1, d2, d3)] == ["F204"] * 3
    assert where(d1) == (path, 3, 10)
    assert where(d2) == (path, 5, 10) and "month 13" in d2.message
    assert where(d3) == (path, 6, 26)


def test_F205_invalid_values(tmp_path):
    path = write(
        tmp_path,
        "site.yaml",
        """\
        id: Site One
        name: A
        type: colo
        public_sector: yes
        location:
          country: de
        racks:
          installed: 12.5
        """,
    )
    diags = errors([path])
    assert [(d.code, d.span.line, d.span.column) for d in diags] == [
        ("F205", 1, 5), ("F205", 3, 7), ("F205", 4, 16), ("F205", 6, 12), ("F205", 8, 14),
    ]
    assert all(d.span.file == path for d in diags)
    assert '"site-one"' in diags[0].hint
    assert '"colocation"' in diags[1].hint
    assert '"DE"' in diags[3].hint


@pytest.mark.parametrize(
    ("energy", "line", "column", "words"),
    [
        ("it: 0 kWh", 6, 11, "greater than 0"),
        ("total: 1 GWh\n      it: 2 GWh", 6, 14, "PUE"),
        ("total: 1 GWh\n      reused: 2 GWh", 7, 15, "energy.reused"),
        ("total: 1 GWh\n      renewable: 2 GWh", 7, 18, "energy.renewable"),
        ("total: 10 GWh\n      renewable: 5 GWh\n      renewable_goo: 4 GWh", 7, 18, "add up"),
        ("total: 1 GWh\n      renewable_goo: 2 GWh", 7, 22, "exceeds"),
    ],
)
def test_F206_energy_invariants(tmp_path, energy, line, column, words):
    path, d = only_error(tmp_path, MINIMAL + "periods:\n  - period: 2025\n    energy:\n      " + energy + "\n")
    assert d.code == "F206" and where(d) == (path, line, column)
    assert words in d.message


def test_F206_water_racks_and_negative_values(tmp_path):
    path = write(
        tmp_path,
        "site.yaml",
        site(
            """\
            racks:
              installed: 10
              occupied: 11
            power:
              it_installed: -1 MW
            periods:
              - period: 2025
                water:
                  input: 10 m3
                  potable: 11 m3
            """
        ),
    )
    diags = errors([path])
    assert [(d.code, d.span.line, d.span.column) for d in diags] == [("F206", 5, 13), ("F206", 7, 17), ("F206", 12, 16)]


def test_F207_overlapping_periods_point_at_later(tmp_path):
    path, d = only_error(
        tmp_path,
        MINIMAL + "periods:\n  - period: FY2024\n  - period: 2024\n",
    )
    # FY2024 (2024-04-01..2025-03-31) starts after 2024 (2024-01-01..), so it is the later one.
    assert d.code == "F207" and where(d) == (path, 4, 13)
    assert "line 5" in d.message


def test_F208_bad_period_labels(tmp_path):
    path = write(
        tmp_path,
        "site.yaml",
        MINIMAL + 'periods:\n  - period: "2024/25"\n  - period: {start: 2024-07-01, end: 2024-06-01}\n',
    )
    d1, d2 = errors([path])
    assert d1.code == "F208" and where(d1) == (path, 4, 13) and "FY2025" in d1.hint
    assert d2.code == "F208" and where(d2) == (path, 5, 38)


def test_F209_ratio_outside_unit_interval(tmp_path):
    path, d = only_error(tmp_path, MINIMAL + "periods:\n  - period: 2025\n    it_utilisation: 55\n")
    assert d.code == "F209" and where(d) == (path, 5, 21)
    assert '"55%"' in d.hint


def test_all_errors_reported_across_facilities_and_nothing_returned(tmp_path):
    a = write(tmp_path, "a.yaml", "id: a\nname: A\npower:\n  it_installed: 5\n")
    b = write(tmp_path, "b.yaml", "id: b\nname: B\n")
    c = write(tmp_path, "c.yaml", "id: c\nname: C\ntype: cloud\n")
    with pytest.raises(DiagnosticError) as info:
        load_inputs([a, b, c])
    diags = info.value.diagnostics
    assert [(d.code, d.span.file) for d in diags] == [("F201", a), ("F205", c)]
    assert set(info.value.sources) == {a, b, c}
    rendered = info.value.render()
    assert "it_installed: 5" in rendered and "^" in rendered and "hint:" in rendered


def test_F101_file_not_utf8_points_at_the_byte(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"id: a\nname: M\xfcnchen\n")
    (d,) = errors([str(path)])
    assert d.code == "F101" and where(d) == (str(path), 2, 8)
    assert "UTF-8" in d.message


def test_F205_null_in_field_that_is_not_nullable(tmp_path):
    path, d = only_error(tmp_path, site("periods:\n  - period: 2025\n    energy:\n      total:\n"))
    assert d.code == "F205" and where(d) == (path, 6, 13)
    assert "no value" in d.message


def test_errors_from_stdin_name_stdin_and_keep_its_text():
    text = "id: a\nname: A\ntype: colo\n"
    with pytest.raises(DiagnosticError) as info:
        load_inputs(["-"], stdin_text=text)
    (d,) = info.value.diagnostics
    assert d.code == "F205" and where(d) == ("<stdin>", 3, 7)
    assert info.value.sources == {"<stdin>": text}


def test_anchors_and_merge_keys_keep_positions(tmp_path):
    f = load_one(
        tmp_path,
        site(
            """\
            periods:
              - period: 2024
                energy: &e
                  total: 10 GWh
                  it: 7 GWh
              - period: 2025
                energy:
                  <<: *e
                  it: 7.5 GWh
            """
        ),
    )
    p24, p25 = f.periods
    assert p25.facts["energy.total"].value == 10_000_000.0
    assert p25.facts["energy.total"].span.line == 6  # written once, at the anchor
    assert p25.facts["energy.it"].value == 7_500_000.0 and p25.facts["energy.it"].span.line == 11


def test_exclusion_flags_of_eu_art_12_2_and_de_21_default_to_false(tmp_path):
    """Project additions (docs/facility.md): one flag per group that EnEfG §21(1) Nr. 1–3 and EED
    Art. 12(2) name; like every flag, false when absent."""
    flags = ("intelligence_service", "defence", "civil_protection", "nuclear_installation")
    absent = load_one(tmp_path, MINIMAL)
    assert all(absent.facts[flag] == Fact(False, None, None) for flag in flags)
    given = load_one(tmp_path, site("defence: true\ncivil_protection: false\nnuclear_installation: true\n"))
    assert given.facts["defence"].value is True and given.facts["nuclear_installation"].value is True
    assert given.facts["civil_protection"].value is False and given.facts["intelligence_service"].value is False


@pytest.mark.parametrize("streamed", [False, True])
def test_F108_every_repeat_names_where_the_id_was_first_written(tmp_path, monkeypatch, streamed):
    from dcpolicy.evaluator import inputs

    if streamed:  # read from disk in pieces, as a large register is
        monkeypatch.setattr(inputs, "STREAM_FROM_DISK", 0)
    entry = "  - id: {id}\n    name: N\n    location: {{country: DE}}\n"
    text = "facilities:\n" + "".join(entry.format(id=i) for i in ("a", "b", "a", "c", "a", "b"))
    path = write(tmp_path, "register.yaml", text)
    found = errors([path])
    assert [(d.code, where(d)) for d in found] == [("F108", (path, 8, 9)), ("F108", (path, 14, 9)),
                                                   ("F108", (path, 17, 9))]
    assert [d.message.rsplit("first at ", 1)[1] for d in found] == [f"{path}:2:9", f"{path}:2:9", f"{path}:5:9"]
