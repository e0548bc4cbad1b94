"""The checker: a pass over the AST that resolves names, types and units.

It reports every problem with a span, and one root cause gives one error: an expression
that already failed gets the ERROR type, which every later check accepts silently.
On success it returns a CheckedPolicy in which every quantity literal has been converted
to its canonical unit, so evaluation works on plain numbers.
"""

from __future__ import annotations

import datetime
import difflib
import math
from typing import Callable

import attrs

from . import ast, schema, shares, units
from . import types as T
from .dates import parse_date as _parse_date
from .diagnostics import Diagnostic, DiagnosticError, Span
from .messages import (E201, E202, E203, E204, E205, E206, E301, E302, E303, E304, E305, E401, E402, E403, E501,
                       E502, E503, E504, E505, E506, E508, E509, E510, E511, E512, E513, E514, E515, E516, W601,
                       W603)
from .types import Duration, Type

ROOTS = ("facility", "period")
SEVERITIES = ("mandatory", "target", "advisory", "informational")
AGGREGATES = ("sum", "mean", "weighted_mean", "count", "all", "any", "minimum", "maximum")

# clause keyword -> declaration kinds that accept it
ALLOWED_CLAUSES = {
    "cite": {"scope", "rule", "band", "report"},
    "quote": {"scope", "rule", "band", "report"},
    "note": {"scope", "rule", "band", "report"},
    "severity": {"rule", "band", "report"},
    "legal-status": {"rule", "band", "report"},
    "for": {"rule"},
    "applies": {"scope", "rule", "band", "report"},
    "from": {"rule", "band", "report"},
    "until": {"rule", "band", "report"},
    "require": {"rule"},
    "of": {"band"},
    "due": {"report"},
}


@attrs.frozen
class BandLevel:
    label: str
    low: float | None  # None: -inf
    low_inclusive: bool
    high: float | None  # None: +inf
    high_inclusive: bool
    span: Span = attrs.field(eq=False)

    def contains(self, value: float) -> bool:
        # bounds are exact in law; unit conversion leaves float noise, so equality is "within 1e-9"
        def near(bound):
            return math.isclose(value, bound, rel_tol=1e-9, abs_tol=1e-12)

        above = self.low is None or (near(self.low) and self.low_inclusive) or (value > self.low and not near(self.low))
        below = self.high is None or (near(self.high) and self.high_inclusive) or (
            value < self.high and not near(self.high))
        return above and below

    def describe(self, subject: str, unit: str = "") -> str:
        def fmt(v):
            return units.format_number(v) + (f" {unit}" if unit else "")
        parts = []
        if self.low is not None:
            parts.append(f"{fmt(self.low)} {'<=' if self.low_inclusive else '<'} {subject}")
        else:
            parts.append(subject)
        if self.high is not None:
            parts.append(f"{'<=' if self.high_inclusive else '<'} {fmt(self.high)}")
        return " ".join(parts)


@attrs.frozen
class CheckedPolicy:
    policy: ast.Policy
    source: str
    types: dict[int, Type]  # id(expr) -> static type
    literals: dict[int, object]  # id(literal) -> canonical value (float, date, Duration, str)
    definition_order: tuple[str, ...]  # used definitions, dependencies first
    definition_facts: dict[str, bool]  # definition name -> reads facility/period facts
    bands: dict[str, tuple[BandLevel, ...]]
    fiscal_start: tuple[int, int]  # (month, day); (1, 1) for calendar years
    warnings: tuple[Diagnostic, ...]

    @property
    def code(self) -> str:
        return self.policy.header.code

    def type_of(self, expr) -> Type:
        return self.types[id(expr)]


@attrs.frozen
class _Signature:
    arity: tuple[int, int]  # min, max positional arguments
    result: Callable[[list[Type]], Type]
    params: tuple[str, ...] = ()  # required kinds, by position ("number", "date", "any", "same")


