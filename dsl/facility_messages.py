"""Every facility input code (F1xx files, F2xx values) as a class: its title and the words of its messages.

Documented in docs/facility.md. The facility loader (evaluator/inputs.py and the modules it uses)
and the policy loader (F101 for a policy file that cannot be read) report them; see
messages.py for how a call site uses a class.
"""

from __future__ import annotations

from .diagnostics import Message, Wording

_PERIOD_LABELS = ('write 2025 (calendar year), "FY2025" (Japanese fiscal year from April) or '
                  "{{start: 2025-01-01, end: 2025-06-30}}")
_RANGE = "{{start: 2025-01-01, end: 2025-06-30}}"
_RATIO = 'write a number in [0, 1] or a percentage, e.g. 0.55 or "55%"'


# ---------------------------------------------------------------- F1xx input files
class F101(Message):
    title = "file cannot be read"
    template = "cannot read {file}: {reason}"
    hint = "check that the file exists and is readable"
    no_such_file = Wording("cannot read {file}: no such file", "check the path")
    no_such_listed_file = Wording("cannot read {file}: no such file",
                                  "check the path; paths in a portfolio are relative to the portfolio file's folder")
    directory = Wording("cannot read {file}: it is a directory", "list facility files, not folders, in a portfolio")
    input_not_utf8 = Wording("cannot read {file}: not UTF-8 text (byte 0x{byte:02x})", "save the file as UTF-8")
    not_regular = Wording("cannot read {file}: {reason}",
                          "give a regular file; to read from a pipe, give - (standard input)")
    too_large = Wording("cannot read {file}: {reason}",
                        "split the input into several files, or give --max-input-size with a larger limit")
    empty_directory = Wording("directory {path} holds no *.yaml, *.yml or *.csv files",
                              "give a facility or portfolio file, or a folder of them")
    policy_file = Wording("cannot read policy file: {reason}")
    not_utf8 = Wording("this policy file is not UTF-8: byte {byte} here does not belong to a UTF-8 character",
                       "save the file as UTF-8 (in most editors: Save with encoding, UTF-8)")
    no_such_path = Wording("no such file or directory: {path}", "give a .policy file or a folder of them")


class F102(Message):
    title = "YAML syntax error"
    template = "YAML syntax error: {problem}"
    hint = "check the indentation of this line and the one before it"
    recursive_alias = Wording("YAML syntax error: an alias refers to the collection that contains it",
                              "remove the recursive alias")
    tag = Wording("YAML syntax error: {problem}", "remove the tag (the text starting with '!') or quote the value")
    complex_key = Wording("YAML syntax error: a key must be a plain name, not a list or mapping",
                          "write keys as simple names such as `name:`")
    merge = Wording("YAML syntax error: '<<' must merge a mapping", "merge an anchored mapping, e.g. <<: *defaults")
    csv = Wording("CSV error: {problem}", "{hint}")
    too_deep = Wording("YAML nesting deeper than {limit} levels (a mapping or list inside another, {limit} times)",
                       "a facility needs at most 7 levels; remove the extra brackets or indentation")
    aliases = Wording("YAML aliases here would repeat more than {limit} nodes (plus {factor} times the nodes "
                      "written): an alias bomb", "write the values out, or alias fewer and smaller anchors")


class F103(Message):
    title = "unsupported format version"
    template = "unsupported format version {found}"
    hint = "write `dcpolicy: facility/1` or `dcpolicy: portfolio/1`, or leave the line out"
    major = Wording("{kind}/{major} is not supported; this version of dcpolicy reads {kind}/{supported}",
                    "convert the file to {kind}/{supported} (see docs/facility.md) "
                    "or use a dcpolicy release that reads this version")


class F104(Message):
    title = "not a facility or portfolio"
    template = "expected a facility or portfolio mapping, found {found}"
    hint = "a facility file starts with `id:` and `name:`; a portfolio with `facilities:`"
    empty = Wording("{file} is empty: expected a facility or a portfolio",
                    "start with `id:` and `name:`, or with `facilities:`")
    neither = Wording("this is neither a facility (with `id` and `name`) nor a portfolio (with `facilities`)",
                      "see docs/facility.md for the shape of a facility file")
    nested_portfolio = Wording("a portfolio may list facility files, not other portfolios",
                               "list the facility files of the inner portfolio directly")


class F105(Message):
    title = "duplicate key"
    template = 'duplicate key "{key}" (first written at line {line}, column {column})'
    hint = 'remove one of the two "{key}" entries, or merge their contents'
    field = Wording("{path} is given twice (first at line {line}, column {column})",
                    "keep one of the two; nested and dotted spellings name the same field")
    csv_row = Wording('{path} of facility {id} differs from row {line} ("{first}")',
                      "a facility's columns repeat the same value on each of its rows, or are left empty")


