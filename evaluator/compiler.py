"""Compile a checked policy into an executable plan: generated Python, built once.

Each clause expression becomes one Python function ``f(c, t)``; ``c`` is the evaluation
context and ``t`` a flat list with one slot per AST node, filled with the node's value as it
is computed (the trace). The static node table says, for each slot, the expression as written,
its span, its dimension and whether it reads a fact; so explanations are rebuilt later from
flat values and nothing is re-walked or re-checked at evaluation time. The choice of generated
source with flat trace slots follows the measurements in the evaluator issue (generated source
near hand-written speed, closures and tree-walkers several times slower; benchmarks/bench_eval.py).
"""

from __future__ import annotations

from ..dsl.data import frozen
from ..dsl import ast, schema
from ..dsl.builtins import FUNCTIONS, ROOTS
from ..dsl.checker import CheckedPolicy
from ..dsl.diagnostics import Span, source_lines
from ..dsl.units import NUMBER

from . import quantifier_code, runtime
from .constancy import Constancy
from .plan import CompiledBlock, CompiledExpr, CompiledItem, CompiledRule, NodeInfo, Plan
from .plan_source import Call, Code, Lambda, PlanFunction, Tuple, load, plan_source, record as _record, unique_name


# Levels of an expression in one generated function: deeper parts become functions of their own, far below
# Python's 200 nested parentheses (a tiered level opens four) at any depth the checker accepts (dsl/nesting.py).
SPLIT_DEPTH = 20


@frozen
class _Shared:
    """What every clause's generator of one policy reads and adds to: built once, so compiling is linear."""

    checked: CheckedPolicy
    constants: dict[str, object]
    notes: dict[str, str]
    lines: list[str]  # the policy's lines, as the parser counts them
    definitions: dict[str, ast.Definition]
    taken: set[str]  # the generated functions' names
    functions: list[PlanFunction]  # the parts of the clause being generated


def _operator(node) -> str | None:
    """A node table's `op`: a call's function name, "when" for tiers (coverage finds them so), else the AST's op."""
    if isinstance(node, ast.Call):
        return node.name
    return "when" if isinstance(node, ast.Tiered) else getattr(node, "op", None) or getattr(node, "kind", None)


