"""Checker and parser diagnostics: code, line and column for malformed policies, the exact
rendered text for every code, and "one root cause gives one error"."""

from __future__ import annotations

from pathlib import Path

import pytest

from dcpolicy.dsl import builtins
from dcpolicy.dsl.checker import check
from dcpolicy.dsl.diagnostics import DiagnosticError, render
from dcpolicy.dsl.messages import CATALOGUE
from dcpolicy.dsl.parser import parse

FIXTURES = Path(__file__).parent / "fixtures" / "policies"


def diagnose(source: str, file: str = "de.policy"):
    """Every diagnostic (errors and warnings) that parsing and checking report."""
    try:
        checked = check(parse(source, file), source)
    except DiagnosticError as err:
        return list(err.diagnostics)
    return list(checked.warnings)


H = 'jurisdiction de "Germany"\n'
PUE = "define pue = period.energy.total / period.energy.it\n"
def rule(body, name="r"):
    return H + f'rule {name} "t"\n  cite "§1"\n' + body
CASES = [
  # id, source, code, line, col
  ("E101-missing-comparison", H + 'rule r "t" cite "§1"\n  require pue 1.3\n', "E101", 3, 15),
  ("E101-misspelt-keyword", rule("  requir 1 <= 2\n"), "E101", 4, 3),
  ("E101-missing-title", H + 'rule r\n  cite "§1"\n', "E101", 3, 3),
  ("E101-unclosed-paren-next-decl", rule("  require (1 <= 2\nrule s \"u\"\n"), "E101", 5, 1),
  ("E101-bad-legal-status", H + "  legal-status repealed\n", "E101", 2, 16),
  ("E101-month-day", H + "  calendar fiscal-year from 4-1\n", "E101", 2, 29),
  ("E201-keyword-as-value", rule("  require 1 <= and\n"), "E201", 4, 16),
  ("E101-missing-operand", rule("  require 1 <= )\n"), "E101", 4, 16),
  ("E102-unicode-le", rule("  require 1 ≤ 2\n"), "E102", 4, 13),
  ("E102-ampersand", rule("  require true & false\n"), "E102", 4, 16),
  ("E103-eof-after-operator", rule("  require 1 <="), "E103", 4, 15),
  ("E103-eof-in-set", rule('  require facility.type in {"colocation"'), "E103", 4, 41),
  ("E104-unterminated", H + 'rule r "t"\n  cite "§1\n  require 1 <= 2\n', "E104", 3, 8),
  ("E105-one-digit-month", rule("  require facility.started < 2026-7-01\n"), "E105", 4, 30),
  ("E106-nested-too-deeply", rule("  require " + "(" * 100 + "true" + ")" * 100 + "\n"), "E106", 4, 11),
  ("E106-definition-chain", H + "".join(f"define d{i} = d{i - 1} + 1\n" for i in range(1, 51)) + "define d0 = 1\n"
   + rule("  require d50 > 0\n")[len(H):], "E106", 51, 1),
  ("E107-too-many-digits", rule("  require facility.power.it_installed <= 1000000000000000000 kW\n"), "E107", 4, 42),
  ("E107-fractional-offset", rule("  require period[-1.5].energy.total <= 1 GWh\n"), "E107", 4, 17),
  ("E201-unknown-name", H + PUE + 'rule r "t"\n  cite "§1"\n  require pue >= 1 and pu <= 1.3\n', "E201", 5, 24),
  ("E201-undefined", rule("  require erf >= 10 %\n"), "E201", 4, 11),
  ("E202-unknown-field", rule("  applies facility.power.nominal >= 300 kW\n  require true\n"), "E202", 4, 11),
  ("E202-bare-root", rule("  require period >= 1\n"), "E202", 4, 11),
  ("E202-definition-field", H + PUE + 'rule r "t"\n  cite "§1"\n  require pue >= 1 and pue.value <= 1.3\n', "E202", 5, 24),
  ("E203-unknown-function", rule("  require avg(period.energy.total) <= 1 kWh\n"), "E203", 4, 11),
  ("E203-arity", rule("  require round(1.234) <= 1\n"), "E203", 4, 11),
  ("E203-by-misuse", rule("  for operator\n  require mean(period.energy.it by period.energy.total) <= 1 kWh\n"), "E203", 5, 11),
  ("E203-weighted-mean-without-by", rule("  for operator\n  require weighted_mean(period.energy.it) <= 1 kWh\n"), "E203", 5, 11),
  ("E203-where-not-aggregate", rule("  require abs(1 where true) <= 1\n"), "E203", 4, 11),
  ("E204-enum-value", rule('  require facility.type == "colo"\n'), "E204", 4, 28),
  ("E204-enum-in-set", rule('  require facility.type in {"colocation", "cloud"}\n'), "E204", 4, 43),
  ("E204-severity", rule("  severity mandatry\n  require true\n"), "E204", 4, 3),
  ("E204-for", rule("  for site\n  require true\n"), "E204", 4, 3),
  ("E205-unit", rule("  require facility.power.it_installed >= 300 kWW\n"), "E205", 4, 42),
  ("E205-duration", rule("  from facility.started + 2 yeers\n  require true\n"), "E205", 4, 27),
  ("E205-fahrenheit-in-a-compound", rule("  require period.temperature_set_point > 4 degF/h\n"), "E205", 4, 42),
  ("E206-fact-in-operator-rule", rule("  for operator\n  require facility.power.it_installed >= 300 kW\n"), "E206", 5, 11),
  ("E206-definition-in-operator-rule", H + PUE + 'rule r "t"\n  cite "§1"\n  for operator\n  require pue <= 1.3\n', "E206", 6, 11),
  ("E301-date-vs-number", rule("  require facility.started <= 2026\n"), "E301", 4, 11),
  ("E301-text-ordering", rule('  require facility.name < "b"\n'), "E301", 4, 11),
  ("E301-fractional-duration", rule("  from facility.started + 1.5 years\n  require true\n"), "E301", 4, 27),
  ("E301-negated-fahrenheit", rule("  require period.temperature_set_point > -40 degF\n"), "E301", 4, 42),
  ("E302-kwh-vs-tce", rule("  require period.energy.tce_calorific >= 2000 kWh\n"), "E302", 4, 11),
  ("E302-kw-vs-kwh", rule("  require facility.power.it_installed <= 300 kWh\n"), "E302", 4, 11),
  ("E302-add-power-to-energy", rule("  require period.energy.total + 1 kW > 0 kWh\n"), "E302", 4, 11),
  ("E302-band-bound-unit", H + 'band b "t"\n  cite "§1"\n  of facility.design_pue\n  level "A" (-inf, 1 kW)\n  level "B" [1, inf)\n', "E302", 5, 20),
  ("E303-non-boolean-applies", rule("  applies facility.power.it_installed\n  require true\n"), "E303", 4, 11),
  ("E303-non-boolean-where", rule("  for operator\n  require count(1 where 3) >= 1\n"), "E303", 5, 25),
  ("E304-tier-mismatch", rule("  require (1 kW when facility.network_node, 2 otherwise) <= 2 kW\n"), "E304", 4, 45),
  ("E305-nested-aggregate", rule("  for operator\n  require sum(mean(period.energy.total)) <= 2 kWh\n"), "E305", 5, 15),
  ("E306-list-as-value", rule("  require facility.computer_rooms == 1\n"), "E306", 4, 11),
  ("E306-record-field", rule("  require every room in facility.computer_rooms: room.floor > 1 m2\n"), "E306", 4, 50),
  ("E401-impossible-date", rule("  from 2026-02-30\n  require true\n"), "E401", 4, 8),
  ("E402-date-plus-power", rule("  from facility.started + facility.power.it_installed\n  require true\n"), "E402", 4, 8),
  ("E402-date-minus-number", rule("  until 2030-01-01 - 3\n  require true\n"), "E402", 4, 9),
  ("E403-fiscal-month-13", 'jurisdiction jp "Japan"\n  calendar fiscal-year from 13-01\n', "E403", 2, 12),
  ("E403-fiscal-feb-29", 'jurisdiction jp "Japan"\n  calendar fiscal-year from 02-29\n', "E403", 2, 12),
  ("E404-territory-name", 'jurisdiction de "Germany"\n  territory "Germany"\n', "E404", 2, 3),
  ("E501-duplicate-rule", rule("  require true\n") + 'rule r "again"\n  cite "§2"\n  require true\n', "E501", 5, 6),
  ("E501-band-reuses-rule-id", rule("  require true\n") + 'band r "b"\n  cite "§2"\n  of 1\n  level "A" (-inf, inf)\n', "E501", 5, 6),
  ("E502-duplicate-definition", H + "define a = 1\ndefine a = 2\n" + 'rule r "t"\n  cite "§1"\n  require a <= 2\n', "E502", 3, 1),
  ("E502-builtin", H + "define sum = 1\n" + 'rule r "t"\n  cite "§1"\n  require true\n', "E502", 2, 1),
  ("E503-cycle", H + "define a = b + 1\ndefine b = a + 1\n" + 'rule r "t"\n  cite "§1"\n  require a <= 2\n', "E503", 2, 1),
  ("E504-rule-without-cite", H + 'rule r "t"\n  require true\n', "E504", 2, 6),
  ("E504-exempt-without-cite", rule('  require true\n  exempt facility.converted_building\n    because "converted"\n'), "E504", 5, 3),
  ("E505-gap", H + PUE + 'band b "t"\n  cite "§1"\n  of pue\n  level "A" (-inf, 1.2)\n  level "B" [1.3, inf)\n', "E505", 7, 3),
  ("E505-no-upper", H + PUE + 'band b "t"\n  cite "§1"\n  of pue\n  level "A" (-inf, 1.2)\n  level "B" [1.2, 2)\n', "E505", 7, 3),
  ("E506-overlap", H + PUE + 'band b "t"\n  cite "§1"\n  of pue\n  level "A" (-inf, 1.2]\n  level "B" [1.2, inf)\n', "E506", 7, 3),
  ("E507-no-header", 'rule r "t"\n  cite "§1"\n  require true\n', "E507", 1, 1),
  ("E507-empty-file", "# nothing but a comment\n", "E507", 1, 1),
  ("E508-duplicate-clause", rule('  cite "§2"\n  require true\n'), "E508", 4, 3),
  ("E508-header-twice", H + '  law "A"\n  law "B"\n', "E508", 3, 3),
  ("E509-missing-require", rule("  applies true\n"), "E509", 2, 6),
  ("E509-exclude-without-reason", rule('  require true\n  exclude facility.network_node\n    cite "§3"\n'), "E509", 5, 3),
  ("E510-empty-interval", H + PUE + 'band b "t"\n  cite "§1"\n  of pue\n  level "A" (-inf, 1.5)\n  level "B" [1.5, 1.2)\n  level "C" [1.5, inf)\n', "E510", 7, 3),
  ("E510-reversed-infinities", H + 'band b "t"\n  cite "§1"\n  of facility.design_pue\n  level "A" [inf, -inf)\n', "E510", 5, 3),
  ("E511-duplicate-item", H + 'report rep "t"\n  cite "§1"\n  item a "A" public facility.name\n  item a "B" public facility.name\n', "E511", 5, 3),
  ("E512-clause-not-allowed", rule("  due 2026-01-01\n  require true\n"), "E512", 4, 3),
  ("E512-require-in-band", H + 'band b "t"\n  cite "§1"\n  of 1\n  require true\n  level "A" (-inf, inf)\n', "E512", 5, 3),
  ("E513-second-scope", H + 'scope "a"\n  cite "§1"\n  applies true\nscope "b"\n  cite "§1"\n  applies true\n', "E513", 5, 1),
  ("E514-exempt-in-scope", H + 'scope "s"\n  cite "§1"\n  applies true\n  exempt facility.network_node\n    cite "§2"\n    because "nodes"\n', "E514", 5, 3),
  ("E515-duplicate-level", H + PUE + 'band b "t"\n  cite "§1"\n  of pue\n  level "A" (-inf, 1.2)\n  level "A" [1.2, inf)\n', "E515", 7, 3),
  ("W601-unused-definition", H + "define unused = 3\n" + 'rule r "t"\n  cite "§1"\n  require true\n', "W601", 2, 1),
  ("E516-exempt-without-require", rule('  severity advisory\n  exempt facility.network_node\n    cite "§2"\n    because "b"\n'), "E516", 5, 3),
  ("W603-share-against-20", rule("  require period.energy.reused / period.energy.total >= 20\n"), "W603", 4, 57),
  ("W603-ratio-fact-on-the-right", rule("  require 50 <= period.it_utilisation\n"), "W603", 4, 11),
]

