"""Every policy diagnostic code as a class: its title in the catalogue and the words of its messages.

A call site names the code and fills in the fields; the words live here, next to each other:

    E502.at(definition.span, name="a", line=2)   # "a" is already defined on line 2
    E502.builtin.at(definition.span, name="sum")  # "sum" is a built-in name and cannot be redefined

The catalogue (code -> title) and the index of docs/errors.md derive from these classes
(``CATALOGUE``, ``errors_md_index``); tests/test_messages.py keeps the page in step with them.
Facility input codes (F1xx, F2xx) are in facility_messages.py. A code never changes meaning
once released: a code that is no longer reported moves to ``RETIRED`` and is never reused.
"""

from __future__ import annotations

import re

from . import facility_messages
from .diagnostics import Message, Wording

# ---------------------------------------------------------------- E1xx syntax
class E101(Message):
    title = "unexpected token: the parser expected something else here"
    template = "expected {expected} after {previous}, found {found}"
    missing_value = Wording(template, "a value is missing here")
    missing_text = Wording(template, 'put the text in double quotes, e.g. "EnEfG §11(1)"')
    bad_name = Wording(template, "names start with a letter and contain letters, digits and _")
    unclosed_parenthesis = Wording(template, 'a "(" is not closed')
    comparison = Wording('expected a comparison such as "<=" after "{previous}"',
                         'write an operator between the two values, e.g. "{previous} <= {found}"')
    clause_keyword = Wording('expected a clause keyword such as "cite", "applies" or "require", found {found}',
                             "each line of a rule starts with a keyword: cite, quote, note, severity, legal-status, "
                             "for, applies, from, until, require, of, due, exempt or exclude")
    unfinished = Wording('expected {expected} before "{found}"',
                         "the declaration before line {line} is unfinished after {previous}")
    not_a_keyword = Wording('"{word}" is not a keyword of the language', 'did you mean "{keyword}"?')


class E102(Message):
    title = "unexpected character: this character is not part of the language"
    template = 'unexpected character "{char}"'
    hint = "comments start with #; texts go in double quotes"
    after_number = Wording('unexpected character "{char}"', "write the unit right after the number, e.g. 300 kW")
    unicode_operator = Wording('"{char}" is not an operator of the language', 'write "{replacement}" instead')
    foreign_digit = Wording('"{char}" ({code}) is not a digit of the language', "write numbers with 0-9, e.g. {digit}")
    invisible = Wording("unexpected invisible character {code} ({name})",
                        "delete it; lines end with a line feed and only spaces and tabs separate words")


class E103(Message):
    title = "unexpected end of file: a declaration is unfinished"
    template = "the file ends inside a declaration; expected {expected}"
    hint = "finish the declaration after {previous}"


class E104(Message):
    title = "unterminated string"
    template = "this text has no closing quote"
    hint = 'close the text with " on the same line'


class E105(Message):
    title = "invalid date literal"
    template = '"{text}" is not a date in the form YYYY-MM-DD'
    hint = "write months and days with two digits, e.g. 2026-07-01"


class E106(Message):
    title = "expression nested too deeply"
    template = "this expression nests {depth} levels deep; the limit is {limit}"
    hint = "give parts of it names with  define … = …  and use the names"
    through_definitions = Wording(
        "this definition nests {depth} levels deep with the definitions it uses; the limit is {limit}",
        "compute it from fewer definitions in a chain, or from facts directly")


class E107(Message):
    title = "number out of range"
    template = '"{text}" has more digits than a policy number may have (at most {digits} before the point and {digits} after)'
    hint = "write the number in a larger unit, e.g. 1.5 GWh instead of 1500000000000000000 Wh"
    offset = Wording('"period[-{text}]" reads a period {text} years back; the offset must be a whole number '
                     "from 1 to {limit}", "write e.g. period[-1].energy.total for the period before")


# ---------------------------------------------------------------- E2xx names
class E201(Message):
    title = "unknown name"
    template = 'unknown name "{name}"'
    hint = "define it with  define {name} = …"
    keyword = Wording('expected a value, found the keyword "{name}"',
                      "a value (a number, a name, a date or a quoted text) is missing before it")