class F106(Message):
    title = "unknown key"
    template = 'unknown key "{key}"{where}'
    portfolio = Wording('unknown key "{key}" in portfolio', "a portfolio holds only `operator` and `facilities`; "
                        "facility fields go inside an entry of `facilities`")
    marker = Wording('unknown key "dcpolicy" in a facility inside a portfolio',
                     "the format marker belongs at the top of the portfolio file")
    period_range = Wording('unknown key "{key}" in a period range', "a range has only `start` and `end`")


class F107(Message):
    title = "required field missing"
    template = "facility has no `{field}`"
    hint = "add `{field}: {example}`{rule}"
    no_value = Wording("facility `{path}` has no value")
    no_facilities = Wording("portfolio has no `facilities` list",
                            "add `facilities:` with facility mappings or paths to facility files")
    record_id = Wording("{label} has no `id`", "give every {singular} an id, e.g. `- id: cr-1`; reasons name it")
    no_period = Wording("period entry has no `period`",
                        'add `period: 2025`, `period: "FY2025"` or `period: ' + _RANGE + "`")


class F108(Message):
    title = "duplicate facility id"
    template = 'facility id "{id}" is used twice; first at {first}'
    hint = "give every facility its own id (ids are unique across all input)"


class F109(Message):
    title = "file outside the portfolio's folder"
    template = "{file} lies outside the folder of the portfolio that lists it ({folder})"
    hint = ("keep the facility files in the portfolio's folder or below it, or give --allow-outside "
            "if this portfolio comes from a source you trust")
    symlink = Wording("{file} is a symbolic link to {target}, outside the folder of the portfolio that lists it "
                      "({folder})", "copy the file into the portfolio's folder, or give --allow-outside if this "
                      "portfolio comes from a source you trust")


class F110(Message):
    title = "portfolio lists itself"
    template = "this portfolio lists its own file, {file}"
    hint = "list the facility files, not the portfolio; remove this entry"


# ---------------------------------------------------------------- F2xx values
class F201(Message):
    title = "quantity without a unit"
    template = "{path} is {article} {dimension} and needs a unit: {written} what?"
    hint = 'write the number with its unit, e.g. "{number} {unit}" or "{example}" (units: {units})'


class F202(Message):
    title = "quantity of the wrong dimension"
    template = '{path} must be a {dimension} (in {unit}), but "{value}" is {article} {got}'
    hint = 'write a {dimension} such as "{example}" ({units})'
    power_as_energy = Wording(template, '{path} is a power: write "{number} {power_symbol}" (without the "h") '
                                        "if that is what you mean")
    energy_as_power = Wording(template, '{path} is an energy over the period: write e.g. "{number} {symbol}h"')
    water_as_oil = Wording(template, '{path} is a water volume: write it in m3 or L (1 kl of water = "1 m3")')
    oil_as_water = Wording(template, '{path} is a crude-oil equivalent: write it in kl, e.g. "{example}"')
    energy_as_coal = Wording(template, '{path} is in tonnes of standard coal equivalent on the basis its name says '
                                       '(当量值 or 等价值): convert with that basis and write e.g. "{example}"')


class F203(Message):
    title = "unknown unit"
    template = 'unknown unit "{unit}" in {path}'
    hint = "{suggestion}a {dimension} takes {units}"


class F204(Message):
    title = "invalid date"
    template = "{path}: {found} is not a valid date: {reason}"
    hint = "write the date as YYYY-MM-DD (e.g. 2015-05-01), or YYYY-MM for the first of a month"
    period_label = Wording('period "{label}" contains an impossible date', "check the month (1-12) and the day of the month")
    period_range = Wording("period {name} {found} is not a valid date: {reason}",
                           "write the date as YYYY-MM-DD, e.g. 2025-06-30")