FUNCTIONS: dict[str, _Signature] = {
    "fiscal_year": _Signature((1, 1), lambda a: T.NUMBER, ("date",)),
    "start_of_fiscal_year": _Signature((1, 1), lambda a: T.DATE, ("number",)),
    "end_of_fiscal_year": _Signature((1, 1), lambda a: T.DATE, ("number",)),
    "year": _Signature((1, 1), lambda a: T.NUMBER, ("date",)),
    "date": _Signature((3, 3), lambda a: T.DATE, ("number", "number", "number")),
    "min": _Signature((2, 9), lambda a: a[0], ("same",)),
    "max": _Signature((2, 9), lambda a: a[0], ("same",)),
    "abs": _Signature((1, 1), lambda a: a[0], ("number",)),
    "round": _Signature((2, 2), lambda a: a[0], ("number", "number")),
    "known": _Signature((1, 1), lambda a: T.BOOL, ("any",)),
    "first_known": _Signature((2, 9), lambda a: a[0], ("same",)),
    "sum": _Signature((1, 1), lambda a: a[0], ("number",)),
    "mean": _Signature((1, 1), lambda a: a[0], ("number",)),
    "weighted_mean": _Signature((1, 1), lambda a: a[0], ("number",)),
    "minimum": _Signature((1, 1), lambda a: a[0], ("number",)),
    "maximum": _Signature((1, 1), lambda a: a[0], ("number",)),
    "count": _Signature((1, 1), lambda a: T.NUMBER, ("any",)),
    "all": _Signature((1, 1), lambda a: T.BOOL, ("bool",)),
    "any": _Signature((1, 1), lambda a: T.BOOL, ("bool",)),
}


def _fact_type(fact: schema.FactType) -> Type:
    if fact.kind == "quantity":
        return T.quantity(fact.dimension)
    if fact.kind in ("ratio", "number", "integer"):
        return T.NUMBER
    if fact.kind == "flag":
        return T.BOOL
    if fact.kind == "date":
        return T.DATE
    if fact.kind == "enum":
        return Type("text", values=fact.values)
    return T.TEXT


@attrs.frozen
class _Context:
    """Where an expression is being checked: which facts and aggregates are allowed."""

    facts: bool
    aggregates: bool
    subject: str
    in_aggregate: bool = False