CASE_IDS = [case[0] for case in CASES]


def _case(case_id):
    return next(case for case in CASES if case[0] == case_id)


def test_the_table_is_big_enough_and_covers_every_code():
    assert len(CASES) >= 35
    assert len(set(CASE_IDS)) == len(CASE_IDS)
    produced = {case[2] for case in CASES}
    expected = {code for code in CATALOGUE if code[0] in "EW"} - {"W602"}  # W602 is reserved, never reported
    assert expected <= produced, sorted(expected - produced)


@pytest.mark.parametrize("case_id, source, code, line, column", CASES, ids=CASE_IDS)
def test_malformed_policy_gives_exactly_one_diagnostic_at_the_right_place(case_id, source, code, line, column):
    found = diagnose(source)
    assert [(d.code, d.span.line, d.span.column) for d in found] == [(code, line, column)], \
        "\n".join(render(d, source) for d in found)
    assert found[0].span.file == "de.policy"
    assert found[0].message


EXACT = {
    'E101-missing-comparison': (
        'de.policy:3:15: E101 expected a comparison such as "<=" after "pue"\n'
        '    3 |   require pue 1.3\n'
        '      |               ^^^\n'
        '  hint: write an operator between the two values, e.g. "pue <= 1.3"'
    ),
    'E101-misspelt-keyword': (
        'de.policy:4:3: E101 expected a clause keyword such as "cite", "applies" or "require", found "requir"\n'
        '    4 |   requir 1 <= 2\n'
        '      |   ^^^^^^\n'
        '  hint: did you mean "require"?'
    ),
    'E201-keyword-as-value': (
        'de.policy:4:16: E201 expected a value, found the keyword "and"\n'
        '    4 |   require 1 <= and\n'
        '      |                ^^^\n'
        '  hint: a value (a number, a name, a date or a quoted text) is missing before it'
    ),
    'E102-unicode-le': (
        'de.policy:4:13: E102 "≤" is not an operator of the language\n'
        '    4 |   require 1 ≤ 2\n'
        '      |             ^\n'
        '  hint: write "<=" instead'
    ),
    'E103-eof-after-operator': (
        'de.policy:4:15: E103 the file ends inside a declaration; expected a value (a number, a name, a date or a quoted text)\n'
        '    4 |   require 1 <=\n'
        '      |               ^\n'
        '  hint: finish the declaration after "<="'
    ),
    'E104-unterminated': (
        'de.policy:3:8: E104 this text has no closing quote\n'
        '    3 |   cite "§1\n'
        '      |        ^\n'
        '  hint: close the text with " on the same line'
    ),
    'E106-definition-chain': (
        'de.policy:51:1: E106 this definition nests 101 levels deep with the definitions it uses; the limit is 100\n'
        '   51 | define d50 = d49 + 1\n'
        '      | ^^^^^^^^^^^^^^^^^^^^\n'
        '  hint: compute it from fewer definitions in a chain, or from facts directly'
    ),
    'E107-fractional-offset': (
        'de.policy:4:17: E107 "period[-1.5]" reads a period 1.5 years back; the offset must be a whole number from 1 '
        'to 100\n'
        '    4 |   require period[-1.5].energy.total <= 1 GWh\n'
        '      |                 ^^^^^^\n'
        '  hint: write e.g. period[-1].energy.total for the period before'
    ),
    'E105-one-digit-month': (
        'de.policy:4:30: E105 "2026-7-01" is not a date in the form YYYY-MM-DD\n'
        '    4 |   require facility.started < 2026-7-01\n'
        '      |                              ^^^^^^^^^\n'
        '  hint: write months and days with two digits, e.g. 2026-07-01'
    ),
    'E201-unknown-name': (
        'de.policy:5:24: E201 unknown name "pu"\n'
        '    5 |   require pue >= 1 and pu <= 1.3\n'
        '      |                        ^^\n'
        '  hint: did you mean "pue"?'
    ),
    'E202-unknown-field': (
        'de.policy:4:11: E202 "facility.power.nominal" is not a facility field\n'
        '    4 |   applies facility.power.nominal >= 300 kW\n'
        '      |           ^^^^^^^^^^^^^^^^^^^^^^\n'
        '  hint: did you mean "facility.power.nominal_connected"?'
    ),
    'E203-unknown-function': (
        'de.policy:4:11: E203 unknown function "avg"\n'
        '    4 |   require avg(period.energy.total) <= 1 kWh\n'
        '      |           ^^^^^^^^^^^^^^^^^^^^^^^^\n'
        '  hint: functions: abs, all, any, count, date, either, end_of_fiscal_year, first_known, fiscal_year, known, ln, max, maximum, mean, min, minimum, round, start_of_fiscal_year, sum, weighted_mean, year'
    ),
    'E203-by-misuse': (
        'de.policy:5:11: E203 "by" goes with weighted_mean only, and weighted_mean needs it\n'
        '    5 |   require mean(period.energy.it by period.energy.total) <= 1 kWh\n'
        '      |           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n'
        '  hint: write weighted_mean(pue by period.energy.total)'
    ),
    'E204-enum-value': (
        'de.policy:4:28: E204 "colo" is not one of enterprise, colocation, co_hosting\n'
        '    4 |   require facility.type == "colo"\n'
        '      |                            ^^^^^^'
    ),
    'E204-severity': (
        'de.policy:4:3: E204 "mandatry" is not a severity\n'
        '    4 |   severity mandatry\n'
        '      |   ^^^^^^^^^^^^^^^^^\n'
        '  hint: did you mean "mandatory"?'
    ),
    'E205-unit': (
        'de.policy:4:42: E205 unknown unit "kWW"\n'
        '    4 |   require facility.power.it_installed >= 300 kWW\n'
        '      |                                          ^^^^^^^\n'
        '  hint: did you mean "kW"?'
    ),
    'E206-fact-in-operator-rule': (
        'de.policy:5:11: E206 "facility.power.it_installed" reads a facility fact in an operator-level rule\n'
        '    5 |   require facility.power.it_installed >= 300 kW\n'
        '      |           ^^^^^^^^^^^^^^^^^^^^^^^^^^^\n'
        '  hint: inside an operator-level rule, read facts through an aggregate, e.g. sum(period.energy.total)'
    ),
    'E301-date-vs-number': (
        'de.policy:4:11: E301 cannot compare a date with a number\n'
        '    4 |   require facility.started <= 2026\n'
        '      |           ^^^^^^^^^^^^^^^^^^^^^^^^\n'
        '  hint: write dates as YYYY-MM-DD, e.g. 2026-07-01'
    ),
    'E302-band-bound-unit': (
        'de.policy:5:20: E302 this bound is a power, but the band classifies a number\n'
        '    5 |   level "A" (-inf, 1 kW)\n'
        '      |                    ^^^^\n'
        '  hint: write the bound in plain numbers'
    ),
    'E303-non-boolean-applies': (
        'de.policy:4:11: E303 "applies" needs true/false, but this is a power\n'
        '    4 |   applies facility.power.it_installed\n'
        '      |           ^^^^^^^^^^^^^^^^^^^^^^^^^^^\n'
        '  hint: compare it with something, e.g.  x >= 300 kW'
    ),
    'E304-tier-mismatch': (
        'de.policy:4:45: E304 this tier is a number, but the first tier is a power\n'
        '    4 |   require (1 kW when facility.network_node, 2 otherwise) <= 2 kW\n'
        '      |                                             ^\n'
        '  hint: every tier of a tiered value must have the same type and unit'
    ),
    'E305-nested-aggregate': (
        'de.policy:5:15: E305 "mean" is inside another aggregate\n'
        '    5 |   require sum(mean(period.energy.total)) <= 2 kWh\n'
        '      |               ^^^^^^^^^^^^^^^^^^^^^^^^^\n'
        "  hint: aggregate once, over the operator's facilities"
    ),
    'E306-record-field': (
        'de.policy:4:50: E306 a computer room has no field "floor"\n'
        '    4 |   require every room in facility.computer_rooms: room.floor > 1 m2\n'
        '      |                                                  ^^^^^^^^^^\n'
        '  hint: did you mean "room.floor_area"?'
    ),
    'E401-impossible-date': (
        'de.policy:4:8: E401 2026-02-30 is not a date that exists\n'
        '    4 |   from 2026-02-30\n'
        '      |        ^^^^^^^^^^\n'
        '  hint: check the month (01–12) and the day of the month'
    ),
    'E402-date-plus-power': (
        'de.policy:4:8: E402 a date can only be moved by a duration, not by a power\n'
        '    4 |   from facility.started + facility.power.it_installed\n'
        '      |        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n'
        '  hint: write e.g.  facility.started + 2 years'
    ),
    'E403-fiscal-month-13': (
        'de.policy:2:12: E403 "13-01" is not a day of the year\n'
        '    2 |   calendar fiscal-year from 13-01\n'
        '      |            ^^^^^^^^^^^^^^^^^^^^^^\n'
        '  hint: write the first day of the fiscal year as MM-DD, e.g. 04-01'
    ),
    'E403-fiscal-feb-29': (
        'de.policy:2:12: E403 a fiscal year cannot start on 29 February\n'
        '    2 |   calendar fiscal-year from 02-29\n'
        '      |            ^^^^^^^^^^^^^^^^^^^^^^\n'
        '  hint: choose a day that exists every year, e.g. 03-01'
    ),
    'E404-territory-name': (
        'de.policy:2:3: E404 territory "Germany" is not an ISO 3166-1 country (DE), an ISO 3166-2 subdivision '
        '(CN-SH) or EU\n'
        '    2 |   territory "Germany"\n'
        '      |   ^^^^^^^^^^^^^^^^^^^\n'
        '  hint: write an ISO 3166-1 country code (DE), an ISO 3166-2 subdivision (CN-SH) for a regional rule, or EU'
    ),
    'E501-duplicate-rule': (
        'de.policy:5:6: E501 rule id "de.r" is already used on line 2\n'
        '    5 | rule r "again"\n'
        '      |      ^\n'
        '  hint: rule ids are stable identifiers; give this rule another name'
    ),
    'E502-duplicate-definition': (
        'de.policy:3:1: E502 "a" is already defined on line 2\n'
        '    3 | define a = 2\n'
        '      | ^^^^^^^^^^^^\n'
        '  hint: rename one of them, or delete the duplicate'
    ),
    'E503-cycle': (
        'de.policy:2:1: E503 definitions refer to each other in a cycle: a -> b -> a\n'
        '    2 | define a = b + 1\n'
        '      | ^^^^^^^^^^^^^^^^\n'
        '  hint: break the cycle: one of these must be computed from facts or constants'
    ),
    'E504-rule-without-cite': (
        'de.policy:2:6: E504 rule "r" has no citation\n'
        '    2 | rule r "t"\n'
        '      |      ^\n'
        '  hint: add a line such as  cite "§11(1) Nr. 2"  naming the article it implements'
    ),
    'E505-gap': (
        'de.policy:7:3: E505 values between levels "A" and "B" fall in no level\n'
        '    7 |   level "B" [1.3, inf)\n'
        '      |   ^^^^^^^^^^^^^^^^^^^^\n'
        '  hint: make the bounds meet: the upper bound of one is the lower bound of the next'
    ),
    'E506-overlap': (
        'de.policy:7:3: E506 levels "A" and "B" overlap\n'
        '    7 |   level "B" [1.2, inf)\n'
        '      |   ^^^^^^^^^^^^^^^^^^^^\n'
        '  hint: make one bound inclusive and the other exclusive, e.g. [1.3, 1.35) then [1.35, 1.4)'
    ),
    'E507-no-header': (
        'de.policy:1:1: E507 the policy does not start with a jurisdiction header\n'
        '    1 | rule r "t"\n'
        '      | ^^^^\n'
        '  hint: start the file with a line such as  jurisdiction de "Germany"'
    ),
    'E508-duplicate-clause': (
        'de.policy:4:3: E508 "cite" appears twice in a rule (first on line 3)\n'
        '    4 |   cite "§2"\n'
        '      |   ^^^^^^^^^\n'
        '  hint: keep one; combine conditions with and / or'
    ),
    'E509-missing-require': (
        'de.policy:2:6: E509 rule "r" has no requirement\n'
        '    2 | rule r "t"\n'
        '      |      ^\n'
        '  hint: add a line such as  require pue <= 1.3  (only an advisory rule may have none)'
    ),
    'E509-exclude-without-reason': (
        'de.policy:5:3: E509 this exclusion has no reason\n'
        '    5 |   exclude facility.network_node\n'
        '      |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n'
        '  hint: add  because "…"  saying in plain words why it applies'
    ),
    'E510-empty-interval': (
        'de.policy:7:3: E510 level "B" is empty: its lower bound is not below its upper bound\n'
        '    7 |   level "B" [1.5, 1.2)\n'
        '      |   ^^^^^^^^^^^^^^^^^^^^\n'
        '  hint: swap the bounds, or make them distinct'
    ),
    'E511-duplicate-item': (
        'de.policy:5:3: E511 report item "a" is listed twice (first on line 4)\n'
        '    5 |   item a "B" public facility.name\n'
        '      |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n'
        '  hint: give each item its own name'
    ),
    'E512-clause-not-allowed': (
        'de.policy:4:3: E512 "due" is not a clause of a rule\n'
        '    4 |   due 2026-01-01\n'
        '      |   ^^^^^^^^^^^^^^\n'
        '  hint: allowed here: cite, quote, note, severity, legal-status, for, applies, from, until, require'
    ),
    'E513-second-scope': (
        'de.policy:5:1: E513 a policy has one scope; this is a second one\n'
        '    5 | scope "b"\n'
        '      | ^^^^^^^^^\n'
        '  hint: merge the conditions into the first scope'
    ),
    'E514-exempt-in-scope': (
        'de.policy:5:3: E514 the scope cannot grant an exemption\n'
        '    5 |   exempt facility.network_node\n'
        '      |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n'
        '  hint: use  exclude <condition>  to leave facilities out of scope'
    ),
    'E515-duplicate-level': (
        'de.policy:7:3: E515 level "A" appears twice\n'
        '    7 |   level "A" [1.2, inf)\n'
        '      |   ^^^^^^^^^^^^^^^^^^^^\n'
        '  hint: give each level its own label'
    ),
    'W601-unused-definition': (
        'de.policy:2:1: W601 definition "unused" is never used\n'
        '    2 | define unused = 3\n'
        '      | ^^^^^^^^^^^^^^^^^\n'
        '  hint: remove it, or use it in a rule'
    ),
    'E516-exempt-without-require': (
        'de.policy:5:3: E516 an exemption needs a requirement to relieve, and this rule has none\n'
        '    5 |   exempt facility.network_node\n'
        '      |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n'
        '  hint: use  exclude <condition>  to leave facilities out, or add  require …'
    ),
    'W603-share-against-20': (
        'de.policy:4:57: W603 a share (between 0 and 1) is compared with 20\n'
        '    4 |   require period.energy.reused / period.energy.total >= 20\n'
        '      |                                                         ^^\n'
        '  hint: did you mean "20 %"? (or 0.2)'
    ),
}


