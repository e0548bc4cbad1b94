"""Writes tests/corpus/yaml/: hostile or lenient YAML and CSV inputs, one fault each, and EXPECTED.tsv saying where.

    .venv/bin/python tests/corpus/make_yaml_corpus.py

Issue 12 for the facility loader, on every path that reads YAML: a facility file and a portfolio
(`policy eval`, the whole document and the streamed `--format jsonl`), stdin, a CSV register, and a
`policy test` case file. Each fault sits at a line and column known by construction (the depth limit and
the alias budget are those of evaluator/yaml_events.py); tests/test_yaml_corpus.py runs each file
through its command and checks the first diagnostic's file, code, line and column, the exit code, and
that no traceback or internal error is printed. Rerun this script after changing a fault.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent / "yaml"
MAX_DEPTH = 100  # evaluator/yaml_events.py
HEAD = "id: fra-3\nname: FRA-3 Frankfurt\nlocation: {country: DE}\n"  # lines 1-3: the fault is on line 4
CASE_HEAD = ("policy: de\nbase:\n  id: fra-3\n  name: FRA-3\n  location: {country: DE}\ncases:\n"
             "  - name: the fault\n    as_of: 2031-06-01\n    expect: {de.pue_new: pass}\n    facility:\n")  # fault: line 11


def bomb(indent: str, name: str = "a") -> tuple[str, int, int]:
    """Six levels of five aliases each (5, 30, 155, ... nodes): the second alias of the last level takes the
    aliases past 10,000 nodes (more than 10,000 + 10 x the few nodes written). Returns the text, and the
    line (from the first of these lines, 0-based) and column of that alias."""
    lines = [f"{indent}{name}0: &{name}0 [x, x, x, x, x]"]
    for level in range(1, 6):
        lines.append(f"{indent}{name}{level}: &{name}{level} [" + ", ".join([f"*{name}{level - 1}"] * 5) + "]")
    prefix = f"{indent}{name}5: &{name}5 [*{name}4, "
    return "\n".join(lines) + "\n", 5, len(prefix) + 1


def deep_flow(prefix: str, levels: int = 500) -> tuple[str, int]:
    """`prefix` then nested lists; returns the text and the column of the first list."""
    return prefix + "[" * levels + "]" * levels + "\n", len(prefix) + 1


def faults():
    """(file name, command, text, exit code, code, line, column[, the file the error is in, if another])."""
    out = []

    def facility(name, text, code, line, column, command="eval"):
        out.append((f"{name}.yaml", command, HEAD + text, 2, code, line, column))

    # depth: the root mapping is level 1, so the 100th list inside it is level 101, one too deep
    text, first = deep_flow("x: ")
    facility("deep-flow-500", text, "F102", 4, first + MAX_DEPTH - 1)
    text, first = deep_flow("x: ", 3000)  # libyaml stops first, at its own limit: the 1,000th flow level
    facility("deep-flow-3000", text, "F102", 4, first + 999)
    block = "x:\n" + "".join("  " * (i + 1) + "a:\n" for i in range(2000))  # the k-th mapping: line 4 + k
    facility("deep-block-2000", block, "F102", 4 + MAX_DEPTH - 1 + 1, 2 * MAX_DEPTH + 1)
    # aliases
    text, line, column = bomb("")
    facility("alias-bomb", text, "F102", 4 + line, column)
    facility("alias-recursive", "x: &r [1, *r]\n", "F102", 4, 11)
    facility("alias-undefined", "owner: *nowhere\n", "F102", 4, 8)
    # tags
    facility("tag-custom-scalar", "owner: !custom Acme\n", "F102", 4, 8)
    facility("tag-custom-mapping", "power: !custom {nominal_connected: 2 MW}\n", "F102", 4, 8)
    facility("tag-custom-list", "periods: !periods []\n", "F102", 4, 10)
    facility("tag-python", "owner: !!python/object:os.system x\n", "F102", 4, 8)
    facility("tag-binary", "owner: !!binary aGVsbG8=\n", "F102", 4, 8)
    facility("tag-set", "owner: !!set {a: null}\n", "F102", 4, 8)
    facility("tag-local-uri", "owner: !<tag:example.com,2026:x> Acme\n", "F102", 4, 8)
    # full-width and other digits are not numbers
    facility("fullwidth-design-pue", "design_pue: \uff11.\uff15\n", "F205", 4, 13)
    facility("fullwidth-quantity", "power: {nominal_connected: \uff11\uff10\uff10 kW}\n", "F205", 4, 28)
    facility("fullwidth-period", "periods:\n  - period: \uff12\uff10\uff12\uff15\n", "F208", 5, 13)
    facility("fullwidth-fiscal-period", "periods:\n  - period: FY\uff12\uff10\uff12\uff15\n", "F208", 5, 13)
    facility("arabic-indic-racks", "racks: {installed: \u0661\u0662}\n", "F205", 4, 20)
    facility("fullwidth-date", "started: \uff12026-01-01\n", "F204", 4, 10)
    facility("duplicate-key", "owner: A\nowner: B\n", "F105", 5, 1)

    # a portfolio, read whole (json) and streamed (jsonl): the entry's fields are on lines 3-5
    entry = "facilities:\n  - id: a\n    name: A\n    location: {country: DE}\n"
    for command in ("eval", "eval-jsonl"):
        suffix = "" if command == "eval" else "-streamed"
        # root, facilities, entry: three levels, so the 98th list is level 101
        out.append((f"portfolio-deep{suffix}.yaml", command, entry + deep_flow("    x: ")[0],
                    2, "F102", 5, 8 + MAX_DEPTH - 3))
        text, line, column = bomb("    ")
        out.append((f"portfolio-alias-bomb{suffix}.yaml", command, entry + text, 2, "F102", 5 + line, column))
        out.append((f"portfolio-tag{suffix}.yaml", command, entry + "    owner: !custom Acme\n", 2, "F102", 5, 12))
        out.append((f"portfolio-fullwidth{suffix}.yaml", command, entry + "    design_pue: \uff11.\uff15\n",
                    2, "F205", 5, 17))
    # a portfolio listing a facility file that holds the fault: located in that file
    out.append(("portfolio-listing-a-bomb.yaml", "eval", "facilities:\n  - alias-bomb.yaml\n", 2, "F102",
                4 + bomb("")[1], bomb("")[2], "alias-bomb.yaml"))
    out.append(("portfolio-listing-a-deep-file.yaml", "eval-jsonl", "facilities:\n  - deep-block-2000.yaml\n", 2,
                "F102", 4 + MAX_DEPTH, 2 * MAX_DEPTH + 1, "deep-block-2000.yaml"))
    # stdin, a facility read whole and a portfolio streamed entry by entry
    text, line, column = bomb("")
    out.append(("stdin-portfolio-alias-bomb.yaml", "eval-stdin-jsonl", entry + bomb("    ")[0], 2, "F102",
                5 + bomb("    ")[1], bomb("    ")[2]))
    out.append(("stdin-alias-bomb.yaml", "eval-stdin", HEAD + text, 2, "F102", 4 + line, column))
    out.append(("stdin-deep.yaml", "eval-stdin", HEAD + "x: " + "{a: " * 500 + "1" + "}" * 500 + "\n",
                2, "F102", 4, 4 + (MAX_DEPTH - 1) * 4))
    # CSV: a cell's digits
    out.append(("csv-fullwidth.csv", "eval", "id,name,location.country,design_pue\nfra-3,FRA-3,DE,\uff11.\uff15\n",
                2, "F205", 2, 16))
    out.append(("csv-fullwidth-unit.csv", "eval",
                "id,name,location.country,power.nominal_connected [kW]\nfra-3,FRA-3,DE,\uff13\uff10\uff10\n",
                2, "F205", 2, 16))

    # policy test case files: the facility's fields are indented by six. A file that cannot be read as
    # YAML is an error of the file (exit 2); a case whose facility data is invalid fails (exit 1)
    def case(name, text, code, line, column, exit_code=2):
        out.append((f"case-{name}.yaml", "test", CASE_HEAD + text, exit_code, code, line, column))

    # root, cases, the case, its facility: four levels, so the 97th list is level 101
    case("deep", deep_flow("      x: ")[0], "F102", 11, 10 + MAX_DEPTH - 4)
    text, line, column = bomb("      ")
    case("alias-bomb", text, "F102", 11 + line, column)
    case("tag", "      owner: !custom Acme\n", "F102", 11, 14)
    case("duplicate-key", "      design_pue: 1.2\n      design_pue: 1.5\n", "F105", 12, 7)
    case("duplicate-dotted", "      power: {nominal_connected: 2 MW}\n      power.nominal_connected: 3 MW\n",
         "F105", 12, 7, exit_code=1)
    case("fullwidth", "      design_pue: \uff11.\uff15\n", "F205", 11, 19, exit_code=1)
    return out


def main() -> None:
    HERE.mkdir(exist_ok=True)
    for old in HERE.iterdir():
        old.unlink()
    rows = ["# file\tcommand\texit code\terror code\tline\tcolumn\tfile of the error (if not the file itself)"]
    for name, command, text, exit_code, code, line, column, *where in faults():
        (HERE / name).write_text(text, encoding="utf-8")
        rows.append(f"{name}\t{command}\t{exit_code}\t{code}\t{line}\t{column}\t{''.join(where)}")
    (HERE / "EXPECTED.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