class _Generator:
    """Turns one expression into Python source; records a NodeInfo per trace slot."""

    def __init__(self, shared: _Shared, name: str, origin: str):
        self.checked = shared.checked
        self.constants = shared.constants
        self.notes = shared.notes
        self.lines = shared.lines
        self.nodes: list[NodeInfo] = []
        self.definitions = shared.definitions
        self.shared, self.name, self.origin = shared, name, origin
        self.depth = self.parts = 0  # levels inside the function being generated; functions made of deep parts
        self.bound: str | None = None  # inside a quantifier: the name its record is bound to

    def text_of(self, span: Span) -> str:
        if span.line == span.end_line:
            return self.lines[span.line - 1][span.column - 1: span.end_column - 1]
        first = self.lines[span.line - 1][span.column - 1:]
        middle = self.lines[span.line: span.end_line - 1]
        last = self.lines[span.end_line - 1][: span.end_column - 1]
        return " ".join(part.strip() for part in [first, *middle, last])

    def constant(self, value, note: str) -> str:
        name = f"K{len(self.constants)}"
        self.constants[name] = value
        self.notes[name] = note
        return name

    def compile(self, expr) -> Code:
        return self.gen(expr, "c", record=True)

    def gen(self, node, c: str, record: bool) -> Code:
        if self.depth >= SPLIT_DEPTH:
            return self._part(node, c, record)
        self.depth += 1
        code = self._gen(node, c, record)  # an exception here ends the compile: no depth to restore
        self.depth -= 1
        return code

    def _part(self, node, c: str, record: bool) -> Code:
        """A deeply nested part as a function of its own, called with the same context and trace."""
        outer, self.depth = self.depth, 0
        body, self.depth = self.gen(node, "c", record), outer
        self.parts += 1  # numbered here: unique_name's search from _2 upwards would make many parts quadratic
        name = unique_name(f"{self.name}__part{self.parts}", self.shared.taken)
        self.shared.functions.append(PlanFunction(name, f"{self.origin}, a part nested deeper than {SPLIT_DEPTH} levels",
                                                  node.span.line, self.text_of(node.span), body))
        return Call(name, (c, "t"))

    def _gen(self, node, c: str, record: bool) -> Code:
        slot = None
        if record:
            slot = len(self.nodes)
            self.nodes.append(None)  # reserved; children fill later slots
        code, kind, path, children = self._code(node, c, record)
        if record:
            kind_type = self.checked.types.get(id(node))
            self.nodes[slot] = NodeInfo(
                text=self.text_of(node.span), span=node.span, kind=kind, path=path,
                dimension=kind_type.dimension if kind_type else NUMBER,
                type_kind=kind_type.kind if kind_type else "number",
                children=tuple(children),
                op=_operator(node),
                reads=self._facts_read(node) if kind == "aggregate" else (),
                everyone=kind == "aggregate" and node.including_out_of_scope,
            )
            return Call("_r", ("t", str(slot), code), hug=True)
        return code

    def _child(self, node, c, record, children: list[int]) -> Code:
        if record:
            children.append(len(self.nodes))
        return self.gen(node, c, record)

    def _code(self, node, c: str, record: bool):
        children: list[int] = []

        def sub(n, ctx=c, rec=record):
            return self._child(n, ctx, rec, children)

        match node:
            case ast.Quantity() | ast.DateLit() | ast.StringLit():
                literal = self.constant(self.checked.literals[id(node)], f"line {node.span.line}: {self.text_of(node.span)}")
                return literal, "literal", None, children
            case ast.BoolLit():
                return repr(node.value), "literal", None, children
            case ast.Paren():
                return sub(node.inner), "operation", None, children
            case ast.Ref():  # inside a quantifier, a record's field or a fact noted beside the record
                return (quantifier_code.reference(self, node, c) if self.bound else self._reference(node, c)) + (children,)
            case ast.Neg():
                return Call("_rt.neg", (sub(node.operand),)), "operation", None, children
            case ast.Not():
                return Call("_rt.not_", (sub(node.operand),)), "operation", None, children
            case ast.Arith():
                fn = {"+": "add", "-": "sub", "*": "mul", "/": "div", "^": "power"}[node.op]
                return Call(f"_rt.{fn}", (sub(node.left), sub(node.right))), "operation", None, children
            case ast.Compare():
                fn = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge", "==": "eq", "!=": "ne"}[node.op]
                return quantifier_code.comparison(self, node, c, fn, sub), "operation", None, children
            case ast.Logical():
                fn = "and_" if node.op == "and" else "or_"
                return Call(f"_rt.{fn}", (sub(node.left), Lambda(sub(node.right)))), "operation", None, children
            case ast.Member():
                element = sub(node.element)
                options = Tuple(tuple(Lambda(sub(o)) for o in node.options))
                code = Call("_rt.member", (element, options))
                if node.negated:
                    code = Call("_rt.not_", (code,))
                return code, "operation", None, children
            case ast.Tiered():
                parts = []
                for tier in node.tiers:
                    value = sub(tier.value)  # slots in source order: the value before its condition
                    condition = sub(tier.condition)
                    parts.append(Tuple((Lambda(condition), Lambda(value))))
                otherwise = sub(node.otherwise)
                return Call("_rt.tiered", (Tuple(tuple(parts)), Lambda(otherwise))), "operation", None, children
            case ast.Call():
                return self._call(node, c, record, sub) + (children,)
        return quantifier_code.generate(self, node, c, record, children) + (children,)  # (asserts it is one)

    def _facts_read(self, node) -> tuple[str, ...]:
        """Fact paths an expression reads, through definitions too, in first-use order."""
        found: list[str] = []
        definitions = self.definitions
        seen: set[str] = set()

        def visit(expr):
            for sub in ast.walk(expr):
                if isinstance(sub, ast.Ref) and sub.root in ROOTS:
                    if sub.text not in found:
                        found.append(sub.text)
                elif isinstance(sub, ast.Ref) and sub.root in definitions and sub.root not in seen:
                    seen.add(sub.root)
                    visit(definitions[sub.root].expr)

        visit(node)
        return tuple(found)

    def _reference(self, node: ast.Ref, c: str):
        if node.root in ROOTS:
            if node.root == "facility":
                return f"{c}.F.get({node.path!r}, U)", "fact", node.text
            if node.offset:
                return f"{c}.back({node.offset}).get({node.path!r}, U)", "fact", node.text
            return f"{c}.P.get({node.path!r}, U)", "fact", node.text
        return f"{c}.d({node.root!r})", "definition", node.root

    def value_range(self, node, seen: frozenset = frozenset()):
        """The values an expression can take for any facility the contract allows (runtime.Bounds),
        or None when unbounded: what an aggregate assumes of a member whose value is missing.
        Computed with the runtime's own interval arithmetic, so both agree by construction."""
        def unknown_within(child):
            bounds = self.value_range(child, seen)
            return runtime.U if bounds is None else bounds

        match node:
            case ast.Quantity():
                value = self.checked.literals[id(node)]
                return runtime.Bounds(value, value) if isinstance(value, (int, float)) else None
            case ast.Paren():
                return self.value_range(node.inner, seen)
            case ast.Ref() if node.root in ROOTS:
                fact_type = schema.lookup("facility" if node.root == "facility" else "period", node.path)
                value_range = fact_type.value_range if fact_type is not None else None
                return None if value_range is None else runtime.Bounds(*value_range)
            case ast.Ref() if node.root in self.definitions and node.root not in seen:
                return self.value_range(self.definitions[node.root].expr, seen | {node.root})
            case ast.Neg():
                result = runtime.neg(unknown_within(node.operand))
            case ast.Arith() if node.op != "^":
                operation = {"+": runtime.add, "-": runtime.sub, "*": runtime.mul, "/": runtime.div}[node.op]
                result = operation(unknown_within(node.left), unknown_within(node.right))
            case ast.Tiered():
                branches = [t.value for t in node.tiers] + [node.otherwise]
                result = runtime.first_known(*[lambda b=b: unknown_within(b) for b in branches])
            case ast.Call() if node.name == "first_known":
                result = runtime.first_known(*[lambda a=a: unknown_within(a) for a in node.args])
            case ast.Call() if node.name in ("min", "max", "abs"):  # the functions that keep bounds
                function = getattr(runtime, FUNCTIONS[node.name].runtime)
                result = function(*[unknown_within(a) for a in node.args])
            case _:
                return None
        return result if isinstance(result, runtime.Bounds) else None

    def _call(self, node: ast.Call, c: str, record: bool, sub):
        name = node.name
        function = FUNCTIONS[name]
        if function.is_aggregate:
            # evaluated once per member: no trace slots inside, the aggregate's value is recorded
            value = Lambda(self.gen(node.args[0], "m", False), "m")
            weight = Lambda(self.gen(node.by, "m", False), "m") if node.by is not None else "None"
            where = Lambda(self.gen(node.where, "m", False), "m") if node.where is not None else "None"
            value_range = self.value_range(node.args[0]) if node.args else None
            within = "None" if value_range is None else self.constant(
                value_range, f"line {node.span.line}: what a member's missing {self.text_of(node.args[0].span)} may be")
            members, everyone = (f"{c}.all_members", ("True",)) if node.including_out_of_scope else (f"{c}.members", ())
            return Call(f"_rt.{function.runtime}", (repr(name), members, value, weight, where, within, *everyone)), \
                "aggregate", None
        args = [sub(a) for a in node.args]
        if function.calling == "lazy":
            args = [Lambda(a) for a in args]
        elif function.calling == "fiscal":
            args.append(f"{c}.fiscal_start")
        return Call(f"_rt.{function.runtime}", tuple(args)), "operation", None