@pytest.mark.parametrize("case_id", sorted(EXACT))
def test_exact_rendered_text(case_id):
    _id, source, code, _line, _column = _case(case_id)
    (diagnostic,) = diagnose(source)
    assert render(diagnostic, source) == EXACT[case_id]


def test_every_reported_code_has_an_exact_rendering_test():
    codes = {_case(case_id)[2] for case_id in EXACT}
    assert codes == {case[2] for case in CASES}


def test_brief_example_headline_is_exact():
    source = H + 'rule pue_limit "t" cite "EnEfG §11"\n  require pue 1.3\n'
    (diagnostic,) = diagnose(source)
    assert diagnostic.headline() == 'de.policy:3:15: E101 expected a comparison such as "<=" after "pue"'


def test_rendered_error_raised_by_check_lists_all_diagnostics_in_source_order():
    source = H + 'rule r "t"\n  require nope >= 1 and facility.power.it_installed >= 3 kWh\nrule r "u"\n  cite "x"\n  require true\n'
    with pytest.raises(DiagnosticError) as caught:
        check(parse(source, "de.policy"), source)
    codes = [(d.code, d.span.line) for d in caught.value.diagnostics]
    assert codes == [("E504", 2), ("E201", 3), ("E302", 3), ("E501", 4)]
    text = caught.value.render()
    assert text.index("E504") < text.index("E201") < text.index("E302") < text.index("E501")