class F205(Message):
    title = "invalid value for the field's type"
    template = "{path} must be {expected}, found {found}"
    no_value = Wording("{path} has no value", "give a value, or remove the line (an absent field means unknown)")
    no_flag_value = Wording("{path} has no value", "write true or false (an absent flag means false)")
    flag = Wording("{path} must be true or false, found {found}", "write true or false (an absent flag means false)")
    number = Wording("{path} must be a number, found {found}")
    integer = Wording("{path} must be a whole number, found {found}",
                      "write a whole number without quotes or separators, e.g. 1200")
    integer_with_point = Wording("{path} must be a whole number, found {found}",
                                 "write {whole} (a whole number, no decimal point)")
    ratio = Wording("{path} must be a ratio, found {found}", _RATIO)
    quantity_flag = Wording("{path} must be a {dimension}, found {found}", 'write e.g. "{example}"')
    quantity_kind = Wording('{path} must be a {dimension} such as "{example}", found {found}',
                            'write a number and a unit, e.g. "{example}"')
    not_a_quantity = Wording('{path}: "{value}" is not a quantity', 'write a number and a unit, e.g. "{example}"')
    separators = Wording('{path}: "{value}" is not a quantity',
                         'use a decimal point and no thousands separators, e.g. "{example}"')
    too_large = Wording('{path}: "{value}" is too large', 'e.g. "{example}"')
    empty_text = Wording("{path} is empty")
    slug = Wording('{path} "{text}" is not a valid identifier',
                   'use lowercase letters, digits, ".", "_" and "-", starting with a letter or digit, e.g. "{example}"')
    country = Wording('{path} "{text}" is not a two-letter country code',
                      "write the ISO 3166-1 alpha-2 code in capitals, e.g. DE, JP, CN, FR")
    country_case = Wording('{path} "{text}" is not a two-letter country code',
                           'did you mean "{code}"? country codes are two capital letters')
    country_name = Wording('{path} "{text}" is not a two-letter country code',
                           'did you mean "{code}"? write the two-letter ISO code')
    subdivision = Wording('{path} "{text}" is not an ISO 3166-2 subdivision code',
                          "write the country code, a hyphen and the region's code in capitals, e.g. CN-SH, DE-HE")
    siret = Wording('{path} "{text}" is not a SIRET number',
                    'write the 14 digits of the establishment number (SIREN + NIC) in quotes, e.g. "73282932000074"')
    enum = Wording('{path} "{text}" is not one of its values', "{suggestion}allowed: {values}")
    group = Wording("{path} must be a mapping of {names}; found {found}",
                    "write the fields on their own lines, indented under `{path}:`, or as `{path}.{first}: ...`")
    operator = Wording("operator must be text, found {found}",
                       'write the operator\'s name or id, e.g. operator: "example-colo"')
    facilities = Wording("`facilities` must be a list, found {found}", "write one entry per line, each starting with '- '")
    facilities_entry = Wording("a `facilities` entry must be a facility mapping or a relative path, found {found}",
                               'write e.g. "- fra-3.yaml" or an inline mapping with id and name')
    records = Wording("`{path}` must be a list of {singular} entries, found {found}",
                      "write one entry per {singular}, each starting with '- id:'")
    record_entry = Wording("a `{path}` entry must be a mapping of a {singular}'s fields, found {found}",
                           "write e.g. '- id: cr-1' followed by the fields, indented")
    periods = Wording("`periods` must be a list, found {found}",
                      "write one entry per reporting period, each starting with '- period:'")
    periods_entry = Wording("a `periods` entry must be a mapping, found {found}",
                            "write e.g. '- period: 2025' followed by the figures, indented")


class F206(Message):
    title = "invariant violated"
    template = "{path} must not be negative, found {value}"
    hint = "a {dimension} is zero or more; check the sign"
    negative_count = Wording("{path} must not be negative, found {value}", "a count is zero or more")
    minimum = Wording("{path} must be at least {minimum}, found {found}")
    racks = Wording("racks.occupied ({occupied}) exceeds racks.installed ({installed}, line {line})",
                    "occupied racks are a subset of installed racks; check both numbers")
    it_energy = Wording("energy.it must be greater than 0, found {it}",
                        "give the IT equipment's energy for the period, e.g. \"14.2 GWh\"; leave it out if unknown")
    total_below_it = Wording("energy.total ({total}) is less than energy.it ({it}, line {line}): PUE would be below 1",
                             "energy.total is the whole data centre including IT; check both figures and their units")
    reused = Wording("energy.reused ({reused}) exceeds energy.total ({total}, line {line})",
                     "reused energy is heat delivered outside the DC and cannot exceed the energy it used")
    renewable_parts = Wording("the renewable parts ({names} = {sum}) do not add up to energy.renewable ({renewable})",
                              "the parts must sum to the total within 0.1 %; correct one of them, "
                              "or leave energy.renewable out and it is computed from the parts")
    renewable = Wording("energy.renewable {renewable} exceeds energy.total ({total}, line {line})",
                        "renewable energy is the part of energy.total from renewable sources; check the figures")
    potable = Wording("water.potable ({potable}) exceeds water.input ({input}, line {line})",
                      "potable water is part of the total water input; check both figures")
    subdivision = Wording("location.subdivision {subdivision} is not in location.country {country} (line {line})",
                          "an ISO 3166-2 code starts with its country's code; check both")
    absolute_zero = Wording("{path} is {value}, below absolute zero (-273.15 °C)",
                            "check the sign and the unit (degC, °F); no temperature is below -273.15 °C")
    heat_network = Wording("energy.reused_via_heat_network ({part}) exceeds energy.reused ({reused}, line {line})",
                           "the energy a heat network takes up is part of the reused energy; check both figures")
    part_of = Wording("{part} ({value}) exceeds {whole} ({whole_value}, line {line})",
                      "{part} is part of {whole} (dsl/shares.py PARTS_OF); check both figures and their units")