def compile_policy(checked: CheckedPolicy, sha256: str) -> Plan:
    constants: dict[str, object] = {}
    notes: dict[str, str] = {}  # constant name -> where it comes from, for the plan's header
    functions: list[PlanFunction] = []
    generators: dict[str, _Generator] = {}
    sources: dict[str, object] = {}  # generated function -> the expression it computes
    policy = checked.policy
    code = checked.code
    shared = _Shared(checked, constants, notes, source_lines(checked.source), {d.name: d for d in policy.definitions},
                     set(), [])

    def expr(node, name: str, origin: str) -> str | None:
        """Generate the function of one clause; its name, resolved to a CompiledExpr after exec."""
        if node is None:
            return None
        name = unique_name(name, shared.taken)
        generator = _Generator(shared, name, origin)
        body = generator.compile(node)
        functions.append(PlanFunction(name, origin, node.span.line, generator.nodes[0].text, body))
        functions.extend(shared.functions)  # its deeply nested parts, after it
        shared.functions.clear()
        generators[name], sources[name] = generator, node
        return name

    def clause(declaration, keyword: str) -> str | None:
        label = f"{declaration.kind} {declaration.name}" if declaration.name else declaration.kind
        prefix = f"{code}__{declaration.name or declaration.kind}"
        return expr(declaration.value(keyword), f"{prefix}__{keyword}", f"{label}, {keyword}")

    def blocks(declaration) -> list:
        label = f"{declaration.kind} {declaration.name}" if declaration.name else declaration.kind
        prefix = f"{code}__{declaration.name or declaration.kind}"
        return [(b, expr(b.condition, f"{prefix}__{b.keyword}", f"{label}, {b.keyword}")) for b in declaration.blocks]

    def items(declaration) -> list:
        prefix, label = f"{code}__{declaration.name}__item__", f"report {declaration.name}, item"
        return [(i, expr(i.value, prefix + i.name, f"{label} {i.name}"),
                 expr(i.condition, f"{prefix}{i.name}__when", f"{label} {i.name}, when")) for i in declaration.items]

    definitions = {d.name: expr(d.expr, f"definition__{d.name}", f"define {d.name}")
                   for d in policy.definitions if d.name in checked.definition_order}
    scope = policy.scope
    scope_expr = clause(scope, "applies") if scope else None
    scope_blocks = blocks(scope) if scope else []
    rule_parts = []
    for declaration in policy.rules:
        rule_parts.append((declaration, {
            "applies": clause(declaration, "applies"),
            "from": clause(declaration, "from"),
            "until": clause(declaration, "until"),
            "require": clause(declaration, "require"),
            "of": clause(declaration, "of"),
            "due": clause(declaration, "due"),
            "blocks": blocks(declaration),
            "items": items(declaration),
        }))

    source = plan_source(code, policy.file, constants, notes, functions)
    # the generated code names only the runtime, UNKNOWN, the trace recorder and the constants
    namespace = load(source, code, {"_rt": runtime, "U": runtime.UNKNOWN, "_r": _record, **constants})
    constant = Constancy(shared.definitions)  # reads no fact: computed once per run (evaluator/constancy.py)
    compiled = {name: CompiledExpr(namespace[name], tuple(g.nodes), constant=constant(sources[name]))
                for name, g in generators.items()}

    def get(name):
        return compiled[name] if name is not None else None

    def block(b: ast.Block, name) -> CompiledBlock:
        return CompiledBlock(b.keyword, get(name), b.text("cite"), b.text("because"), b.text("quote"))

    definition_exprs = {name: get(n) for name, n in definitions.items()}
    period_readers: dict[str, bool] = {}

    def reads_period(compiled: CompiledExpr | None) -> bool:
        """Whether an expression depends on a reporting period's figures (directly, via definitions or aggregates)."""
        if compiled is None:
            return False
        for info in compiled.nodes:
            if info.kind == "aggregate" or (info.kind == "fact" and info.path.startswith("period")):
                return True
            if info.kind == "definition":
                if info.path not in period_readers:
                    period_readers[info.path] = False  # definitions are acyclic (checked); guards re-entry
                    period_readers[info.path] = reads_period(definition_exprs[info.path])
                if period_readers[info.path]:
                    return True
        return False

    rules = []
    for declaration, parts in rule_parts:
        severity = declaration.value("severity") or ("informational" if declaration.kind == "band" else "mandatory")
        compiled_rule = CompiledRule(
            rule_id=f"{checked.code}.{declaration.name}",
            name=declaration.name,
            kind=declaration.kind,
            title=declaration.title,
            citation=declaration.value("cite"),
            quotes=tuple(c.value for c in declaration.clauses if c.keyword == "quote"),
            notes=tuple(c.value for c in declaration.clauses if c.keyword == "note"),
            severity=severity,
            legal_status=declaration.value("legal-status") or (
                "proposed" if policy.header.legal_status == "proposed" else None),
            for_operator=declaration.value("for") == "operator",
            applies=get(parts["applies"]),
            in_force_from=get(parts["from"]),
            until=get(parts["until"]),
            require=get(parts["require"]),
            subject=get(parts["of"]),
            due=get(parts["due"]),
            blocks=tuple(block(b, n) for b, n in parts["blocks"]),
            levels=checked.bands.get(declaration.name, ()),
            items=tuple(CompiledItem(i.name, i.title, i.public, get(v), get(w)) for i, v, w in parts["items"]),
            span=declaration.span,
            reads_period=any(reads_period(get(x)) for x in (parts["require"], parts["of"], parts["applies"], *(
                n for b, n in parts["blocks"] if b.keyword == "exclude"), *(e for i in parts["items"] for e in i[1:]))),
        )
        rules.append(compiled_rule)

    header = policy.header
    return Plan(
        code=header.code,
        name=header.name,
        law=header.law,
        source_url=header.source,
        territory=header.territory,
        legal_status=header.legal_status,
        calendar=header.calendar.kind if header.calendar else "calendar-year",
        fiscal_start=checked.fiscal_start,
        scope_title=scope.title if scope else None,
        scope_citation=scope.value("cite") if scope else None,
        scope=get(scope_expr),
        scope_blocks=tuple(block(b, n) for b, n in scope_blocks),
        definitions=definition_exprs,
        rules=tuple(rules),
        file=policy.file,
        sha256=sha256,
        source=source,
    )