# ---------------------------------------------------------------- one root cause, one error
ONE_ROOT_CAUSE = [
    ("unknown name in a comparison", rule("  require nope <= 1.3\n"), "E201"),
    ("unknown name on both sides of and", rule("  require nope and nope > 1 kW\n"), None),
    ("unknown field compared with a quantity", rule("  require facility.power.it <= 1 kWh\n"), "E202"),
    ("unknown unit in arithmetic and comparison", rule("  require facility.power.it_installed * 2 >= 3 kWW + 1 kW\n"), "E205"),
    ("unknown function as a condition", rule("  applies avg(1)\n  require true\n"), "E203"),
    ("erroneous definition used three times",
     H + "define bad = nope * 2\n" + 'rule r "t"\n  cite "x"\n  require bad <= 2 and bad >= 1\n'
     + 'rule s "t"\n  cite "x"\n  require bad <= 2\n', "E201"),
    ("erroneous definition as a band subject",
     H + "define bad = nope * 2\n" + 'band b "t"\n  cite "x"\n  of bad\n  level "A" (-inf, 2)\n  level "B" [2, inf)\n', "E201"),
    ("cycle used by two rules",
     H + "define a = b + 1\ndefine b = a + 1\n" + 'rule r "t"\n  cite "x"\n  require a <= 2 and b <= 2\n', "E503"),
    ("bad date in date arithmetic", rule("  from 2026-02-30 + 2 years\n  require true\n"), "E401"),
    ("erroneous tier is not a tier mismatch", rule("  require (1 kWW when true, 2 kW otherwise) <= 2 kW\n"), "E205"),
    ("erroneous aggregate argument", rule("  for operator\n  require sum(nope) > 0\n"), "E201"),
    ("exempt in the scope", H + 'scope "s"\n  cite "x"\n  applies true\n  exempt true\n    because "b"\n', "E514"),
    ("not of an unknown name", rule("  require not nope\n"), "E201"),
    ("unknown name in a set test", rule('  require nope in {"a", 1}\n'), "E201"),
]


