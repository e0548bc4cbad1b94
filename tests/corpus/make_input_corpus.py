"""Writes tests/corpus/inputs/: bad facilities, portfolios, case files and command lines, one fault each,
and EXPECTED.tsv saying what each must give (issue 12, item 7: the corpus beside tests/corpus/policies).

    .venv/bin/python tests/corpus/make_input_corpus.py

Each fault is written into a valid template at a place chosen here, and the line and column in
EXPECTED.tsv are where the fault's marker text lands in the file written (found by position in the text
this script writes, not copied from the tool's output). tests/test_input_corpus.py runs every row
through the `policy` command and checks the exit code, the code and the place of the first error, and
that no traceback is printed. Rerun this script after changing a fault; the files are committed so
that a reviewer can open each one.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent / "inputs"
EVAL = "eval -j de --as-of 2031-01-01"

FACILITY = """\
dcpolicy: facility/1
id: corp-1
name: Corpus DC
operator_id: corp-op
location:
  country: DE
started: 2015-05-01
power:
  nominal_connected: 2 MW
  it_installed: 1.2 MW
racks:
  installed: 100
  occupied: 80
periods:
  - period: 2025
    energy:
      total: 12 GWh
      it: 10 GWh
      reused: 1 GWh
    temperature_set_point: 27 degC
