"""Writes tests/corpus/policies/: bad policies, one fault each, and EXPECTED.tsv saying where it is.

    .venv/bin/python tests/corpus/make_policy_corpus.py

Each fault is placed at a known line and column of one of a few templates (a rule's requirement, a
scope's applicability, a relief's condition, a report item's condition, a definition), so the position
in EXPECTED.tsv is known by construction, not copied from the tool's output. tests/test_policy_corpus.py
checks every file through the `policy check` command. Rerun this script after changing a fault; the
files are committed so that a reviewer can open each one.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent / "policies"
H = 'jurisdiction de "Germany"\n'
NODE = "facility.network_node"

# (name, expression with the fault, code, offset of the fault in the expression); each expression is a
# condition (true/false), so only the fault is wrong in every template.
FAULTS = [
    # depth (issue 12, "Depth")
    ("parens-101", "(" * 101 + NODE + ")" * 101, "E106", 0),
    ("parens-1000", "(" * 1000 + NODE + ")" * 1000, "E106", 0),
    ("and-150", " and ".join([NODE] * 150), "E106", 0),
    ("and-2000", " and ".join([NODE] * 2000), "E106", 0),  # 10,000 terms: tests/test_depth_limits.py
    ("or-101", " or ".join([NODE] * 101), "E106", 0),
    ("not-2000", "not " * 2000 + NODE, "E106", 0),
    ("minus-2000", "-" * 2000 + "1 <= 2", "E106", 0),
    ("sum-3000", " + ".join(["1"] * 3000) + " > 0", "E106", 0),
    ("calls-200", "abs(" * 200 + "1" + ")" * 200 + " <= 2", "E106", 0),
    ("tiers-120", "(1 when true, " * 120 + "1" + " otherwise)" * 120 + " <= 2", "E106", 0),
    ("sets-150", "true in {" * 150 + "true" + "}" * 150, "E106", 0),
    # ranges (issue 12, "Ranges")
    ("digits-16", "9999999999999999 > 1", "E107", 0),
    ("digits-400", "9" * 400 + " > 1", "E107", 0),
    ("fraction-16", "0.1234567890123456 > 1", "E107", 0),
    ("quantity-digits", "facility.power.it_installed <= 10000000000000000000 kW", "E107", 31),
    ("year-0", "facility.started < 0000-01-01", "E401", 19),
    ("february-30", "facility.started < 2026-02-30", "E401", 19),
    ("month-13", "facility.started < 2026-13-01", "E401", 19),
    ("one-digit-month", "facility.started < 2026-7-01", "E105", 19),
    # strictness (issue 12, "Leniency")
    ("offset-fraction", "period[-1.5].energy.total > 0 kWh", "E107", 6),
    ("offset-zero", "period[-0].energy.total > 0 kWh", "E107", 6),
    ("offset-101", "period[-101].energy.total > 0 kWh", "E107", 6),
    ("offset-huge", "period[-99999999999999999999].energy.total > 0 kWh", "E107", 6),
    ("fullwidth-digits", "１２ > 3", "E102", 0),
    ("arabic-indic-digit", "1٢ > 3", "E102", 1),
    ("math-digit", "𝟗 > 3", "E102", 0),
    ("fullwidth-in-date", "facility.started < ２026-01-01", "E102", 19),
    # text (issue 12, "Text")
    ("vertical-tab", "1 \v<= 2", "E102", 2),
    ("nul", "1 <=\x00 2", "E102", 4),
    ("escape-sequence", "true and\x1b[31m true", "E102", 8),
    ("line-separator", "true\u2028 and true", "E102", 4),
    ("next-line", "1 <= 2\x85", "E102", 6),
    ("zero-width-space", "true or \u200b true", "E102", 8),
    ("delete", "1 <= \x7f2", "E102", 5),
    ("unicode-le", "1 ≤ 2", "E102", 2),
    ("unterminated-text", 'facility.name == "abc', "E104", 17),
    # names and types, at every place a condition stands
    ("unknown-name", "nope <= 1", "E201", 0),
    ("unknown-field", "facility.powr.it_installed > 1 kW", "E202", 0),
    ("unknown-unit", "facility.power.it_installed >= 300 kWW", "E205", 31),
    ("kw-vs-kwh", "facility.power.it_installed <= 300 kWh", "E302", 0),
    ("date-vs-number", "facility.started <= 2026", "E301", 0),
]

TEMPLATES = {
    # name: (text before the expression, text after it, line and column of the expression)
    "require": (H + 'rule r "t"\n  cite "§1"\n  require ', "\n", 4, 11),
    "applies": (H + 'scope "s"\n  cite "§1"\n  applies ', '\nrule r "t"\n  cite "§2"\n  require true\n', 4, 11),
    "exempt": (H + 'rule r "t"\n  cite "§1"\n  require true\n  exempt ', '\n    cite "§2"\n    because "b"\n', 5, 10),
    "item": (H + 'report k "t"\n  cite "§1"\n  item n "n" public facility.name when ', "\n", 4, 40),
    "define": (H + "define d = ", '\nrule r "t"\n  cite "§1"\n  require d\n', 2, 12),
}


def cases():
    """(file name, text, code, line, column) for every fault in every template."""
    for name, expression, code, offset in FAULTS:
        for place, (before, after, line, column) in TEMPLATES.items():
            yield f"{name}--{place}.policy", before + expression + after, code, line, column + offset
    for length in (2, 3, 10, 50, 600):  # cycles among definitions
        text = H + "".join(f"define d{i} = d{(i + 1) % length} + 1\n" for i in range(length))
        yield f"cycle-{length}.policy", text + 'rule r "t"\n  cite "§1"\n  require d0 > 0\n', "E503", 2, 1
    for links in (51, 60, 2000):  # chains of definitions: d50 is the first more than 100 levels deep
        text = H + "".join(f"define d{i} = d{i - 1} + 1\n" for i in range(1, links)) + "define d0 = 1\n"
        yield f"chain-{links}.policy", text + f'rule r "t"\n  cite "§1"\n  require d{links - 1} > 0\n', "E106", 51, 1


NOT_UTF8 = [  # (file name, bytes, line, column) of the first byte that is not UTF-8: F101
    ("latin1-title.policy", b'jurisdiction de "K\xf6ln"\n', 1, 19),
    ("latin1-comment.policy", H.encode() + b"# caf\xe9\n", 2, 6),
    ("after-multibyte.policy", H.encode() + "# é € ".encode() + b"\xff\n", 2, 7),
    ("crlf-lines.policy", b'jurisdiction de "Germany"\r\nrule r "t"\r\n  cite "\x80"\r\n', 3, 9),
    ("surrogate.policy", H.encode() + b"\n\n# \xed\xa0\x80\n", 4, 3),
    ("overlong.policy", b"\xc0\xaf" + H.encode(), 1, 1),
    ("beyond-unicode.policy", H.encode() + b'rule r "\xf4\x90\x80\x80"\n', 2, 9),
    ("truncated.policy", H.encode() + b"# \xe2\x82", 2, 3),
    ("utf16.policy", '\ufeffjurisdiction de "Germany"\n'.encode("utf-16-le"), 1, 1),
]


def main() -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    for old in HERE.glob("*.policy"):
        old.unlink()
    rows = ["# file\texit code\terror code\tline\tcolumn"]
    for name, text, code, line, column in cases():
        (HERE / name).write_bytes(text.encode("utf-8"))
        rows.append(f"{name}\t3\t{code}\t{line}\t{column}")
    for name, data, line, column in NOT_UTF8:
        (HERE / name).write_bytes(data)
        rows.append(f"{name}\t3\tF101\t{line}\t{column}")
    (HERE / "EXPECTED.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(rows) - 1} bad policies in {HERE}")


if __name__ == "__main__":
    main()