class E202(Message):
    title = "unknown facility or period field"
    template = '"{path}" is not a {root} field'
    hint = "see docs/facility.md for the fields"
    bare_root = Wording('"{root}" needs a field, e.g. {root}.{example}')
    definition_field = Wording('"{name}" is a definition and has no field "{field}"')


class E203(Message):
    title = "unknown function or wrong number of arguments"
    template = 'unknown function "{name}"'
    hint = "functions: {functions}"
    arity = Wording('"{name}" takes {count} argument{plural}, not {given}')
    by = Wording('"by" goes with weighted_mean only, and weighted_mean needs it',
                 "write weighted_mean(pue by period.energy.total)")
    where = Wording('"where" goes with aggregates, not with "{name}"')
    including = Wording('"including out-of-scope" goes with aggregates, not with "{name}"')


class E204(Message):
    title = "unknown enumeration value"
    template = '"{value}" is not one of {values}'
    severity_value = Wording('"{value}" is not a severity', "use one of {severities}")
    rule_target = Wording('rules are for "facility" or "operator", not "{value}"')


class E205(Message):
    title = "unknown unit"
    template = 'unknown unit "{unit}"'
    hint = "known units include kW, MWh, GJ, m2, m3, degC, PB, kl, %, years"


class E206(Message):
    title = "facility or period facts used outside a facility context"
    template = '"{fact}" reads a facility fact in {context}'
    hint = "inside an operator-level rule, read facts through an aggregate, e.g. sum(period.energy.total)"
    definition = Wording('"{name}" reads facility facts, but is used in {context}',
                         "aggregate it, e.g. weighted_mean({name} by period.energy.total)")


# ---------------------------------------------------------------- E3xx types and units
class E301(Message):
    title = "type mismatch"
    template = "cannot compare {left} with {right}"
    date_and_number = Wording(template, "write dates as YYYY-MM-DD, e.g. 2026-07-01")
    text_and_number = Wording(template, "quote only texts; numbers stand bare")
    needs = Wording("{where} needs {expected}, but this is {actual}")
    function_argument = Wording('"{name}" needs {expected} here, but this is {actual}')
    arguments_disagree = Wording('arguments of "{name}" disagree: {this} and {first}')
    ordering = Wording('"{op}" does not order {kind}; use == or !=')
    operands = Wording('"{op}" cannot combine {left} and {right}')
    negation = Wording('"-" needs a number, but this is {kind}')
    negated_fahrenheit = Wording('"-" cannot be put before a °F temperature', "°F is read on a scale that does "
                                 "not start at 0 °C; write a temperature below 0 °F in degC, e.g. -40 degC")
    fractional_duration = Wording("a duration must be a whole number of years, months or days",
                                  "write e.g. 18 months instead of 1.5 years")
    offset_root = Wording("only period facts can be read from earlier periods",
                          "write period[-1].energy.total for the period before")
    offset_name = Wording('"{name}" is not a period; offsets like [-1] apply to period only')
    set_member = Wording("this set holds {kind}, but the value tested is {element}")
    weight = Wording("the weight must be a number, but this is {kind}")
    band_subject = Wording("a band classifies numbers, but this is {kind}")
    band_bound = Wording("a band bound must be a constant number",
                         "write a number, with its unit if the subject has one")


class E302(Message):
    title = "dimension mismatch: quantities of different dimensions combined or compared"
    template = "cannot compare {left} with {right}"
    hint = "write the limit in {unit}"
    plain_number = Wording(template)
    add = Wording("cannot {verb} {right} {preposition} {left}", "both sides of + and - must have the same dimension")
    power = Wording("powers need plain numbers on both sides")
    plain_argument = Wording('"{name}" needs a plain number, but this is {kind}',
                             "divide by a unit to make it plain, e.g. {name}(x / 1 W) for x in watts")
    arguments_disagree = Wording('arguments of "{name}" disagree: {this} and {first}')
    band_bound = Wording("this bound is {kind}, but the band classifies {subject}", "write the bound in {unit}")