class F207(Message):
    title = "periods overlap"
    template = "period {label} ({start}..{end}) overlaps period {other} ({other_start}..{other_end}, line {line})"
    hint = ("each day belongs to at most one period of a facility; "
            "remove the duplicate or adjust the dates")


class F208(Message):
    title = "invalid period label"
    template = "invalid period label {found}"
    hint = _PERIOD_LABELS
    not_a_year = Wording("invalid period label {found}: not a four-digit year", _PERIOD_LABELS)
    text = Wording('invalid period label "{text}"{advice}', _PERIOD_LABELS)
    range_end = Wording("period range has no `{name}`", "write " + _RANGE)
    reversed = Wording("period ends ({end}) before it starts ({start})", "swap start and end, or correct the dates")


class F209(Message):
    title = "ratio outside [0, 1]"
    template = "{path} is {written}, outside [0, 1]"
    hint = _RATIO
    percent = Wording("{path} is {written}, outside [0, 1]", 'for {written} percent write "{written}%" or {fraction:g}')


class F210(Message):
    title = "record list inconsistent"
    template = '{singular} id "{id}" is used twice in {list} (first at line {line}, column {column})'
    hint = "give every entry of {list} its own id: reasons and traces name records by it"
    no_list = Wording('{label} names "{id}", but the facility has no `{list}` list',
                      "add the record to `{list}`, or remove the reference")
    unknown_id = Wording('{label} names "{id}", which is not an id of {list}',
                         "{suggestion}ids of {list}: {ids}")


# ---------------------------------------------------------------- F3xx policy test case files
# `policy test` case files (docs/analyst-guide.md, "Test cases"); added by issue 12 so that a malformed
# case file is reported like any other input: file, line, column, a code and a hint (exit 2).
_KEYS = "correct the spelling; docs/analyst-guide.md, \"Test cases\", lists every key"
_CASE = "write each case as `- name: …` with `as_of: YYYY-MM-DD` and `expect: {{rule id: verdict}}`"


class F301(Message):
    title = "case file cannot be read"
    template = "cannot read this case file: {reason}"
    hint = "give a test case file (YAML) that exists, is a regular file and is readable"
    not_utf8 = Wording("this case file is not UTF-8: byte 0x{byte:02x} does not belong to a UTF-8 character",
                       "save it as UTF-8")


class F302(Message):
    title = "malformed case file"
    template = "a case file is a mapping with `policy:` and `cases:`"
    hint = "start with `policy: CODE` (or a .policy file) and `cases:`, a list of cases; " + _CASE
    base = Wording("`base:` is a facility mapping", "write the base facility's fields indented under `base:`")
    cases = Wording("`cases:` is a list of cases, each starting with `- name:`", _CASE)
    unknown_key = Wording("unknown key {key!r} in a case file{suggestion}; known: {known}", _KEYS)


class F303(Message):
    title = "malformed test case"
    template = "case {number} needs `name:` and `expect:`"
    hint = _CASE
    as_of_missing = Wording("case {number} ({name}) needs `as_of: YYYY-MM-DD`", "add the day to judge at, e.g. "
                            "`as_of: 2031-04-01`")
    as_of_kind = Wording("case {number} ({name}) needs `as_of: YYYY-MM-DD`, not {found}",
                         "write the day alone, e.g. `as_of: 2031-04-01` (no time, no other layout)")
    as_of_day = Wording("as_of {written!r} is not a date that exists; write YYYY-MM-DD", "{reason}")
    as_of_range = Wording("case {number} ({name}): as_of {day} is outside the dates dcpolicy judges at, "
                          "{earliest} to {latest}", "judge at a day in that range")
    expect = Wording("`expect:` maps rule ids to verdicts, e.g. `de.pue_new: pass`", _CASE)
    facility = Wording("`facility:` is a mapping merged onto the base", "write the fields indented under `facility:`")
    facilities = Wording("`facilities:` is a list of mappings, each merged onto the base",
                         "write one facility per entry, each starting with '- id:'")
    unknown_key = Wording("unknown key {key!r} in a case{suggestion}; known: {known}", _KEYS)
    field = Wording("{rule}: unknown expectation field {field!r}{suggestion}; known: {known}", _KEYS)
    verdict = Wording("{rule}: unknown verdict {verdict!r}{suggestion}; write one of {verdicts}",
                      "n/a, as the headline prints it, is not_applicable")
    field_type = Wording("{rule}: `{field}` must be {expected}, found {found}", "see docs/analyst-guide.md, Test cases")
    policy = Wording("`policy:` must name a policy, found {found}",
                     "write a jurisdiction code (de) or the path of a .policy file relative to this case file")
    policy_unknown = Wording("`policy:` {why}",
                             "write a jurisdiction code (de) or the path of a .policy file relative to this case file")