@pytest.mark.parametrize("label, source, code", ONE_ROOT_CAUSE, ids=[c[0] for c in ONE_ROOT_CAUSE])
def test_one_root_cause_gives_one_error(label, source, code):
    found = diagnose(source)
    if code is None:  # the same unknown name twice: one error per occurrence, nothing else
        assert [d.code for d in found] == ["E201", "E201"]
    else:
        assert [d.code for d in found] == [code], "\n".join(render(d, source) for d in found)


@pytest.mark.parametrize("require", [
    "period.energy.total / period.energy.it <= 1.3",  # PUE: whole over part, not a share
    "period.energy.reused / period.energy.total >= 20 %",
    "period.energy.reused / period.energy.total >= 0.2",
    "period.energy.reused / period.energy.total <= 1",
])
def test_no_share_warning_for_pue_or_a_percentage(require):
    assert diagnose(rule(f"  require {require}\n")) == []


def test_unknown_name_in_comparison_is_not_also_a_type_error():
    found = diagnose(rule("  require nope <= 1.3 kW\n"))
    assert len(found) == 1
    assert found[0].code == "E201"
    assert not any(d.code.startswith("E3") for d in found)


# ---------------------------------------------------------------- the all-constructs fixture
def test_all_constructs_fixture_checks_clean():
    source = (FIXTURES / "all_constructs.policy").read_text(encoding="utf-8")
    checked = check(parse(source, "all_constructs.policy"), source)
    assert checked.warnings == ()
    assert checked.code == "xx"
    assert checked.fiscal_start == (4, 1)
    assert [d.name for d in checked.policy.rules] == ["pue_limit", "operator_pue", "renewables", "rooms", "best_practice", "pue_band",
                                                        "register"]
    labels = [level.label for level in checked.bands["pue_band"]]
    assert labels == ["A", "B", "C"]
    # the unit conversion 8.64 MJ/kWh * 0.0258 kl/GJ is checked as crude-oil equivalent per energy
    oil_used = checked.policy.definitions[[d.name for d in checked.policy.definitions].index("oil_used")]
    assert checked.type_of(oil_used.expr).dimension.name == "crude-oil equivalent"