class E303(Message):
    title = "condition is not true/false"
    template = "{where} needs {expected}, but this is {actual}"
    hint = "compare it with something, e.g.  x >= 300 kW"


class E304(Message):
    title = "tiered value branches disagree in type"
    template = "this tier is {kind}, but the first tier is {first}"
    hint = "every tier of a tiered value must have the same type and unit"


class E305(Message):
    title = "aggregate used where it is not allowed"
    template = '"{name}" is inside another aggregate'
    hint = "aggregate once, over the operator's facilities"


class E306(Message):
    title = "records read wrongly: a quantifier over a facility's records misused"
    template = "{text} is not a list of records"
    hint = "quantify over {lists}"
    list_as_value = Wording("{text} is a list of records: only `every` and `some` read it",
                            "e.g. every {name} in {text}: {name}.{field} …")
    nested = Wording("a quantifier inside another quantifier", "quantify over one list at a time")
    in_aggregate = Wording('a quantifier inside the aggregate "{name}"', "quantify in a facility rule")
    name_taken = Wording('"{name}" already names {what}', "give the record a name of its own, e.g. {example}")
    field = Wording('a {singular} has no field "{field}"', "fields of a {singular}: {fields}")
    bare = Wording('"{name}" is a {singular}, not a value', "read one of its fields, e.g. {name}.{field}")


# ---------------------------------------------------------------- E4xx dates
class E401(Message):
    title = "impossible date"
    template = "{text} is not a date that exists"
    hint = "check the month (01–12) and the day of the month"
    year_zero = Wording("{text} is not a date that exists: there is no year 0", "years run from 0001 to 9999")


class E402(Message):
    title = "date arithmetic with a non-duration"
    template = "a date can only be moved by a duration, not by {kind}"
    hint = "write e.g.  facility.started + 2 years"


class E403(Message):
    title = "invalid fiscal-year start"
    template = '"{start}" is not a day of the year'
    hint = "write the first day of the fiscal year as MM-DD, e.g. 04-01"
    february_29 = Wording("a fiscal year cannot start on 29 February", "choose a day that exists every year, e.g. 03-01")


class E404(Message):
    title = "invalid territory"
    template = 'territory "{text}" is {reason}'
    hint = 'write an ISO 3166-1 country code (DE), an ISO 3166-2 subdivision (CN-SH) for a regional rule, or EU'


# ---------------------------------------------------------------- E5xx structure
class E501(Message):
    title = "duplicate rule id"
    template = 'rule id "{rule_id}" is already used on line {line}'
    hint = "rule ids are stable identifiers; give this rule another name"


class E502(Message):
    title = "duplicate definition"
    template = '"{name}" is already defined on line {line}'
    hint = "rename one of them, or delete the duplicate"
    builtin = Wording('"{name}" is a built-in name and cannot be redefined', "choose another name")


class E503(Message):
    title = "cycle among definitions"
    template = "definitions refer to each other in a cycle: {cycle}"
    hint = "break the cycle: one of these must be computed from facts or constants"


class E504(Message):
    title = "rule without a citation"
    template = "{declaration} has no citation"
    hint = 'add a line such as  cite "§11(1) Nr. 2"  naming the article it implements'
    exemption = Wording("this exemption has no citation",
                        'add  cite "…"  under it, naming the article that grants the relief')


class E505(Message):
    title = "band levels leave a gap"
    template = 'values between levels "{low}" and "{high}" fall in no level'
    hint = "make the bounds meet: the upper bound of one is the lower bound of the next"
    below = Wording("values below {bound} fall in no level", "add a level starting at -inf, e.g. (-inf, …)")
    above = Wording("values above {bound} fall in no level", "add a level ending at inf, e.g. […, inf)")


class E506(Message):
    title = "band levels overlap"
    template = 'levels "{low}" and "{high}" overlap'
    hint = "make one bound inclusive and the other exclusive, e.g. [1.3, 1.35) then [1.35, 1.4)"


class E507(Message):
    title = "missing jurisdiction header"
    template = "the policy does not start with a jurisdiction header"
    hint = 'start the file with a line such as  jurisdiction de "Germany"'


