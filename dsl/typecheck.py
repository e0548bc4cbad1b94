"""Expression typing: names, facts, units and dimensions, operators, function calls and the definitions they use.

One root cause gives one error: an expression that already failed gets the ERROR type, which every
later check accepts silently. Every quantity literal is converted to its canonical unit here, so
evaluation works on plain numbers. The declarations around the expressions are checked in checker.py.
"""

from __future__ import annotations

from .data import frozen
from . import ast, quantifiers, schema, shares, units
from . import types as T
from .builtins import AGGREGATES, FUNCTIONS, RESERVED_NAMES, ROOTS
from .dates import parse_date
from .nesting import definition_problems
from .diagnostics import Diagnostic
from .messages import (E201, E202, E203, E204, E205, E206, E301, E302, E303, E304, E305, E401, E402, E502, E503, W601,
                       W603)
from .types import Duration, Type


@frozen
class ExprContext:
    """Where an expression is being checked: which facts and aggregates are allowed."""

    facts: bool
    aggregates: bool
    subject: str
    in_aggregate: bool = False
    subject_name: str = ""  # inside an aggregate: its function's name
    bound: tuple = ()  # inside a quantifier: ((name, RecordList),), the record its name stands for


SUGGESTIONS = 50  # unknown names that get a "did you mean" (language.md, "Limits")


