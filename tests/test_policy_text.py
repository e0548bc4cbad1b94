"""Policy text hygiene (issue 12, "Text"): lines counted as editors count them, invisible characters
named, digits of other scripts refused, files that are not UTF-8 located by line and column."""

from __future__ import annotations

import datetime

import pytest

from dcpolicy.cli.api import compile_plans, evaluate_plans, load_facilities
from dcpolicy.cli.main import main
from dcpolicy.dsl.checker import check
from dcpolicy.dsl.diagnostics import DiagnosticError, render, source_lines
from dcpolicy.dsl.formatter import format_policy
from dcpolicy.dsl.parser import parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRA = ROOT / "examples" / "fra-3.yaml"

# Characters str.splitlines() takes for line ends but editors and the parser do not: before the fix
# each one shifted every later span by a line, and traces showed the wrong expression.
NOT_LINE_ENDS = ["\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\v"]


def _policy(odd: str) -> str:
    return ('jurisdiction de "Germany"\n'
            f'# a comment with {odd} inside\n'
            f'define pue = period.energy.total / period.energy.it  "PUE{odd}as written"\n'
            '\f\n'
            'rule r "t"\n'
            '  cite "§1"\n'
            '  from 2020-01-01\n'
            '  require pue <= 1.5\n')


@pytest.mark.parametrize("odd", NOT_LINE_ENDS, ids=[f"U+{ord(c):04X}" for c in NOT_LINE_ENDS])
def test_a_character_that_is_no_line_end_shifts_no_span(odd, tmp_path):
    source = _policy(odd)
    assert len(source_lines(source)) == source.count("\n") + 1
    policy = parse(source, "odd.policy")
    require = policy.rules[0].value("require")
    assert (require.span.line, require.span.column) == (8, 11)
    check(policy, source)
    assert format_policy(policy, source).count(odd) == 2  # the comment and the text keep it
    path = tmp_path / "odd.policy"
    path.write_text(source, encoding="utf-8")
    (plan,) = compile_plans([path])
    assert plan.rules[0].require.nodes[0].text == "pue <= 1.5"  # not the date of line 7
    assert plan.rules[0].in_force_from.nodes[0].text == "2020-01-01"
    run = evaluate_plans([plan], load_facilities([str(FRA)]), datetime.date(2026, 1, 1))
    (result,) = run.every_result()
    assert result.verdict in ("pass", "fail")


def test_carriage_returns_before_line_feeds_are_part_of_the_line_break():
    source = _policy("").replace("\n", "\r\n").replace("require pue <= 1.5", "require nope <= 1.5")
    with pytest.raises(DiagnosticError) as caught:
        check(parse(source, "crlf.policy"), source)
    unused, diagnostic = caught.value.diagnostics
    assert (unused.code, unused.span.line) == ("W601", 3)  # pue, no longer used
    assert (diagnostic.code, diagnostic.span.line, diagnostic.span.column) == ("E201", 8, 11)
    assert render(diagnostic, source).splitlines()[1] == "    8 |   require nope <= 1.5"


INVISIBLE = {"\v": "U+000B", "\x00": "U+0000", "\x1b": "U+001B", "\u2028": "U+2028", "\u200b": "U+200B",
             "\x7f": "U+007F", "\ufeff": "U+FEFF"}


@pytest.mark.parametrize("char", list(INVISIBLE), ids=list(INVISIBLE.values()))
def test_an_invisible_character_is_named_and_never_printed_raw(char):
    source = 'jurisdiction de "Germany"\nrule r "t"\n  cite "§1"\n  require 1 <=' + char + " 2\n"
    with pytest.raises(DiagnosticError) as caught:
        parse(source, "x.policy")
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.code, diagnostic.span.line, diagnostic.span.column) == ("E102", 4, 15)
    assert diagnostic.message.startswith(f"unexpected invisible character {INVISIBLE[char]} (")
    shown = render(diagnostic, source)
    assert char not in shown
    assert "    4 |   require 1 <=\ufffd 2" in shown


@pytest.mark.parametrize("digits, first", [("１２", "１"), ("٣", "٣"), ("1٢", "٢"), ("𝟗", "𝟗")])
def test_digits_of_other_scripts_are_not_numbers(digits, first):
    source = f'jurisdiction de "Germany"\nrule r "t"\n  cite "§1"\n  require {digits} > 0\n'
    with pytest.raises(DiagnosticError) as caught:
        parse(source, "x.policy")
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "E102"
    assert diagnostic.span.column == 11 + digits.index(first)
    assert diagnostic.message.startswith(f'"{first}" (U+{ord(first):04X}) is not a digit of the language')


@pytest.mark.parametrize("before, bad, line, column", [
    (b'jurisdiction de "K', b"\xf6", 1, 19),
    (b'jurisdiction de "Germany"\n# caf\xc3\xa9 \xe2\x82\xac ', b"\xe9", 2, 10),  # é and € are one column each
    (b'jurisdiction de "Germany"\r\nrule r "t"\r\n  cite "', b"\xff", 3, 9),
    (b'jurisdiction de "Germany"\n\n\n# ', b"\xed\xa0\x80", 4, 3),  # an encoded surrogate
    (b"", b"\xc0\xaf", 1, 1),  # an overlong encoding
])
def test_a_file_that_is_not_utf8_is_located_by_line_and_column(tmp_path, capsys, before, bad, line, column):
    path = tmp_path / "bytes.policy"
    path.write_bytes(before + bad + b' rest"\n')
    assert main(["check", str(path)]) == 3
    err = capsys.readouterr().err
    assert f"bytes.policy:{line}:{column}: F101 this policy file is not UTF-8: byte 0x{bad[0]:02x}" in err
    assert "Traceback" not in err and "internal error" not in err


def test_a_byte_order_mark_at_the_start_of_a_file_is_not_part_of_the_policy(tmp_path, capsys):
    path = tmp_path / "bom.policy"
    path.write_bytes(b"\xef\xbb\xbf" + 'jurisdiction de "Germany"\nrule r "t"\n  cite "§1"\n  require nope\n'.encode())
    assert main(["check", str(path)]) == 3
    assert "bom.policy:4:11: E201" in capsys.readouterr().err
