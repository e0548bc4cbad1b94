"""The checker: a policy's header, declarations, clauses, blocks, band levels and report items.

It reports every problem with a span and returns a CheckedPolicy, or raises DiagnosticError listing
them all. The expressions inside the declarations are typed by typecheck.Typer.
"""

from __future__ import annotations

import datetime

from .data import frozen
from . import ast, units
from . import types as T
from .bands import BandLevel
from .builtins import CLAUSES, RULE_TARGETS, SEVERITIES
from .diagnostics import Diagnostic, DiagnosticError
from .messages import (E204, E301, E302, E403, E404, E501, E504, E505, E506, E508, E509, E510, E511, E512, E513, E514,
                       E515, E516)
from .territory import why_not_a_territory
from .typecheck import ExprContext, Typer, closest
from .types import Type


@frozen
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


class Checker:
    """Checks one policy: the structure here, the expressions through a Typer sharing its diagnostics."""

    def __init__(self, policy: ast.Policy, source: str):
        self.policy = policy
        self.source = source
        self.diagnostics: list[Diagnostic] = []
        self.typer = Typer(policy, self.diagnostics)
        self.bands: dict[str, tuple[BandLevel, ...]] = {}

    # ------------------------------------------------------------ entry
    def check(self) -> CheckedPolicy:
        fiscal_start = self._check_header()
        self.typer.collect_definitions()
        self.typer.type_definitions()
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
        self.typer.check_definitions()
        errors = [d for d in self.diagnostics if d.is_error]
        if errors:
            raise DiagnosticError(self._sorted(self.diagnostics), {self.policy.file: self.source})
        return CheckedPolicy(
            policy=self.policy,
            source=self.source,
            types=self.typer.types,
            literals=self.typer.literals,
            definition_order=tuple(self.typer.order),
            definition_facts=dict(self.typer.definition_facts),
            bands=self.bands,
            fiscal_start=fiscal_start,
            warnings=tuple(self._sorted(self.diagnostics)),
        )

    @staticmethod
    def _sorted(diagnostics):
        return sorted(diagnostics, key=lambda d: (d.span.line, d.span.column) if d.span else (0, 0))

    def _error(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)

    # ------------------------------------------------------------ header
    def _check_header(self) -> tuple[int, int]:
        header = self.policy.header
        if header.territory is not None and (reason := why_not_a_territory(header.territory)) is not None:
            self._error(E404.at(header.clause_spans("territory")[0], text=header.territory, reason=reason))
        calendar = header.calendar
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

    # ------------------------------------------------------------ declarations
    def _check_declaration(self, declaration: ast.Declaration) -> None:
        kind = declaration.kind
        seen: dict[str, ast.Clause] = {}
        for clause in declaration.clauses:
            label = "the scope" if kind == "scope" else f"a {kind}"
            if kind not in CLAUSES[clause.keyword].declarations:
                self._error(E512.at(clause.span, keyword=clause.keyword, declaration=label,
                                    allowed=", ".join(k for k, c in CLAUSES.items() if kind in c.declarations)))
                continue
            if clause.keyword in seen and not CLAUSES[clause.keyword].repeatable:
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
                                               did_you_mean=closest(severity.value, SEVERITIES)))
        target = seen.get("for")
        on_operator = target is not None and target.value == "operator"
        if target is not None and target.value not in RULE_TARGETS:
            self._error(E204.rule_target.at(target.span, value=target.value,
                                            did_you_mean=closest(target.value, RULE_TARGETS)))
        context = ExprContext(facts=not on_operator, aggregates=True,
                           subject="an operator-level rule" if on_operator else kind)
        for clause in declaration.clauses:
            if isinstance(clause.value, str):
                continue
            actual = self.typer.expr(clause.value, context)
            want = CLAUSES[clause.keyword].expects
            if want is not None:
                self.typer.expect(actual, Type(want), clause.value, f'"{clause.keyword}"')
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
        actual = self.typer.expr(block.condition, context)
        self.typer.expect(actual, T.BOOL, block.condition, f'"{block.keyword}"')
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
            self.typer.expr(item.value, context)
            if item.condition is not None:
                self.typer.expect(self.typer.expr(item.condition, context), T.BOOL, item.condition, '"when"')

    def _check_band(self, declaration, subject_clause, context) -> None:
        subject = T.ERROR
        if subject_clause is not None:
            subject = self.typer.types.get(id(subject_clause.value), T.ERROR)
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
        actual = self.typer.expr(bound.value, context)
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
            return self.typer.literals.get(id(expr))
        if isinstance(expr, ast.Neg):
            inner = self._constant(expr.operand)
            return -inner if isinstance(inner, float) else None
        if isinstance(expr, ast.Paren):
            return self._constant(expr.inner)
        return None


_BAD = object()  # a band bound that is already reported wrong


def check(policy: ast.Policy, source: str) -> CheckedPolicy:
    return Checker(policy, source).check()