class Typer:
    """Types the expressions of one policy, reporting into a shared list of diagnostics."""

    def __init__(self, policy: ast.Policy, diagnostics: list[Diagnostic]):
        self.policy = policy
        self.diagnostics = diagnostics
        self.types: dict[int, Type] = {}  # id(expr) -> static type
        self.literals: dict[int, object] = {}  # id(literal) -> canonical value
        self.definitions: dict[str, ast.Definition] = {}
        self.definition_types: dict[str, Type] = {}
        self.definition_facts: dict[str, bool] = {}
        self.resolving: list[str] = []
        self.used: set[str] = set()
        self.order: list[str] = []  # typed definitions, dependencies first
        self.suggestions: dict[str, str | None] = {}  # unknown name -> "did you mean"

    def _add(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)

    def _error(self, diagnostic: Diagnostic) -> Type:
        self._add(diagnostic)
        return T.ERROR

    # ------------------------------------------------------------ definitions
    def collect_definitions(self) -> None:
        """Register the definitions by name; a duplicate or a built-in name is an error."""
        for definition in self.policy.definitions:
            if definition.name in self.definitions:
                first = self.definitions[definition.name]
                self._error(E502.at(definition.span, name=definition.name, line=first.span.line))
            elif definition.name in ROOTS or definition.name in FUNCTIONS:
                self._error(E502.builtin.at(definition.span, name=definition.name))
            else:
                self.definitions[definition.name] = definition

    def type_definitions(self) -> None:
        """Type every definition, each after those it uses, so typing never follows a chain of them.

        Cycles and definitions nested too deeply through others are reported first (nesting.py) and
        typed as errors, like everything that uses them: one root cause, one error.
        """
        problems, bad, order, used = definition_problems(self.definitions)
        self.diagnostics.extend(problems)
        self.used.update(used)
        self.definition_types.update(dict.fromkeys(bad, T.ERROR))
        for name in order:
            self.resolve_definition(name)

    def resolve_definition(self, name: str) -> Type:
        """The type of a definition, typing it (and what it uses) on first use; a cycle is an error."""
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
        result = self.expr(definition.expr, ExprContext(facts=True, aggregates=True, subject="definition"))
        self.resolving.pop()
        if name not in self.definition_types:  # not poisoned by a cycle
            self.definition_types[name] = result
            self.definition_facts[name] = self._reads_facts(definition.expr)
            self.order.append(name)
        return self.definition_types[name]

    def check_definitions(self) -> None:
        """Type the definitions no declaration used (they are still checked), and warn that they are unused."""
        for definition in self.policy.definitions:
            if self.definitions.get(definition.name) is definition:  # not a rejected duplicate or built-in
                self.resolve_definition(definition.name)
        for definition in self.policy.definitions:
            if definition.name not in self.used and self.definitions.get(definition.name) is definition:
                self._add(W601.at(definition.span, name=definition.name))

    # ------------------------------------------------------------ expressions
    def expect(self, actual: Type, want: Type, expr, where: str) -> None:
        if actual.is_error or actual.kind == want.kind:
            return
        wording = E303.main if want == T.BOOL else E301.needs
        self._error(wording.at(expr.span, where=where, expected=want, actual=actual))

    def expr(self, expr, context: ExprContext) -> Type:
        """The type of an expression, recorded for the plan; ERROR once something in it is wrong."""
        result = self._infer(expr, context)
        self.types[id(expr)] = result
        return result

    def _infer(self, expr, context: ExprContext) -> Type:
        match expr:
            case ast.Quantity():
                return self._quantity(expr)
            case ast.DateLit():
                day = parse_date(expr.text)
                if day is None:
                    wording = E401.year_zero if expr.text.startswith("0000") else E401.main
                    return self._error(wording.at(expr.span, text=expr.text))
                self.literals[id(expr)] = day
                return T.DATE
            case ast.StringLit():
                self.literals[id(expr)] = expr.value
                return T.TEXT
            case ast.BoolLit():
                return T.BOOL
            case ast.Paren():
                return self.expr(expr.inner, context)
            case ast.Ref():
                return self._reference(expr, context)
            case ast.Neg():
                inner = self.expr(expr.operand, context)  # -(40 °F) read as °C would be -4.4 °C, not -40 °F:
                fahrenheit = isinstance(expr.operand, ast.Quantity) and units.reads_with_offset(expr.operand.unit)
                if (inner.is_error or inner.kind in ("number", "duration")) and not fahrenheit:
                    return inner
                return self._error((E301.negated_fahrenheit if fahrenheit else E301.negation).at(expr.span, kind=inner))
            case ast.Not():
                inner = self.expr(expr.operand, context)
                self.expect(inner, T.BOOL, expr.operand, '"not"')
                return T.BOOL
            case ast.Logical():
                for side in (expr.left, expr.right):
                    self.expect(self.expr(side, context), T.BOOL, side, f'"{expr.op}"')
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
            case ast.Quantifier():
                return quantifiers.infer(self, expr, context)
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
            import difflib  # only a misspelt unit needs it
            duration = difflib.get_close_matches(expr.unit, list(T.DURATION_UNITS), n=1, cutoff=0.7)
            suggestion = duration[0] if duration else exc.suggestion
            return self._error(E205.at(expr.span, unit=exc.symbol, did_you_mean=suggestion))
        self.literals[id(expr)] = unit.to_canonical(expr.number)
        return T.quantity(unit.dimension)

    def _reference(self, expr: ast.Ref, context: ExprContext) -> Type:
        root = expr.root
        for name, records in context.bound:
            if root == name:
                return quantifiers.record_field(self, expr, records)
        if root in ROOTS and quantifiers.is_record_list(root, expr.path):
            return quantifiers.list_read_as_value(self, expr)
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
            return T.of_fact(fact)
        if expr.offset is not None:
            return self._error(E301.offset_name.at(expr.span, name=root))
        if root in self.definitions:
            if len(expr.parts) > 1:
                return self._error(E202.definition_field.at(expr.span, name=root, field=expr.parts[1]))
            self.used.add(root)
            result = self.resolve_definition(root)
            if not context.facts and self.definition_facts.get(root):
                return self._error(E206.definition.at(expr.span, name=root, context=context.subject))
            return result
        if root in RESERVED_NAMES:  # a keyword where a value belongs: the value is missing, nothing to define
            return self._error(E201.keyword.at(expr.span, name=root))
        return self._error(E201.at(expr.span, name=root, did_you_mean=self._suggestion(root)))

    def _suggestion(self, name: str) -> str | None:
        """A close definition or root for an unknown name: each comparison costs a pass over every
        definition, so only the first SUGGESTIONS distinct unknown names get one (checking stays linear)."""
        if name not in self.suggestions and len(self.suggestions) < SUGGESTIONS:
            self.suggestions[name] = closest(name, list(self.definitions) + list(ROOTS))
        return self.suggestions.get(name)

    def _reads_facts(self, expr) -> bool:
        """Whether an expression reads one facility's facts (aggregates read the operator's)."""
        if isinstance(expr, ast.Ref):
            return expr.root in ROOTS or self.definition_facts.get(expr.root, False)
        if isinstance(expr, ast.Call) and expr.name in AGGREGATES:
            return False
        return any(self._reads_facts(child) for child in ast.children(expr))

    def _arith(self, expr: ast.Arith, context) -> Type:
        left = self.expr(expr.left, context)
        right = self.expr(expr.right, context)
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
        left = self.expr(expr.left, context)
        right = self.expr(expr.right, context)
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
                                did_you_mean=closest(other.value, enum_type.values)))

    def _member(self, expr: ast.Member, context) -> Type:
        element = self.expr(expr.element, context)
        for option in expr.options:
            kind = self.expr(option, context)
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
            kind = self.expr(value, context)
            if kind.is_error:
                continue
            if first is None:
                first = kind
            elif kind != first and not (kind.kind == first.kind == "text"):
                self._error(E304.at(value.span, kind=kind, first=first))
        for tier in expr.tiers:
            self.expect(self.expr(tier.condition, context), T.BOOL, tier.condition, '"when"')
        return first or T.ERROR

    def _call(self, expr: ast.Call, context) -> Type:
        signature = FUNCTIONS.get(expr.name)
        if signature is None:
            return self._error(E203.at(expr.span, name=expr.name, functions=", ".join(sorted(FUNCTIONS)),
                                       did_you_mean=closest(expr.name, FUNCTIONS)))
        low, high = signature.arity
        if not low <= len(expr.args) <= high:
            count = f"{low}" if low == high else f"{low} to {high}"
            return self._error(E203.arity.at(expr.span, name=expr.name, count=count, plural="s" if high > 1 else "",
                                             given=len(expr.args)))
        is_aggregate = signature.is_aggregate
        if (expr.by is not None) != signature.weighted:
            return self._error(E203.by.at(expr.span))
        if expr.where is not None and not is_aggregate:
            return self._error(E203.where.at(expr.span, name=expr.name))
        if expr.including_out_of_scope and not is_aggregate:
            return self._error(E203.including.at(expr.span, name=expr.name))
        inner_context = context
        if is_aggregate:
            if context.in_aggregate:
                return self._error(E305.at(expr.span, name=expr.name))
            inner_context = ExprContext(facts=True, aggregates=False, subject="an aggregate", in_aggregate=True,
                                        subject_name=expr.name)
        arg_types = [self.expr(arg, inner_context) for arg in expr.args]
        if expr.by is not None:
            weight = self.expr(expr.by, inner_context)
            if not weight.is_error and weight.kind != "number":
                self._error(E301.weight.at(expr.by.span, kind=weight))
        if expr.where is not None:
            self.expect(self.expr(expr.where, inner_context), T.BOOL, expr.where, '"where"')
        if any(t.is_error for t in arg_types):
            return T.ERROR
        for position, (arg, kind) in enumerate(zip(expr.args, arg_types)):
            want = signature.params[min(position, len(signature.params) - 1)]
            if want == "same" and (kind.kind != arg_types[0].kind or kind.dimension != arg_types[0].dimension):
                wording = E302.arguments_disagree if kind.kind == "number" else E301.arguments_disagree
                return self._error(wording.at(arg.span, name=expr.name, this=kind, first=arg_types[0]))
            if want == "plain" and kind.kind == "number" and not kind.dimension.is_dimensionless:
                return self._error(E302.plain_argument.at(arg.span, name=expr.name, kind=kind))
            if want in ("number", "date", "bool", "plain") and kind.kind != want.replace("plain", "number"):
                return self._error(E301.function_argument.at(arg.span, name=expr.name, actual=kind,
                                                             expected=T.NUMBER if want == "plain" else Type(want)))
        return _RESULTS.get(signature.result) or arg_types[0]


def closest(word: str, candidates) -> str | None:
    """The candidate a misspelt word most likely meant, if any is close."""
    import difflib  # only a misspelt name needs it
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return close[0] if close else None


# A function's result type by its name in the builtins table; "first" is the first argument's type.
_RESULTS = {"number": T.NUMBER, "date": T.DATE, "bool": T.BOOL}


def _compare_wording(left: Type, right: Type):
    kinds = {left.kind, right.kind}
    if kinds == {"date", "number"}:
        return E301.date_and_number
    if kinds == {"text", "number"}:
        return E301.text_and_number
    return E301.main