class Checker:
    def __init__(self, policy: ast.Policy, source: str):
        self.policy = policy
        self.source = source
        self.diagnostics: list[Diagnostic] = []
        self.types: dict[int, Type] = {}
        self.literals: dict[int, object] = {}
        self.definitions: dict[str, ast.Definition] = {}
        self.definition_types: dict[str, Type] = {}
        self.definition_facts: dict[str, bool] = {}
        self.definition_aggregates: dict[str, bool] = {}
        self.resolving: list[str] = []
        self.used: set[str] = set()
        self.order: list[str] = []
        self.bands: dict[str, tuple[BandLevel, ...]] = {}

    # ------------------------------------------------------------ entry
    def check(self) -> CheckedPolicy:
        fiscal_start = self._check_header()
        self._collect_definitions()
        seen: dict[str, ast.Declaration] = {}
        scopes = 0
        for declaration in self.policy.declarations:
            if declaration.kind == "scope":
                scopes += 1
                if scopes > 1:
                    self._error(E513.at(declaration.span))
            elif declaration.name in seen:
                first = seen[declaration.name]
                self._error(E501.at(declaration.name_span, rule_id=f"{self.policy.header.code}.{declaration.name}",
                                    line=first.span.line))
            else:
                seen[declaration.name] = declaration
            self._check_declaration(declaration)
        for definition in self.policy.definitions:  # unused ones still get checked
            if self.definitions.get(definition.name) is definition:  # not a rejected duplicate or built-in
                self._resolve_definition(definition.name, definition.span)
        for definition in self.policy.definitions:
            if definition.name not in self.used and self.definitions.get(definition.name) is definition:
                self._add(W601.at(definition.span, name=definition.name))
        errors = [d for d in self.diagnostics if d.is_error]
        if errors:
            raise DiagnosticError(self._sorted(self.diagnostics), {self.policy.file: self.source})
        return CheckedPolicy(
            policy=self.policy,
            source=self.source,
            types=self.types,
            literals=self.literals,
            definition_order=tuple(self.order),
            definition_facts=dict(self.definition_facts),
            bands=self.bands,
            fiscal_start=fiscal_start,
            warnings=tuple(self._sorted(self.diagnostics)),
        )

    @staticmethod
    def _sorted(diagnostics):
        return sorted(diagnostics, key=lambda d: (d.span.line, d.span.column) if d.span else (0, 0))

    def _add(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)

    def _error(self, diagnostic: Diagnostic) -> Type:
        self._add(diagnostic)
        return T.ERROR

    # ------------------------------------------------------------ header
    def _check_header(self) -> tuple[int, int]:
        calendar = self.policy.header.calendar
        if calendar is None or calendar.kind == "calendar-year":
            return (1, 1)
        month, day = (int(p) for p in calendar.start.split("-"))
        try:
            datetime.date(2000, month, day)  # a leap year, so 02-29 gets its own message below
        except ValueError:
            self._error(E403.at(calendar.span, start=calendar.start))
            return (1, 1)
        if (month, day) == (2, 29):
            self._error(E403.february_29.at(calendar.span))
            return (1, 1)
        return (month, day)

    # ------------------------------------------------------------ definitions
    def _collect_definitions(self) -> None:
        for definition in self.policy.definitions:
            if definition.name in self.definitions:
                first = self.definitions[definition.name]
                self._error(E502.at(definition.span, name=definition.name, line=first.span.line))
            elif definition.name in ROOTS or definition.name in FUNCTIONS:
                self._error(E502.builtin.at(definition.span, name=definition.name))
            else:
                self.definitions[definition.name] = definition

    def _resolve_definition(self, name: str, use_span: Span) -> Type:
        if name in self.definition_types:
            return self.definition_types[name]
        if name in self.resolving:
            cycle = self.resolving[self.resolving.index(name):] + [name]
            definition = self.definitions[name]
            self._error(E503.at(definition.span, cycle=" -> ".join(cycle)))
            for member in cycle:
                self.definition_types[member] = T.ERROR
            return T.ERROR
        definition = self.definitions[name]
        self.resolving.append(name)
        result = self._expr(definition.expr, _Context(facts=True, aggregates=True, subject="definition"))
        self.resolving.pop()
        if name not in self.definition_types:  # not poisoned by a cycle
            self.definition_types[name] = result
            self.definition_facts[name] = self._reads_facts(definition.expr)
            self.order.append(name)
        return self.definition_types[name]

    # ------------------------------------------------------------ declarations
    def _check_declaration(self, declaration: ast.Declaration) -> None:
        kind = declaration.kind
        seen: dict[str, ast.Clause] = {}
        for clause in declaration.clauses:
            label = "the scope" if kind == "scope" else f"a {kind}"
            if kind not in ALLOWED_CLAUSES[clause.keyword]:
                self._error(E512.at(clause.span, keyword=clause.keyword, declaration=label,
                                                allowed=", ".join(k for k, v in ALLOWED_CLAUSES.items() if kind in v)))
                continue
            if clause.keyword in seen and clause.keyword not in ("note", "quote"):
                self._error(E508.at(clause.span, keyword=clause.keyword, declaration=label,
                                    line=seen[clause.keyword].span.line))
                continue
            seen[clause.keyword] = clause
        if "cite" not in seen:
            what = "the scope" if kind == "scope" else f'{kind} "{declaration.name}"'
            self._error(E504.at(declaration.name_span, declaration=what))
        severity = seen.get("severity")
        advisory = severity is not None and severity.value == "advisory"
        if kind == "rule" and "require" not in seen and not advisory:
            # only an encouragement (severity advisory) may have nothing to check: its verdict is `info`
            self._error(E509.at(declaration.name_span, name=declaration.name))
        if kind == "scope" and "applies" not in seen:
            self._error(E509.scope.at(declaration.span))
        if kind == "band" and "of" not in seen:
            self._error(E509.band.at(declaration.name_span, name=declaration.name))
        if severity is not None and severity.value not in SEVERITIES:
            self._error(E204.severity_value.at(severity.span, value=severity.value, severities=", ".join(SEVERITIES),
                                               did_you_mean=self._closest(severity.value, SEVERITIES)))
        target = seen.get("for")
        on_operator = target is not None and target.value == "operator"
        if target is not None and target.value not in ("facility", "operator"):
            self._error(E204.rule_target.at(target.span, value=target.value,
                                            did_you_mean=self._closest(target.value, ("facility", "operator"))))
        context = _Context(facts=not on_operator, aggregates=True,
                           subject="an operator-level rule" if on_operator else kind)
        for clause in declaration.clauses:
            if isinstance(clause.value, str):
                continue
            expected = {"applies": T.BOOL, "require": T.BOOL, "from": T.DATE, "until": T.DATE, "due": T.DATE}
            actual = self._expr(clause.value, context)
            want = expected.get(clause.keyword)
            if want is not None:
                self._expect(actual, want, clause.value, f'"{clause.keyword}"')
        for block in declaration.blocks:
            if block.keyword == "exempt" and kind == "rule" and "require" not in seen:
                self._error(E516.at(block.span))
                continue
            self._check_block(declaration, block, context)
        if kind == "band":
            self._check_band(declaration, seen.get("of"), context)
        if kind == "report":
            self._check_items(declaration, context)

    def _check_block(self, declaration, block: ast.Block, context) -> None:
        actual = self._expr(block.condition, context)
        self._expect(actual, T.BOOL, block.condition, f'"{block.keyword}"')
        if block.keyword == "exempt" and declaration.kind == "scope":
            self._error(E514.at(block.span))
            return  # one root cause, one error: no further complaints about this block
        keywords = [c.keyword for c in block.clauses]
        if block.keyword == "exempt" and "cite" not in keywords:
            self._error(E504.exemption.at(block.span))
        if "because" not in keywords:
            self._error(E509.reason.at(block.span, block="exemption" if block.keyword == "exempt" else "exclusion"))

    def _check_items(self, declaration, context) -> None:
        seen: dict[str, ast.Item] = {}
        for item in declaration.items:
            if item.name in seen:
                self._error(E511.at(item.span, name=item.name, line=seen[item.name].span.line))
            seen[item.name] = item
            self._expr(item.value, context)
            if item.condition is not None:
                self._expect(self._expr(item.condition, context), T.BOOL, item.condition, '"when"')

    def _check_band(self, declaration, subject_clause, context) -> None:
        subject = T.ERROR
        if subject_clause is not None:
            subject = self.types.get(id(subject_clause.value), T.ERROR)
            if not subject.is_error and subject.kind != "number":
                self._error(E301.band_subject.at(subject_clause.value.span, kind=subject))
                subject = T.ERROR
        levels: list[BandLevel] = []
        labels: dict[str, ast.Level] = {}
        for level in declaration.levels:
            if level.label in labels:
                self._error(E515.at(level.span, label=level.label))
            labels[level.label] = level
            low = self._bound(level.low, subject, context)
            high = self._bound(level.high, subject, context)
            if low is _BAD or high is _BAD:
                continue
            if level.low.value is None and not level.low.negative_infinity or level.high.negative_infinity:
                self._error(E510.reversed.at(level.span))
                continue
            if low is not None and high is not None and (low > high or (low == high and not (
                    level.low.inclusive and level.high.inclusive))):
                self._error(E510.at(level.span, label=level.label))
                continue
            levels.append(BandLevel(level.label, low, level.low.inclusive, high, level.high.inclusive, level.span))
        if len(levels) != len(declaration.levels):
            return
        ordered = sorted(levels, key=lambda lv: (-float("inf") if lv.low is None else lv.low, not lv.low_inclusive))
        unit = subject.dimension.canonical_unit if not subject.is_error else ""
        if ordered and ordered[0].low is not None:
            first = ordered[0]
            self._error(E505.below.at(first.span, bound=f"{units.format_number(first.low)} {unit}".rstrip()))
        if ordered and ordered[-1].high is not None:
            last = ordered[-1]
            self._error(E505.above.at(last.span, bound=f"{units.format_number(last.high)} {unit}".rstrip()))
        for a, b in zip(ordered, ordered[1:]):
            if a.high is None or (b.low is not None and a.high > b.low) or (
                    a.high == b.low and a.high_inclusive and b.low_inclusive):
                self._error(E506.at(b.span, low=a.label, high=b.label))
            elif b.low is None or a.high < b.low or (a.high == b.low and not a.high_inclusive and not b.low_inclusive):
                self._error(E505.at(b.span, low=a.label, high=b.label))
        self.bands[declaration.name] = tuple(levels)

    def _bound(self, bound: ast.Bound, subject: Type, context):
        if bound.value is None:
            return None
        actual = self._expr(bound.value, context)
        if actual.is_error:
            return _BAD
        value = self._constant(bound.value)
        if value is None or actual.kind != "number":
            self._error(E301.band_bound.at(bound.value.span))
            return _BAD
        if not subject.is_error and actual.dimension != subject.dimension:
            self._error(E302.band_bound.at(bound.value.span, kind=actual, subject=subject,
                                           unit=subject.dimension.canonical_unit or "plain numbers"))
            return _BAD
        return value

    def _constant(self, expr):
        if isinstance(expr, ast.Quantity):
            return self.literals.get(id(expr))
        if isinstance(expr, ast.Neg):
            inner = self._constant(expr.operand)
            return -inner if isinstance(inner, float) else None
        if isinstance(expr, ast.Paren):
            return self._constant(expr.inner)
        return None

    # ------------------------------------------------------------ expressions
    def _expect(self, actual: Type, want: Type, expr, where: str) -> None:
        if actual.is_error or actual.kind == want.kind:
            return
        wording = E303.main if want == T.BOOL else E301.needs
        self._error(wording.at(expr.span, where=where, expected=want, actual=actual))

    def _expr(self, expr, context: _Context) -> Type:
        result = self._infer(expr, context)
        self.types[id(expr)] = result
        return result

    def _infer(self, expr, context: _Context) -> Type:
        match expr:
            case ast.Quantity():
                return self._quantity(expr)
            case ast.DateLit():
                day = _parse_date(expr.text)
                if day is None:
                    return self._error(E401.at(expr.span, text=expr.text))
                self.literals[id(expr)] = day
                return T.DATE
            case ast.StringLit():
                self.literals[id(expr)] = expr.value
                return T.TEXT
            case ast.BoolLit():
                return T.BOOL
            case ast.Paren():
                return self._expr(expr.inner, context)
            case ast.Ref():
                return self._reference(expr, context)
            case ast.Neg():
                inner = self._expr(expr.operand, context)
                if inner.is_error or inner.kind in ("number", "duration"):
                    return inner
                return self._error(E301.negation.at(expr.span, kind=inner))
            case ast.Not():
                inner = self._expr(expr.operand, context)
                self._expect(inner, T.BOOL, expr.operand, '"not"')
                return T.BOOL
            case ast.Logical():
                for side in (expr.left, expr.right):
                    self._expect(self._expr(side, context), T.BOOL, side, f'"{expr.op}"')
                return T.BOOL
            case ast.Arith():
                return self._arith(expr, context)
            case ast.Compare():
                return self._compare(expr, context)
            case ast.Member():
                return self._member(expr, context)
            case ast.Tiered():
                return self._tiered(expr, context)
            case ast.Call():
                return self._call(expr, context)
        raise AssertionError(f"unhandled node {expr!r}")

    def _quantity(self, expr: ast.Quantity) -> Type:
        if expr.unit is None:
            self.literals[id(expr)] = expr.number
            return T.NUMBER
        if expr.unit in T.DURATION_UNITS:
            if expr.number != int(expr.number):
                return self._error(E301.fractional_duration.at(expr.span))
            months, days = T.DURATION_UNITS[expr.unit]
            self.literals[id(expr)] = Duration(int(expr.number) * months, int(expr.number) * days)
            return T.DURATION
        try:
            unit = units.parse_unit(expr.unit)
        except units.UnknownUnit as exc:
            duration = difflib.get_close_matches(expr.unit, list(T.DURATION_UNITS), n=1, cutoff=0.7)
            suggestion = duration[0] if duration else exc.suggestion
            return self._error(E205.at(expr.span, unit=exc.symbol, did_you_mean=suggestion))
        self.literals[id(expr)] = expr.number * unit.factor
        return T.quantity(unit.dimension)

    def _reference(self, expr: ast.Ref, context: _Context) -> Type:
        root = expr.root
        if root in ROOTS:
            if not context.facts:
                return self._error(E206.at(expr.span, fact=expr.text, context=context.subject))
            if expr.offset is not None and root != "period":
                return self._error(E301.offset_root.at(expr.span))
            if len(expr.parts) == 1:
                return self._error(E202.bare_root.at(expr.span, root=root,
                                                     example="started" if root == "facility" else "energy.total"))
            fact = schema.lookup(root, expr.path)
            if fact is None:
                suggestion = schema.suggest(root, expr.path)
                return self._error(E202.at(expr.span, path=expr.text, root=root,
                                           did_you_mean=f"{root}.{suggestion}" if suggestion else None))
            return _fact_type(fact)
        if expr.offset is not None:
            return self._error(E301.offset_name.at(expr.span, name=root))
        if root in self.definitions:
            if len(expr.parts) > 1:
                return self._error(E202.definition_field.at(expr.span, name=root, field=expr.parts[1]))
            self.used.add(root)
            result = self._resolve_definition(root, expr.span)
            if not context.facts and self.definition_facts.get(root):
                return self._error(E206.definition.at(expr.span, name=root, context=context.subject))
            return result
        candidates = list(self.definitions) + list(ROOTS)
        if root in _KEYWORDS:  # a keyword where a value belongs: the value is missing, nothing to define
            return self._error(E201.keyword.at(expr.span, name=root))
        return self._error(E201.at(expr.span, name=root, did_you_mean=self._closest(root, candidates)))

    def _reads_facts(self, expr) -> bool:
        """Whether an expression reads one facility's facts (aggregates read the operator's)."""
        if isinstance(expr, ast.Ref):
            return expr.root in ROOTS or self.definition_facts.get(expr.root, False)
        if isinstance(expr, ast.Call) and expr.name in AGGREGATES:
            return False
        return any(self._reads_facts(child) for child in ast.children(expr))

    @staticmethod
    def _closest(word: str, candidates) -> str | None:
        close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
        return close[0] if close else None

    def _arith(self, expr: ast.Arith, context) -> Type:
        left = self._expr(expr.left, context)
        right = self._expr(expr.right, context)
        if left.is_error or right.is_error:
            return T.ERROR
        op = expr.op
        if op in "+-":
            if left.kind == "date" and right.kind == "duration":
                return T.DATE
            if op == "+" and left.kind == "duration" and right.kind == "date":
                return T.DATE
            if left.kind == "date" or right.kind == "date":
                return self._error(E402.at(expr.span, kind=right if left.kind == "date" else left))
            if left.kind == "duration" and right.kind == "duration":
                return T.DURATION
            if left.kind == "number" and right.kind == "number":
                if left.dimension != right.dimension:
                    return self._error(E302.add.at(expr.span, verb="add" if op == "+" else "subtract", left=left,
                                                   right=right, preposition="to" if op == "+" else "from"))
                return left
        elif left.kind == "number" and right.kind == "number":
            if op == "*":
                return T.quantity(left.dimension * right.dimension)
            if op == "/":
                return T.quantity(left.dimension / right.dimension)
            if op == "^":
                if not (left.dimension.is_dimensionless and right.dimension.is_dimensionless):
                    return self._error(E302.power.at(expr.span))
                return T.NUMBER
        return self._error(E301.operands.at(expr.span, op=op, left=left, right=right))

    def _compare(self, expr: ast.Compare, context) -> Type:
        left = self._expr(expr.left, context)
        right = self._expr(expr.right, context)
        if left.is_error or right.is_error:
            return T.BOOL
        if left.kind != right.kind:
            return self._error(_compare_wording(left, right).at(expr.span, left=left, right=right))
        if left.kind == "number" and left.dimension != right.dimension:
            if left.dimension.is_dimensionless:
                return self._error(E302.plain_number.at(expr.span, left=left, right=right))
            return self._error(E302.at(expr.span, left=left, right=right,
                                       unit=left.dimension.canonical_unit or "plain numbers"))
        if left.kind in ("text", "bool", "duration") and expr.op not in ("==", "!="):
            return self._error(E301.ordering.at(expr.span, op=expr.op, kind=left))
        self._check_enum(left, expr.right)
        self._check_enum(right, expr.left)
        if left.kind == "number" and left.dimension.is_dimensionless:
            self._check_share_against_percent(expr)
        return T.BOOL

    def _check_share_against_percent(self, expr: ast.Compare) -> None:
        """`reuse_share >= 20` where `20 %` was meant: a share never exceeds 1, so the test is constant."""
        for share, other in ((expr.left, expr.right), (expr.right, expr.left)):
            literal = shares.plain_number_above_one(other)
            if literal is not None and shares.is_share(share, self.definitions):
                self._add(W603.at(literal.span, number=literal.text,
                                  fraction=units.format_number(literal.number / 100)))

    def _check_enum(self, enum_type: Type, other) -> None:
        if enum_type.values and isinstance(other, ast.StringLit) and other.value not in enum_type.values:
            self._error(E204.at(other.span, value=other.value, values=", ".join(enum_type.values),
                                did_you_mean=self._closest(other.value, enum_type.values)))

    def _member(self, expr: ast.Member, context) -> Type:
        element = self._expr(expr.element, context)
        for option in expr.options:
            kind = self._expr(option, context)
            if element.is_error or kind.is_error:
                continue
            if kind.kind != element.kind or (kind.kind == "number" and kind.dimension != element.dimension):
                self._error(E301.set_member.at(option.span, kind=kind, element=element))
                continue
            self._check_enum(element, option)
        return T.BOOL

    def _tiered(self, expr: ast.Tiered, context) -> Type:
        first: Type | None = None
        for value in [t.value for t in expr.tiers] + [expr.otherwise]:
            kind = self._expr(value, context)
            if kind.is_error:
                continue
            if first is None:
                first = kind
            elif kind != first and not (kind.kind == first.kind == "text"):
                self._error(E304.at(value.span, kind=kind, first=first))
        for tier in expr.tiers:
            self._expect(self._expr(tier.condition, context), T.BOOL, tier.condition, '"when"')
        return first or T.ERROR

    def _call(self, expr: ast.Call, context) -> Type:
        signature = FUNCTIONS.get(expr.name)
        if signature is None:
            return self._error(E203.at(expr.span, name=expr.name, functions=", ".join(sorted(FUNCTIONS)),
                                       did_you_mean=self._closest(expr.name, FUNCTIONS)))
        low, high = signature.arity
        if not low <= len(expr.args) <= high:
            count = f"{low}" if low == high else f"{low} to {high}"
            return self._error(E203.arity.at(expr.span, name=expr.name, count=count, plural="s" if high > 1 else "",
                                             given=len(expr.args)))
        is_aggregate = expr.name in AGGREGATES
        if (expr.by is not None and expr.name != "weighted_mean") or (expr.name == "weighted_mean" and expr.by is None):
            return self._error(E203.by.at(expr.span))
        if expr.where is not None and not is_aggregate:
            return self._error(E203.where.at(expr.span, name=expr.name))
        if expr.including_out_of_scope and not is_aggregate:
            return self._error(E203.including.at(expr.span, name=expr.name))
        inner_context = context
        if is_aggregate:
            if context.in_aggregate:
                return self._error(E305.at(expr.span, name=expr.name))
            inner_context = _Context(facts=True, aggregates=False, subject="an aggregate", in_aggregate=True)
        arg_types = [self._expr(arg, inner_context) for arg in expr.args]
        if expr.by is not None:
            weight = self._expr(expr.by, inner_context)
            if not weight.is_error and weight.kind != "number":
                self._error(E301.weight.at(expr.by.span, kind=weight))
        if expr.where is not None:
            self._expect(self._expr(expr.where, inner_context), T.BOOL, expr.where, '"where"')
        if any(t.is_error for t in arg_types):
            return T.ERROR
        for position, (arg, kind) in enumerate(zip(expr.args, arg_types)):
            want = signature.params[min(position, len(signature.params) - 1)]
            if want == "same" and (kind.kind != arg_types[0].kind or kind.dimension != arg_types[0].dimension):
                wording = E302.arguments_disagree if kind.kind == "number" else E301.arguments_disagree
                return self._error(wording.at(arg.span, name=expr.name, this=kind, first=arg_types[0]))
            if want in ("number", "date", "bool") and kind.kind != want:
                return self._error(E301.function_argument.at(arg.span, name=expr.name, expected=Type(want), actual=kind))
        return signature.result(arg_types)


_BAD = object()
_KEYWORDS = frozenset({"and", "or", "not", "in", "when", "otherwise", "by", "where", "including", "true", "false",
                       "inf", "define", "rule", "scope", "band", "report", "level", "item", "public", "exempt",
                       "exclude", "because", "cite", "quote", "note", "severity", "for", "applies", "from",
                       "until", "require", "of", "due", "law", "source", "calendar", "jurisdiction"})


def _compare_wording(left: Type, right: Type):
    kinds = {left.kind, right.kind}
    if kinds == {"date", "number"}:
        return E301.date_and_number
    if kinds == {"text", "number"}:
        return E301.text_and_number
    return E301.main


def check(policy: ast.Policy, source: str) -> CheckedPolicy:
    return Checker(policy, source).check()