"""

# (name, line of the template replaced (its text), the new text, code, marker: the text the error points at;
# "" = column 1 of the new text's first line)
FACILITY_FAULTS = [
    # units and dimensions
    ("no-unit", "  nominal_connected: 2 MW", "  nominal_connected: 2", "F201", "2"),
    ("energy-as-power", "  nominal_connected: 2 MW", "  nominal_connected: 2 MWh", "F202", "2 MWh"),
    ("power-as-energy", "      total: 12 GWh", "      total: 12 GW", "F202", "12 GW"),
    ("unknown-unit", "  nominal_connected: 2 MW", "  nominal_connected: 2 MWW", "F203", "2 MWW"),
    ("area-as-power", "  it_installed: 1.2 MW", "  it_installed: 1.2 m2", "F202", "1.2 m2"),
    ("temperature-as-energy", "    temperature_set_point: 27 degC", "    temperature_set_point: 27 kWh", "F202", "27 kWh"),
    ("separators", "  nominal_connected: 2 MW", "  nominal_connected: 2,000 kW", "F205", "2,000 kW"),
    ("overflow-quantity", "  nominal_connected: 2 MW", "  nominal_connected: 1e999 MW", "F205", "1e999 MW"),
    ("inf-quantity", "      total: 12 GWh", "      total: .inf", "F201", ".inf"),
    ("nan-quantity", "      total: 12 GWh", "      total: .nan", "F201", ".nan"),
    ("text-quantity", "      total: 12 GWh", "      total: twelve GWh", "F205", "twelve GWh"),
    ("list-quantity", "      total: 12 GWh", "      total: [12 GWh]", "F205", "[12 GWh]"),
    ("negative-power", "  nominal_connected: 2 MW", "  nominal_connected: -2 MW", "F206", "-2 MW"),
    ("negative-energy", "      reused: 1 GWh", "      reused: -1 GWh", "F206", "-1 GWh"),
    ("negative-racks", "  installed: 100", "  installed: -100", "F206", "-100"),
    # invariants
    ("total-below-it", "      total: 12 GWh", "      total: 9 GWh", "F206", "9 GWh"),
    ("it-zero", "      it: 10 GWh", "      it: 0 GWh", "F206", "0 GWh"),
    ("reused-above-total", "      reused: 1 GWh", "      reused: 13 GWh", "F206", "13 GWh"),
    ("racks-occupied-above", "  occupied: 80", "  occupied: 180", "F206", "180"),
    ("below-absolute-zero-c", "    temperature_set_point: 27 degC", "    temperature_set_point: -274 degC", "F206",
     "-274 degC"),
    ("below-absolute-zero-f", "    temperature_set_point: 27 degC", "    temperature_set_point: -460 °F", "F206",
     "-460 °F"),
    ("below-absolute-zero-waste-heat", "    temperature_set_point: 27 degC",
     "    waste_heat: {temperature: -300 degC}", "F206", "-300 degC"),
    ("heat-network-above-reused", "      reused: 1 GWh", "      reused: 1 GWh\n      reused_via_heat_network: 2 GWh",
     "F206", "2 GWh"),
    ("subdivision-other-country", "  country: DE", "  country: DE\n  subdivision: CN-SH", "F206", "CN-SH"),
    ("design-pue-below-1", "started: 2015-05-01", "started: 2015-05-01\ndesign_pue: 0.9", "F206", "0.9"),
    ("ratio-above-1", "    temperature_set_point: 27 degC", "    it_utilisation: 55", "F209", "55"),
    ("ratio-percent-above", "    temperature_set_point: 27 degC", '    it_utilisation: "155%"', "F209", '"155%"'),
    # values of other kinds
    ("started-impossible", "started: 2015-05-01", "started: 2015-02-30", "F204", "2015-02-30"),
    ("started-year-0", "started: 2015-05-01", "started: 0000-01-01", "F204", "0000-01-01"),
    ("started-number", "started: 2015-05-01", "started: 20150501", "F204", "20150501"),
    ("started-fullwidth", "started: 2015-05-01", "started: ２０１５-05-01", "F204", "２０１５-05-01"),
    ("country-lowercase", "  country: DE", "  country: de", "F205", "de"),
    ("country-name", "  country: DE", "  country: Germany", "F205", "Germany"),
    ("country-number", "  country: DE", "  country: 49", "F205", "49"),
    ("slug-id", "id: corp-1", "id: Corp 1", "F205", "Corp 1"),
    ("id-escape", "id: corp-1", 'id: "corp\\e[31m-1"', "F205", '"corp\\e[31m-1"'),
    ("id-list", "id: corp-1", "id: [corp-1]", "F205", "[corp-1]"),
    ("racks-fraction", "  installed: 100", "  installed: 100.5", "F205", "100.5"),
    ("racks-text", "  installed: 100", '  installed: "100 racks"', "F205", '"100 racks"'),
    ("flag-word", "started: 2015-05-01", "started: 2015-05-01\nnetwork_node: perhaps", "F205", "perhaps"),
    ("enum-unknown", "started: 2015-05-01", "started: 2015-05-01\ntype: colo", "F205", "colo"),
    ("null-required", "name: Corpus DC", "name:", "F107", "\n"),
    ("group-scalar", "power:\n  nominal_connected: 2 MW\n  it_installed: 1.2 MW", "power: 2 MW", "F205", "2 MW"),
    ("periods-mapping", "  - period: 2025", "    period: 2025", "F205", "period: 2025"),
    # keys and shape
    ("unknown-key", "  it_installed: 1.2 MW", "  it_instaled: 1.2 MW", "F106", "it_instaled"),
    ("period-figure-at-top", "started: 2015-05-01", "started: 2015-05-01\nenergy: {total: 1 GWh}", "F106", "energy"),
    ("duplicate-key", "  it_installed: 1.2 MW", "  it_installed: 1.2 MW\n  it_installed: 1.3 MW", "F105",
     "it_installed: 1.3"),
    ("dotted-and-nested", "started: 2015-05-01", "started: 2015-05-01\nlocation.country: FR", "F105",
     "location.country"),
    ("no-name", "name: Corpus DC\n", "", "F107", "dcpolicy"),
    ("version-2", "dcpolicy: facility/1", "dcpolicy: facility/2", "F103", "facility/2"),
    ("version-text", "dcpolicy: facility/1", "dcpolicy: policy/1", "F103", "policy/1"),
    # periods
    ("period-year-0", "  - period: 2025", "  - period: 0000", "F208", "0000"),
    ("period-five-digits", "  - period: 2025", "  - period: 20250", "F208", "20250"),
    ("period-fy-10000", "  - period: 2025", '  - period: "FY10000"', "F208", '"FY10000"'),
    ("period-slash", "  - period: 2025", '  - period: "2024/25"', "F208", '"2024/25"'),
    ("period-reversed", "  - period: 2025", "  - period: {start: 2025-07-01, end: 2025-06-01}", "F208",
     "2025-06-01}"),
    ("period-range-day-0", "  - period: 2025", "  - period: {start: 2025-01-00, end: 2025-06-30}", "F204",
     "2025-01-00"),
    ("period-range-no-end", "  - period: 2025", "  - period: {start: 2025-01-01}", "F208", "{start: 2025-01-01}"),
    ("period-range-extra-key", "  - period: 2025", "  - period: {start: 2025-01-01, end: 2025-06-30, mid: 1}",
     "F106", "mid"),
    ("period-missing", "  - period: 2025\n", "  - temperature_set_point: 20 degC\n", "F107", "temperature_set_point: 20"),
    ("periods-overlap", "    temperature_set_point: 27 degC",
     "    temperature_set_point: 27 degC\n  - period: {start: 2025-06-01, end: 2025-06-30}", "F207",
     "{start: 2025-06-01"),
    ("periods-same-year-twice", "    temperature_set_point: 27 degC",
     "    temperature_set_point: 27 degC\n  - period: 2025", "F207", "2025\n"),
    # YAML
    ("yaml-syntax", "name: Corpus DC", "name: Corpus: DC", "F102", ": DC"),
    ("yaml-python-tag", "name: Corpus DC", "name: !!python/object:os.system echo", "F102", "!!python"),
    ("yaml-tab-indent", "  it_installed: 1.2 MW", "\tit_installed: 1.2 MW", "F102", "\t"),
    ("yaml-recursive-alias", "racks:\n  installed: 100\n  occupied: 80", "racks: &r\n  installed: *r", "F102",
     "*r"),
]


def _place(text: str, marker: str, start: int) -> tuple[int, int]:
    """Line and column (1-based, in characters) of `marker` at or after offset `start` of `text`."""
    at = (text.index(marker, start) if marker in text[start:] else text.index(marker)) if marker else start
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


def facility_rows() -> list[tuple]:
    rows = []
    for name, old, new, code, marker in FACILITY_FAULTS:
        assert FACILITY.count(old) == 1, name
        start = FACILITY.index(old)
        text = FACILITY.replace(old, new)
        line, column = _place(text, marker, start)
        path = f"facility-{name}.yaml"
        (HERE / path).write_text(text, encoding="utf-8")
        rows.append((path, f"{EVAL} {{file}}", 2, code, "{file}", line, column))
    return rows


SITE = "id: {id}\nname: Site {id}\nstarted: 2015-05-01\npower: {{nominal_connected: 2 MW}}\n"


def portfolio_rows() -> list[tuple]:
    """Portfolios in their own folders (portfolio-NAME/p.yaml), so that what lies outside is known."""
    rows = []

    def portfolio(name: str, body: str, marker: str, code: str, files: dict | None = None, options: str = "",
                  where: str = "p.yaml", exit_code: int = 2, marker_file: str | None = None):
        folder = HERE / f"portfolio-{name}"
        folder.mkdir()
        for rel, content in (files or {}).items():
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        (folder / "p.yaml").write_text(body, encoding="utf-8")
        located = (folder / where).read_text(encoding="utf-8", errors="replace") if where != "p.yaml" else body
        line, column = _place(located, marker, 0)
        rel = f"portfolio-{name}/p.yaml"
        shown = "{dir}/" + f"portfolio-{name}/{where}" if marker_file is None else marker_file
        rows.append((rel, f"{EVAL} {options}{{file}}".replace("  ", " "), exit_code, code, shown, line, column))

    site = SITE.format(id="s-1")
    portfolio("outside-dotdot", "facilities:\n  - ../shared-site.yaml\n", "../shared-site.yaml", "F109")
    portfolio("outside-deep", "facilities:\n  - a.yaml\n  - ../../inputs/shared-site.yaml\n",
              "../../inputs", "F109", {"a.yaml": site})
    portfolio("outside-absolute", "facilities:\n  - /etc/passwd\n", "/etc/passwd", "F109")
    portfolio("outside-absolute-hostname", "facilities:\n  - /etc/hostname\n", "/etc/hostname", "F109")
    portfolio("symlink-out", "facilities:\n  - link.yaml\n", "link.yaml", "F109")
    os.symlink("../shared-site.yaml", HERE / "portfolio-symlink-out" / "link.yaml")
    portfolio("symlink-dir-out", "facilities:\n  - sub/s.yaml\n", "sub/s.yaml", "F109")
    os.symlink("../portfolio-outside-deep", HERE / "portfolio-symlink-dir-out" / "sub")
    portfolio("lists-itself", "facilities:\n  - p.yaml\n", "p.yaml", "F110")
    portfolio("lists-itself-dotted", "facilities:\n  - a.yaml\n  - ./sub/../p.yaml\n", "./sub/../p.yaml", "F110",
              {"a.yaml": site, "sub/.keep": ""})
    portfolio("nested", "facilities:\n  - inner.yaml\n", "facilities", "F104",
              {"inner.yaml": "facilities:\n  - a.yaml\n", "a.yaml": site}, where="inner.yaml")
    portfolio("cycle", "facilities:\n  - q.yaml\n", "facilities", "F104",
              {"q.yaml": "facilities:\n  - p.yaml\n"}, where="q.yaml")
    portfolio("missing-file", "facilities:\n  - nowhere.yaml\n", "nowhere.yaml", "F101")
    portfolio("directory-listed", "facilities:\n  - sub\n", "sub", "F101", {"sub/.keep": ""})
    portfolio("facilities-mapping", "facilities:\n  a: b\n", "a: b", "F205")
    portfolio("facilities-text", "facilities: all of them\n", "all of them", "F205")
    portfolio("entry-number", "facilities:\n  - 42\n", "42", "F205")
    portfolio("entry-list", "facilities:\n  - [a.yaml]\n", "[a.yaml]", "F205")
    portfolio("unknown-key", "operator: op\nsites:\n  - a.yaml\nfacilities: []\n", "sites", "F106")
    portfolio("operator-list", "operator: [a, b]\nfacilities:\n  - a.yaml\n", "[a, b]", "F205", {"a.yaml": site})
    portfolio("no-facilities", "dcpolicy: portfolio/1\noperator: op\n", "dcpolicy", "F107")
    portfolio("version-2", "dcpolicy: portfolio/2\nfacilities: []\n", "portfolio/2", "F103")
    portfolio("listed-not-utf8", "facilities:\n  - latin1.yaml\n", "\ufffd", "F101",
              {"latin1.yaml": b"id: s-1\nname: Sch\xf6nefeld\n"}, where="latin1.yaml")
    portfolio("listed-not-a-facility", "facilities:\n  - notes.yaml\n", "root", "F104",
              {"notes.yaml": "root:x:0:0:root:/root:/bin/bash " * 50 + "\nsecond line\n"}, where="notes.yaml")
    portfolio("listed-over-limit", "facilities:\n  - big.yaml\n", "big.yaml", "F101",
              {"big.yaml": site + "#" * 4000 + "\n"}, options="--max-input-size 2K ")
    portfolio("duplicate-id", "facilities:\n  - a.yaml\n  - b.yaml\n", "s-1", "F108",
              {"a.yaml": site, "b.yaml": site}, where="b.yaml")
    portfolio("inline-duplicate-id", "facilities:\n  - {id: s-1, name: A}\n  - {id: s-1, name: B}\n",
              "s-1, name: B", "F108")
    portfolio("inline-bad-value", "facilities:\n  - {id: s-1, name: A, power: {nominal_connected: 2 kWh}}\n",
              "2 kWh", "F202")
    portfolio("yaml-syntax", "facilities:\n  - a.yaml\n - b.yaml\n", "- b.yaml", "F102")
    return rows


CASE = """\
policy: de
base:
  id: case-1
  name: Case DC
  started: 2015-05-01
