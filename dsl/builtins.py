"""The language's vocabulary in one table: keywords, clause kinds, roots, severities, statuses and functions.

The parser's hints, the checker, the compiler and the formatter read these names from here rather than
keeping lists of their own. The grammar (policy.lark) necessarily spells the keywords too; a test
(tests/test_builtins.py) checks that the grammar's keyword terminals and KEYWORDS are the same words.
A new function is one Function entry below plus its implementation in evaluator/runtime.py (the same
test checks that it exists) and its line in docs/language.md ("Functions").
"""

from __future__ import annotations

from .data import frozen

# ---------------------------------------------------------------- keywords, by where they appear
HEADER_KEYWORDS = ("jurisdiction", "law", "source", "territory", "legal-status", "calendar", "note")
CALENDARS = ("calendar-year", "fiscal-year")  # the values of the header's `calendar` clause
LEGAL_STATUSES = ("in-force", "adopted", "proposed")  # the values of a `legal-status` clause (docs/language.md)
DECLARATION_KEYWORDS = ("define", "scope", "rule", "band", "report")  # what starts a top-level element
DECLARATION_KINDS = ("scope", "rule", "band", "report")  # the declarations that carry clauses
BLOCK_KEYWORDS = ("exempt", "exclude")  # a relief, an exclusion
BLOCK_CLAUSES = ("cite", "quote", "because")  # the clauses of an exempt/exclude block
BODY_KEYWORDS = ("level", "item", "public", "non-public")  # band levels, report items
EXPRESSION_KEYWORDS = ("and", "or", "not", "in", "when", "otherwise", "by", "where", "including", "out-of-scope",
                       "every", "some", "true", "false", "inf")
QUANTIFIERS = ("every", "some")  # over a facility's records (dsl/records.py): every room in facility.computer_rooms: …


@frozen
class ClauseKind:
    """A clause keyword of a declaration: what its value is and which declarations accept it."""

    keyword: str
    value: str  # text (a quoted text) | word (a bare word, e.g. `severity target`) | expr (an expression)
    declarations: tuple[str, ...]  # the declaration kinds that accept it
    repeatable: bool = False  # may appear more than once in one declaration
    expects: str | None = None  # expr clauses: the kind their expression must have (bool, date); None: any


_ALL = ("scope", "rule", "band", "report")
_JUDGED = ("rule", "band", "report")

# In the order a declaration's allowed clauses are listed in messages (E512).
CLAUSES: dict[str, ClauseKind] = {c.keyword: c for c in (
    ClauseKind("cite", "text", _ALL),
    ClauseKind("quote", "text", _ALL, repeatable=True),
    ClauseKind("note", "text", _ALL, repeatable=True),
    ClauseKind("severity", "word", _JUDGED),
    ClauseKind("legal-status", "word", _JUDGED),
    ClauseKind("for", "word", ("rule",)),
    ClauseKind("applies", "expr", _ALL, expects="bool"),
    ClauseKind("from", "expr", _JUDGED, expects="date"),
    ClauseKind("until", "expr", _JUDGED, expects="date"),
    ClauseKind("require", "expr", ("rule",), expects="bool"),
    ClauseKind("of", "expr", ("band",)),
    ClauseKind("due", "expr", ("report",), expects="date"),
)}

KEYWORDS: frozenset[str] = frozenset(
    HEADER_KEYWORDS + CALENDARS + LEGAL_STATUSES + DECLARATION_KEYWORDS + BLOCK_KEYWORDS + BLOCK_CLAUSES
    + BODY_KEYWORDS + EXPRESSION_KEYWORDS + tuple(CLAUSES))

# Keywords that, written where a value belongs, mean the value is missing before them ("expected a value,
# found the keyword"). Words with a hyphen can never be read as a name; the legal statuses are values of
# the legal-status clause, not words that start or join a construct, so they read as an unknown name.
RESERVED_NAMES: frozenset[str] = frozenset(k for k in KEYWORDS if "-" not in k and k not in LEGAL_STATUSES)


def terminal(keyword: str) -> str:
    """The grammar's terminal for a keyword: ``legal-status`` is LEGAL_STATUS."""
    return keyword.upper().replace("-", "_")


# ---------------------------------------------------------------- names and words with a fixed meaning
ROOTS = ("facility", "period")  # where facts are read: facility.x, period.x, period[-k].x
RULE_TARGETS = ("facility", "operator")  # the values of a rule's `for` clause
SEVERITIES = ("mandatory", "target", "advisory", "informational")  # in order of weight


# ---------------------------------------------------------------- functions
@frozen
class Function:
    """A built-in function: its signature for the checker and its implementation for the compiler."""

    name: str
    arity: tuple[int, int]  # least and most positional arguments
    params: tuple[str, ...]  # required kind by position, the last one repeating: number, date, bool, any,
    #                          same (the same type as the first argument), plain (a number without a unit)
    result: str  # number | date | bool | first (the first argument's type)
    runtime: str  # the function of evaluator/runtime.py that the plan calls
    # How the plan passes arguments: values (evaluated first), lazy (as thunks, so that evaluation stops at
    # the first known one), fiscal (the values and the policy's fiscal-year start), aggregate (a function
    # evaluated once per member of the operator's portfolio).
    calling: str = "values"
    weighted: bool = False  # takes `by` weights, and needs them

    @property
    def is_aggregate(self) -> bool:
        return self.calling == "aggregate"


FUNCTIONS: dict[str, Function] = {f.name: f for f in (
    Function("fiscal_year", (1, 1), ("date",), "number", "fiscal_year", calling="fiscal"),
    Function("start_of_fiscal_year", (1, 1), ("number",), "date", "start_of_fiscal_year", calling="fiscal"),
    Function("end_of_fiscal_year", (1, 1), ("number",), "date", "end_of_fiscal_year", calling="fiscal"),
    Function("year", (1, 1), ("date",), "number", "year"),
    Function("date", (3, 3), ("number", "number", "number"), "date", "make_date"),
    Function("min", (2, 9), ("same",), "first", "minimum"),
    Function("max", (2, 9), ("same",), "first", "maximum"),
    Function("abs", (1, 1), ("number",), "first", "absolute"),
    Function("round", (2, 2), ("number", "number"), "first", "round_"),
    Function("known", (1, 1), ("any",), "bool", "known"),
    Function("first_known", (2, 9), ("same",), "first", "first_known", calling="lazy"),
    Function("ln", (1, 1), ("plain",), "number", "ln"),
    Function("either", (2, 2), ("number", "same"), "first", "either"),
    # aggregates: over the facilities of an operator's portfolio
    Function("sum", (1, 1), ("number",), "first", "aggregate", calling="aggregate"),
    Function("mean", (1, 1), ("number",), "first", "aggregate", calling="aggregate"),
    Function("weighted_mean", (1, 1), ("number",), "first", "aggregate", calling="aggregate", weighted=True),
    Function("minimum", (1, 1), ("number",), "first", "aggregate", calling="aggregate"),
    Function("maximum", (1, 1), ("number",), "first", "aggregate", calling="aggregate"),
    Function("count", (1, 1), ("any",), "number", "aggregate", calling="aggregate"),
    Function("all", (1, 1), ("bool",), "bool", "aggregate", calling="aggregate"),
    Function("any", (1, 1), ("bool",), "bool", "aggregate", calling="aggregate"),
)}

AGGREGATES = tuple(name for name, function in FUNCTIONS.items() if function.is_aggregate)