class E508(Message):
    # E508 once also reported what E512-E515 now report; it keeps the one meaning left: a clause written twice.
    title = "duplicate clause"
    template = '"{keyword}" appears twice in {declaration} (first on line {line})'
    hint = "keep one; combine conditions with and / or"
    header = Wording('the header says "{keyword}" twice',
                     "keep one; the header takes each of law, source, territory, legal-status and calendar once")


class E509(Message):
    title = "rule without a requirement"
    template = 'rule "{name}" has no requirement'
    hint = "add a line such as  require pue <= 1.3  (only an advisory rule may have none)"
    scope = Wording("the scope has no condition", "add a line such as  applies facility.power.it_installed >= 500 kW")
    band = Wording('band "{name}" does not say what it classifies', "add a line such as  of pue")
    reason = Wording("this {block} has no reason", 'add  because "…"  saying in plain words why it applies')


class E510(Message):
    title = "invalid band interval"
    template = 'level "{label}" is empty: its lower bound is not below its upper bound'
    hint = "swap the bounds, or make them distinct"
    reversed = Wording("an interval runs from -inf up to inf",
                       "write the lower bound first, e.g. [1.3, 1.35) or (-inf, 1.05)")


class E511(Message):
    title = "duplicate report item"
    template = 'report item "{name}" is listed twice (first on line {line})'
    hint = "give each item its own name"


class E512(Message):
    title = "clause not allowed in this declaration"
    template = '"{keyword}" is not a clause of {declaration}'
    hint = "allowed here: {allowed}"


class E513(Message):
    title = "more than one scope"
    template = "a policy has one scope; this is a second one"
    hint = "merge the conditions into the first scope"


class E514(Message):
    title = "exemption in the scope"
    template = "the scope cannot grant an exemption"
    hint = "use  exclude <condition>  to leave facilities out of scope"


class E515(Message):
    title = "duplicate band level"
    template = 'level "{label}" appears twice'
    hint = "give each level its own label"


# ---------------------------------------------------------------- W6xx warnings
class E516(Message):
    title = "exemption without a requirement"
    template = "an exemption needs a requirement to relieve, and this rule has none"
    hint = "use  exclude <condition>  to leave facilities out, or add  require …"


class W601(Message):
    title = "unused definition"
    template = 'definition "{name}" is never used'
    hint = "remove it, or use it in a rule"


class W603(Message):
    title = "a share compared with a number above 1 (a percentage without %)"
    template = "a share (between 0 and 1) is compared with {number}"
    hint = 'did you mean "{number} %"? (or {fraction})'


# ---------------------------------------------------------------- the catalogue
def _classes(namespace: dict) -> list[type[Message]]:
    return [value for value in namespace.values()
            if isinstance(value, type) and issubclass(value, Message) and value is not Message]


MESSAGES: tuple[type[Message], ...] = tuple(sorted(_classes(globals()) + _classes(vars(facility_messages)),
                                                   key=lambda cls: cls.code))
CATALOGUE: dict[str, str] = {cls.code: cls.title for cls in MESSAGES}
BY_CODE: dict[str, type[Message]] = {cls.code: cls for cls in MESSAGES}

# Codes that are not reported. Their numbers are never given to another meaning.
RETIRED: dict[str, str] = {
    # A rule without `severity` is mandatory by definition (docs/language.md); a warning for using a
    # documented default would be noise on most rules, so W602 was never reported.
    "W602": "rule without a severity: retired, never reported (a rule without `severity` is `mandatory`)",
}


def _anchor(heading: str) -> str:
    """The fragment a Markdown renderer (GitHub's) gives a heading."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def errors_md_index() -> str:
    """The code table at the top of docs/errors.md, derived from the classes."""
    rows = ["| Code | Meaning |", "|------|---------|"]
    for cls in MESSAGES:
        if cls.code[0] in "EW":
            rows.append(f"| [{cls.code}](#{_anchor(f'{cls.code} — {cls.title}')}) | {cls.title} |")
    for code, why in RETIRED.items():
        rows.append(f"| {code} | {why} |")
    rows.append("| F1xx, F2xx | facility input: see [facility.md](facility.md) |")
    return "\n".join(rows)