cases:
  - name: a case
    as_of: 2031-01-01
    expect: {de.pue_new: not_applicable}
"""

CASE_FAULTS = [
    # (name, old, new, code, marker)
    ("case-a-list", "  - name: a case\n    as_of: 2031-01-01\n    expect: {de.pue_new: not_applicable}", "  - [1, 2]",
     "F303", "[1, 2]"),
    ("case-a-text", "  - name: a case\n    as_of: 2031-01-01\n    expect: {de.pue_new: not_applicable}",
     "  - just words", "F303", "just words"),
    ("case-no-expect", "    expect: {de.pue_new: not_applicable}\n", "", "F303", "name: a case"),
    ("case-no-name", "  - name: a case\n    as_of", "  - as_of", "F303", "as_of"),
    ("case-no-as-of", "    as_of: 2031-01-01\n", "", "F303", "name: a case"),
    ("as-of-february-30", "2031-01-01", "2026-02-30", "F303", "2026-02-30"),
    ("as-of-month-13", "2031-01-01", "2026-13-01", "F303", "2026-13-01"),
    ("as-of-year-0", "2031-01-01", "0000-01-01", "F303", "0000-01-01"),
    ("as-of-9999", "2031-01-01", "9999-12-31", "F303", "9999-12-31"),
    ("as-of-1800", "2031-01-01", "1800-06-01", "F303", "1800-06-01"),
    ("as-of-number", "2031-01-01", "20310101", "F303", "20310101"),
    ("as-of-time", "2031-01-01", "2031-01-01 10:00:00", "F303", "2031-01-01 10"),
    ("as-of-list", "2031-01-01", "[2031-01-01]", "F303", "[2031"),
    ("expect-list", "{de.pue_new: not_applicable}", "[de.pue_new]", "F303", "[de.pue_new]"),
    ("expect-empty", "{de.pue_new: not_applicable}", "{}", "F303", "{}"),
    ("verdict-unknown", "not_applicable}", "passed}", "F303", "passed}"),
    ("verdict-list", "not_applicable}", "[pass]}", "F303", "[pass]}"),
    ("expect-field-unknown", "not_applicable}", "{verdict: pass, vaule: 1}}", "F303", "{verdict"),
    ("expect-value-list", "not_applicable}", "{value: [1]}}", "F303", "[1]}}"),
    ("expect-missing-number", "not_applicable}", "{missing: 5}}", "F303", "5}}"),
    ("expect-due-word", "not_applicable}", "{due: soon}}", "F303", "soon}}"),
    ("expect-projection-word", "not_applicable}", "{projection: maybe}}", "F303", "maybe}}"),
    ("facility-list", "    expect: {de.pue_new: not_applicable}",
     "    expect: {de.pue_new: not_applicable}\n    facility: [1]", "F303", "[1]"),
    ("facilities-not-maps", "    expect: {de.pue_new: not_applicable}",
     "    expect: {de.pue_new: not_applicable}\n    facilities: [1, 2]", "F303", "[1, 2]"),
    ("case-unknown-key", "    as_of: 2031-01-01", "    as_of: 2031-01-01\n    expected: 1", "F303", "expected"),
    ("case-policy-list", "    as_of: 2031-01-01", "    as_of: 2031-01-01\n    policy: [de]", "F303", "[de]"),
    ("file-policy-null", "policy: de", "policy:", "F303", "\n"),
    ("file-policy-missing-file", "policy: de", "policy: nowhere.policy", "F303", "nowhere.policy"),
    ("case-policy-unknown-code", "    as_of: 2031-01-01", "    as_of: 2031-01-01\n    policy: zz", "F303", "zz"),
    ("file-unknown-key", "cases:", "case: []\ncases:", "F302", "case: []"),
    ("file-no-cases", "cases:\n  - name: a case\n    as_of: 2031-01-01\n    expect: {de.pue_new: not_applicable}\n", "",
     "F302", "policy"),
    ("file-cases-mapping", "  - name: a case\n    as_of: 2031-01-01\n    expect: {de.pue_new: not_applicable}",
     "  name: a case", "F302", "name: a case"),
    ("file-base-list", "base:\n  id: case-1\n  name: Case DC\n  started: 2015-05-01", "base: [1]", "F302", "[1]"),
    ("duplicate-key-in-case", "    as_of: 2031-01-01", "    as_of: 2031-01-01\n    as_of: 2031-02-01", "F105",
     "as_of: 2031-02-01"),
    ("duplicate-key-in-base", "  name: Case DC", "  name: Case DC\n  name: Other", "F105", "name: Other"),
    ("yaml-syntax", "    expect: {de.pue_new: not_applicable}", "    expect: {de.pue_new: not_applicable", "F102",
     ""),
    ("python-tag", "policy: de", "policy: !!python/object:os.system de", "F102", "!!python"),
]


def case_rows() -> list[tuple]:
    rows = []
    for name, old, new, code, marker in CASE_FAULTS:
        assert CASE.count(old) == 1, name
        start = CASE.index(old)
        text = CASE.replace(old, new)
        if name == "yaml-syntax":  # the parser notices the unclosed mapping at the end of the file
            line, column = text.count("\n") + 1, 1
        else:
            line, column = _place(text, marker, start)
        path = f"case-{name}.yaml"
        (HERE / path).write_text(text, encoding="utf-8")
        rows.append((path, "test {file}", 2, code, "{file}", line, column))
    (HERE / "case-not-utf8.yaml").write_bytes(CASE.replace("a case", "caf\udce9").encode("utf-8", "surrogateescape"))
    rows.append(("case-not-utf8.yaml", "test {file}", 2, "F301", "{file}", 7, 14))
    return rows


FRA = "{root}/examples/fra-3.yaml"
# (name, arguments, exit code, the words the one error line must hold)
ARGUMENTS = [
    ("as-of-compact", f"eval --as-of 20310101 {FRA}", 2, '--as-of "20310101" is not a date; write YYYY-MM-DD'),
    ("as-of-one-digit-month", f"eval --as-of 2031-1-01 {FRA}", 2, "is not a date; write YYYY-MM-DD"),
    ("as-of-week", f"eval --as-of 2031-W01-1 {FRA}", 2, "is not a date; write YYYY-MM-DD"),
    ("as-of-time", f"eval --as-of 2031-01-01T10:00 {FRA}", 2, "is not a date; write YYYY-MM-DD"),
    ("as-of-fullwidth", f"eval --as-of ２０３１-01-01 {FRA}", 2, "is not a date; write YYYY-MM-DD"),
    ("as-of-year-0", f"eval --as-of 0000-01-01 {FRA}", 2, "there is no year 0"),
    ("as-of-february-30", f"eval --as-of 2026-02-30 {FRA}", 2, "that day does not exist in that month"),
    ("as-of-9999", f"eval --as-of 9999-12-31 {FRA}", 2, "is outside the dates dcpolicy judges at"),
    ("as-of-9999-timeline", f"timeline --as-of 9999-12-31 {FRA}", 2, "is outside the dates dcpolicy judges at"),
    ("as-of-9999-priorities", f"priorities --as-of 9999-06-01 {FRA}", 2, "is outside the dates dcpolicy judges at"),
    ("as-of-9999-report", f"report --as-of 9999-12-31 {FRA}", 2, "is outside the dates dcpolicy judges at"),
    ("as-of-0001", f"eval --as-of 0001-01-01 {FRA}", 2, "is outside the dates dcpolicy judges at"),
    ("timeline-from-0", f"timeline --from 0 {FRA}", 2, "--from 0 is outside the years dcpolicy judges"),
    ("timeline-to-10000", f"timeline --from 2190 --to 10000 {FRA}", 2, "--to 10000 is outside the years"),
    ("timeline-reversed", f"timeline --from 2031 --to 2030 {FRA}", 2, "--to 2030 is before --from 2031"),
    ("jurisdiction-empty", f"eval -j= {FRA}", 2, '-j "" names no jurisdiction'),
    ("jurisdiction-comma", f"eval -j , {FRA}", 2, '-j "," names no jurisdiction'),
    ("jurisdiction-unknown", f"eval -j xx {FRA}", 2, "xx"),
    ("period-0000", f"eval -j de --period 0000 {FRA}", 2, '--period "0000" names no period of the input'),
    ("period-fy9999", f"eval -j de --period FY9999 {FRA}", 2, '--period "FY9999" names no period of the input'),
    ("set-offset-fraction", f"eval -j de --set period[-1.5].energy.total=1GWh {FRA}", 2,
     'fra-3 has no period "-1.5"'),
    ("max-input-size-word", f"eval --max-input-size lots {FRA}", 2, '--max-input-size "lots" is not a size'),
    ("max-input-size-zero", f"eval --max-input-size 0 {FRA}", 2, '"0" is not a size of at least one byte'),
    ("fail-on-unknown", f"eval --fail-on sometimes {FRA}", 2, "--fail-on takes"),
    ("jobs-zero", f"eval -j de --format jsonl --jobs 0 {FRA}", 2, '--jobs takes a whole number from 1'),
    ("explain-summary", f"eval --explain --format summary {FRA}", 2, "--explain cannot be shown in --format summary"),
    ("trace-with-summary", f"eval --trace full --format summary {FRA}", 2, "cannot be shown in --format summary"),
    ("months-zero", f"priorities --months 0 {FRA}", 2, "--months 0: give 1 to 120"),
]


def main() -> None:
    if HERE.exists():
        shutil.rmtree(HERE)
    HERE.mkdir()
    (HERE / "shared-site.yaml").write_text(SITE.format(id="shared-1"), encoding="utf-8")
    rows = facility_rows() + portfolio_rows() + case_rows()
    lines = ["# file\tcommand\texit code\terror code\treported file\tline\tcolumn"]
    lines += ["\t".join(str(x) for x in row) for row in rows]
    lines += ["# command-line arguments: name\tcommand\texit code\twords of the one error line"]
    lines += ["\t".join(["arg:" + name, command, str(code), words]) for name, command, code, words in ARGUMENTS]
    (HERE / "EXPECTED.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(rows)} files and {len(ARGUMENTS)} command lines in {HERE}")


if __name__ == "__main__":
    main()