def test_all_constructs_fixture_uses_every_function():
    source = (FIXTURES / "all_constructs.policy").read_text(encoding="utf-8")
    for name in builtins.FUNCTIONS:
        assert f"{name}(" in source, name


def test_no_input_gives_a_traceback():
    """Mangled variants of the fixture always end in diagnostics, never in an exception."""
    import random

    source = (FIXTURES / "all_constructs.policy").read_text(encoding="utf-8")
    pieces = ['(', ')', '"', '#', '[', ']', '{', '}', ',', '-', 'inf', 'rule', 'x', '1', '\n', 'kW', '%',
              '≤', '\x00', 'otherwise', 'not', '.', '[-1]', '04-01', '\\', 'define sum = 1\n', 'and']
    rng = random.Random(7)
    for _ in range(400):
        text = source
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(text))
            if rng.random() < 0.5:
                text = text[:at] + rng.choice(pieces) + text[at:]
            else:
                text = text[:at] + text[at + rng.randint(1, 12):]
        for diagnostic in diagnose(text):
            render(diagnostic, text)


# ---------------------------------------------------------------- docs/errors.md stays exact
def _documented_examples():
    import re

    text = (Path(__file__).resolve().parent.parent / "docs" / "errors.md").read_text(encoding="utf-8")
    pairs = re.findall(r"```policy\n(.*?)```\n\n```text\n(.*?)\n```", text, flags=re.S)
    return text, pairs


def test_errors_md_documents_every_code_and_its_examples_are_exact():
    text, pairs = _documented_examples()
    for code in CATALOGUE:
        if code[0] in "EW":
            assert f"## {code} — " in text, code
    assert "facility.md" in text
    assert len(pairs) >= 31
    for source, rendered in pairs:
        (diagnostic,) = diagnose(source)
        assert render(diagnostic, source) == rendered
