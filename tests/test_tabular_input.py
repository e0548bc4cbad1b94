"""CSV registers (issue 9): one row per facility-period, the same validation as YAML, errors at file:row:column."""

from __future__ import annotations

import json

import pytest

from dcpolicy.cli import api
from dcpolicy.evaluator.inputs import load_inputs

HEADER = ("id,name,operator_id,started,location.country,power.nominal_connected [kW],period,"
          "energy.total [GWh],energy.it [GWh],energy.renewable\n")
ROWS = ('fra-3,FRA-3 Frankfurt,example-colo,2015-05-01,DE,2400,2029,14.1,10,14.1 GWh\n'
        'fra-3,,,,,,2030,14.1,10,\n'
        'mun-1,"Munich, North",op-2,2027-01-01,DE,900,2030,5.5,5,2 GWh\n')
YAML = """\
facilities:
  - id: fra-3
    name: FRA-3 Frankfurt
    operator_id: example-colo
    started: 2015-05-01
    location: {country: DE}
    power: {nominal_connected: 2400 kW}
    periods:
      - {period: 2029, energy: {total: 14.1 GWh, it: 10 GWh, renewable: 14.1 GWh}}
      - {period: 2030, energy: {total: 14.1 GWh, it: 10 GWh}}
  - id: mun-1
    name: "Munich, North"
    operator_id: op-2
    started: 2027-01-01
    location: {country: DE}
    power: {nominal_connected: 900 kW}
    periods:
      - {period: 2030, energy: {total: 5.5 GWh, it: 5 GWh, renewable: 2 GWh}}
"""


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _facts(facility):
    return ({k: f.value for k, f in facility.facts.items()},
            [(p.label, {k: f.value for k, f in p.facts.items()}) for p in facility.periods])


def test_a_csv_register_reads_as_the_same_yaml(tmp_path):
    csv = load_inputs([_write(tmp_path, "register.csv", HEADER + ROWS)]).facilities
    yaml = load_inputs([_write(tmp_path, "register.yaml", YAML)]).facilities
    assert [f.id for f in csv] == ["fra-3", "mun-1"] and [f.operator_id for f in csv] == ["example-colo", "op-2"]
    assert [_facts(f) for f in csv] == [_facts(f) for f in yaml]
    fact = csv[0].periods[0].facts["energy.total"]
    assert (fact.span.line, fact.span.column, fact.written) == (2, 60, "14.1 GWh")


def test_csv_and_yaml_give_the_same_verdicts(tmp_path, policy_cli):
    def results(path):
        run = policy_cli(["eval", "-j", "de,eu", "--as-of", "2031-06-01", "--format", "jsonl", "--trace", "none", path])
        lines = [json.loads(line) for line in run.stdout.splitlines()[1:]]
        return run.exit_code, [(e["facility"], e["status"], [(r["rule"], r["verdict"]) for r in e["results"]])
                               for e in lines]

    csv, yaml = results(_write(tmp_path, "r.csv", HEADER + ROWS)), results(_write(tmp_path, "r.yaml", YAML))
    assert csv == yaml and csv[0] == 1
    assert ("de.pue_existing_2030", "fail") in csv[1][0][2]


@pytest.mark.parametrize("rows, where, words", [
    ("fra-3,FRA-3,x,2015-05-01,DE,2400,2030,14.1,10 kg,\n", "2:44", 'F203 unknown unit "kg" in energy.it'),
    ("fra-3,FRA-3,x,2015-05-01,DE,2400,2030,14.1\n", "2:1", "F102 CSV error: this row has 8 cells, the header 10"),
    ("fra-3,FRA-3,x,2015-05-01,DE,2400,2030,14.1,10,\nfra-3,FRA-3,y,,,,2029,1,1,\n", "3:13",
     'F105 operator_id of facility fra-3 differs from row 2 ("x")'),
    ('fra-3,"FRA-3,x,2015-05-01,DE,2400,2030,14.1,10,\n', "2:7", "F102 CSV error: a quoted cell is not closed"),
    ("fra-3,FRA-3,x,2015-02-30,DE,2400,2030,14.1,10,\n", "2:15", "F204"),
    ("fra-3,FRA-3,x,2015-05-01,DE,2400,2030,9,10,\n", "2:", "F206"),
])
def test_csv_errors_are_located_by_row_and_column(tmp_path, policy_cli, rows, where, words):
    path = _write(tmp_path, "bad.csv", HEADER + rows)
    run = policy_cli(["eval", "-j", "de", "--as-of", "2031-06-01", path])
    assert run.exit_code == 2
    assert f"{path}:{where}" in run.stderr and words in run.stderr, run.stderr


def test_a_csv_without_an_id_column_or_with_an_unknown_column(tmp_path):
    with pytest.raises(api.InvalidInput, match=r"no\.csv:1:1: F107 facility has no `id`"):
        api.load_facilities([_write(tmp_path, "no.csv", "name,started\nX,2015-05-01\n")])
    with pytest.raises(api.InvalidInput, match=r'typo.csv:1:24: F106 unknown key "totl"'):
        api.load_facilities([_write(tmp_path, "typo.csv", "id,name,started,period,energy.totl\na,A,2015-05-01,2030,1\n")])


def test_a_folder_reads_its_csv_files_beside_its_yaml_files_in_name_order(tmp_path):
    folder = tmp_path / "sites"
    folder.mkdir()
    (folder / "b-register.csv").write_text(HEADER + ROWS, encoding="utf-8")
    (folder / "a-site.yaml").write_text("id: ham-1\nname: HAM-1\nlocation: {country: DE}\n", encoding="utf-8")
    (folder / "notes.txt").write_text("not an input", encoding="utf-8")
    loaded = load_inputs([str(folder)])
    assert [f.id for f in loaded.facilities] == ["ham-1", "fra-3", "mun-1"]
    assert [s.path for s in loaded.sources] == [str(folder / "a-site.yaml"), str(folder / "b-register.csv")]
    by_id = {f.id: f for f in loaded.facilities}
    assert by_id["fra-3"].facts["power.nominal_connected"].value == 2400.0
    streamed = []
    load_inputs([str(folder)], sink=streamed.append)
    assert [f.id for f in streamed] == ["ham-1", "fra-3", "mun-1"]


def test_an_error_in_a_folders_csv_file_is_located_there(tmp_path, policy_cli):
    folder = tmp_path / "sites"
    folder.mkdir()
    (folder / "register.csv").write_text(HEADER + ROWS.replace(",900,", ",９００,"), encoding="utf-8")
    result = policy_cli(["eval", "-j", "de", str(folder)])
    assert result.exit_code == 2
    assert f"{folder / 'register.csv'}:4:" in result.stderr and "F205" in result.stderr


def test_an_empty_folder_names_every_kind_of_file_it_reads(tmp_path, policy_cli):
    result = policy_cli(["eval", "-j", "de", str(tmp_path)])
    assert result.exit_code == 2 and "holds no *.yaml, *.yml or *.csv files" in result.stderr
