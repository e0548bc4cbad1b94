"""The policy formatter: canonical layout, minimal parentheses, comments kept.

``format_policy(policy, source)`` prints a parsed policy in the canonical layout:

* the header's clauses indented 2, keywords aligned, in the order law, source,
  territory, legal-status, calendar, notes;
* declarations separated by one blank line (consecutive definitions stay together unless
  the source separated them with a blank line);
* clauses indented 2 with aligned keywords, the clauses of an exempt/exclude block indented 4;
* expressions with the fewest parentheses the precedence allows
  (or < and < not < comparison/in < + - < * / < ^ < unary -); parentheses the author wrote
  are ``Paren`` nodes and are kept; past WIDTH characters, broken before top-level and/or and
  between tiers (``layout_expr``);
* blank lines the author left (between elements, inside comment blocks) kept, one at most.

Comments are not in the AST; they are recovered from the source text (a ``#`` outside a
double-quoted text starts one). A comment on a line of its own is printed before the
element (header line, header clause, definition, declaration, clause, block, level or item)
that follows it in the source; a comment after code is printed at the end of the line of the
element that code belongs to. Formatting is idempotent and ``parse(format(p)) == p``.
"""

from __future__ import annotations

import bisect

import attrs

from .data import frozen
from . import ast
from .builtins import CLAUSES

__all__ = ["format_policy", "format_expr", "quote"]

# ---------------------------------------------------------------- expressions
_OR, _AND, _NOT, _CMP, _ADD, _MUL, _POW, _NEG, _ATOM = range(1, 10)
_QUANTIFIER = 0  # `every … : body` runs to the end of the expression: inside anything else it needs parentheses
_ARITH_PREC = {"+": _ADD, "-": _ADD, "*": _MUL, "/": _MUL, "^": _POW}


def quote(text: str) -> str:
    """A text as a double-quoted string literal that the parser reads back unchanged."""
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t"))
    return f'"{escaped}"'


def _precedence(expr) -> int:
    match expr:
        case ast.Quantifier():
            return _QUANTIFIER
        case ast.Logical(op="or"):
            return _OR
        case ast.Logical():
            return _AND
        case ast.Not():
            return _NOT
        case ast.Compare() | ast.Member():
            return _CMP
        case ast.Arith(op=op):
            return _ARITH_PREC[op]
        case ast.Neg():
            return _NEG
    return _ATOM


def format_expr(expr, minimum: int = 0) -> str:
    """Print an expression; wrap it in parentheses if it binds looser than ``minimum``."""
    text = _expr(expr)
    return f"({text})" if _precedence(expr) < minimum else text


def _expr(expr) -> str:
    match expr:
        case ast.Logical(op=op, left=left, right=right):
            level = _precedence(expr)
            return f"{format_expr(left, level)} {op} {format_expr(right, level + 1)}"
        case ast.Not(operand=operand):
            return f"not {format_expr(operand, _NOT)}"
        case ast.Compare(op=op, left=left, right=right):
            return f"{format_expr(left, _ADD)} {op} {format_expr(right, _ADD)}"
        case ast.Member(element=element, options=options, negated=negated):
            listed = ", ".join(format_expr(o) for o in options)
            return f"{format_expr(element, _ADD)} {'not in' if negated else 'in'} {{{listed}}}"
        case ast.Arith(op="^", left=left, right=right):
            return f"{format_expr(left, _NEG)} ^ {format_expr(right, _POW)}"
        case ast.Arith(op=op, left=left, right=right):
            level = _ARITH_PREC[op]
            return f"{format_expr(left, level)} {op} {format_expr(right, level + 1)}"
        case ast.Neg(operand=operand):
            return "-" + format_expr(operand, _NEG)
        case ast.Paren(inner=inner):
            return f"({format_expr(inner)})"
        case ast.Tiered(tiers=tiers, otherwise=otherwise):
            parts = [f"{format_expr(t.value)} when {format_expr(t.condition)}" for t in tiers]
            parts.append(f"{format_expr(otherwise)} otherwise")
            return "(" + ", ".join(parts) + ")"
        case ast.Call(name=name, args=args, by=by, where=where, including_out_of_scope=everyone):
            inner = ", ".join(format_expr(a) for a in args)
            if by is not None:
                inner += f" by {format_expr(by)}"
            if where is not None:
                inner += f" where {format_expr(where)}"
            if everyone:
                inner += " including out-of-scope"
            return f"{name}({inner})"
        case ast.Ref(parts=parts, offset=offset):
            head = parts[0] + (f"[-{offset}]" if offset is not None else "")
            return ".".join((head,) + tuple(parts[1:]))
        case ast.Quantity(text=text, unit=unit):
            return text if unit is None else f"{text} {unit}"
        case ast.Quantifier(kind=kind, name=name, records=records, where=where, body=body):
            where_text = f" where {format_expr(where, _OR)}" if where is not None else ""
            return f"{kind} {name} in {_expr(records)}{where_text}: {format_expr(body)}"
        case ast.DateLit(text=text):
            return text
        case ast.StringLit(value=value):
            return quote(value)
        case ast.BoolLit(value=value):
            return "true" if value else "false"
    raise TypeError(f"cannot format {expr!r}")


# ---------------------------------------------------------------- long expressions
WIDTH = 100  # lines longer than this are broken at top-level and/or and between tiers


def _chain(expr, op: str) -> list:
    """The operands of a left-nested chain of one logical operator: a and b and c → [a, b, c]."""
    if isinstance(expr, ast.Logical) and expr.op == op:
        return _chain(expr.left, op) + [expr.right]
    return [expr]


def layout_expr(expr, column: int, minimum: int = 0) -> str:
    """``format_expr`` broken over lines when it would run past WIDTH.

    ``column`` is where the expression starts; continuation lines are padded to line up under it
    (``and`` / ``or`` under the first operand, each tier under the first tier).
    """
    flat = format_expr(expr, minimum)
    if column + len(flat) <= WIDTH:
        return flat
    if _precedence(expr) < minimum:
        return "(" + layout_expr(expr, column + 1) + ")"
    match expr:
        case ast.Logical(op=op):
            level = _precedence(expr)
            operands = _chain(expr, op)
            first = layout_expr(operands[0], column, level)
            rest = [f"{op} " + layout_expr(o, column + len(op) + 1, level + 1) for o in operands[1:]]
            return ("\n" + " " * column).join([first, *rest])
        case ast.Paren(inner=inner):
            return "(" + layout_expr(inner, column + 1) + ")"
        case ast.Tiered(tiers=tiers, otherwise=otherwise):
            parts = []
            for tier in tiers:  # a value that is itself long (a tiered value in a tier) is broken too
                value, condition = layout_expr(tier.value, column + 1), layout_expr(tier.condition, column + 1)
                if column + 1 + len(f"{value} when {condition}") > WIDTH and "\n" not in value + condition:
                    condition = "\n" + " " * (column + 1) + "when " + layout_expr(tier.condition, column + 6)
                    parts.append(value + condition)  # a long flat value: its condition on the next line
                    continue
                parts.append(f"{value} when {condition}")
            parts.append(f"{layout_expr(otherwise, column + 1)} otherwise")
            return "(" + (",\n" + " " * (column + 1)).join(parts) + ")"
        case ast.Not(operand=operand):
            return "not " + layout_expr(operand, column + 4, _NOT)
        case ast.Compare(op=op, left=left, right=right):
            head = f"{format_expr(left, _ADD)} {op} "
            return head + layout_expr(right, column + len(head), _ADD)
        case ast.Quantifier(kind=kind, name=name, records=records, where=where, body=body):
            head = f"{kind} {name} in {_expr(records)}"  # the body on a line of its own, indented 2 more
            if where is not None:
                head += " where " + layout_expr(where, column + len(head) + 7, _OR)
            return f"{head}:\n{' ' * (column + 2)}{layout_expr(body, column + 2)}"
    return flat


def _last_line_length(text: str) -> int:
    return len(text.rsplit("\n", 1)[-1])


# ---------------------------------------------------------------- comments
def _lines(source: str) -> list[str]:
    """Source lines as the parser counts them: only "\\n" ends a line."""
    return [line.rstrip("\r") for line in source.split("\n")]


@frozen
class Comment:
    line: int
    text: str  # from "#" to the end of the line, trailing blanks removed
    own_line: bool  # nothing but blanks before it on its line


def comments(source: str) -> list[Comment]:
    """Every comment in the source: a # outside a double-quoted text runs to the end of the line."""
    found = []
    for number, line in enumerate(_lines(source), start=1):
        in_string = escaped = False
        for index, char in enumerate(line):
            if in_string:
                if escaped:
                    escaped = False
                elif char == "\\":
                    escaped = True
                elif char == '"':
                    in_string = False
            elif char == '"':
                in_string = True
            elif char == "#":
                found.append(Comment(number, line[index:].rstrip(), not line[:index].strip()))
                break
    return found


# ---------------------------------------------------------------- layout
@attrs.define
class _Line:
    text: str
    indent: int
    anchor: tuple[int, int]  # source line and column at which the element starts
    blank_before: bool = False
    before: list[tuple[str, int]] = attrs.Factory(list)  # own-line comments and their source lines
    after: list[str] = attrs.Factory(list)


def _clause_value(clause: ast.Clause, column: int) -> str:
    if isinstance(clause.value, str):
        if CLAUSES[clause.keyword].value == "word":  # a bare word: severity, legal-status, for
            return clause.value
        return quote(clause.value)
    return layout_expr(clause.value, column)


def _bound(bound: ast.Bound) -> str:
    if bound.value is None:
        return "-inf" if bound.negative_infinity else "inf"
    return format_expr(bound.value, _ADD)


def _header(header: ast.Header) -> list[_Line]:
    start = (header.span.line, header.span.column)
    out = [_Line(f"jurisdiction {header.code} {quote(header.name)}", 0, start)]
    clauses: list[tuple[str, str]] = []
    if header.law is not None:
        clauses.append(("law", quote(header.law)))
    if header.source is not None:
        clauses.append(("source", quote(header.source)))
    if header.territory is not None:
        clauses.append(("territory", quote(header.territory)))
    if header.legal_status is not None:
        clauses.append(("legal-status", header.legal_status))
    if header.calendar is not None:
        calendar = header.calendar
        value = "calendar-year" if calendar.kind == "calendar-year" else f"fiscal-year from {calendar.start}"
        clauses.append(("calendar", value))
    clauses.extend(("note", quote(note)) for note in header.notes)
    width = max((len(k) for k, _ in clauses), default=0)
    seen: dict[str, int] = {}
    for keyword, value in clauses:
        index = seen.get(keyword, 0)
        seen[keyword] = index + 1
        written = header.clause_spans(keyword)  # none for a header built in code rather than parsed
        anchor = _at(written[index]) if index < len(written) else start
        out.append(_Line(f"{keyword.ljust(width)} {value}", 2, anchor))
    return out


def _at(span) -> tuple[int, int]:
    return (span.line, span.column)


def _definition(definition: ast.Definition) -> _Line:
    head = f"define {definition.name} = "
    text = head + layout_expr(definition.expr, len(head))
    if definition.doc is not None:
        doc = quote(definition.doc)
        fits = "\n" not in text and _last_line_length(text) + 2 + len(doc) <= WIDTH
        text += f"  {doc}" if fits else f"\n  {doc}"
    return _Line(text, 0, _at(definition.span))


def _declaration(declaration: ast.Declaration) -> list[_Line]:
    name = f" {declaration.name}" if declaration.name is not None else ""
    out = [_Line(f"{declaration.kind}{name} {quote(declaration.title)}", 0, _at(declaration.span))]
    keywords = [c.keyword for c in declaration.clauses] + [b.keyword for b in declaration.blocks]
    keywords += ["level"] * bool(declaration.levels) + ["item"] * bool(declaration.items)
    width = max((len(k) for k in keywords), default=0)
    column = 2 + width + 1  # where clause values start, counted from the start of the line
    for clause in declaration.clauses:
        value = _clause_value(clause, column)
        out.append(_Line(f"{clause.keyword.ljust(width)} {_dedent(value, 2)}", 2, _at(clause.span)))
    for block in declaration.blocks:
        condition = layout_expr(block.condition, column)
        out.append(_Line(f"{block.keyword.ljust(width)} {_dedent(condition, 2)}", 2, _at(block.span)))
        inner = max((len(c.keyword) for c in block.clauses), default=0)
        for clause in block.clauses:
            out.append(_Line(f"{clause.keyword.ljust(inner)} {quote(clause.value)}", 4, _at(clause.span)))
    label_width = max((len(quote(level.label)) for level in declaration.levels), default=0)
    for level in declaration.levels:
        opening = "[" if level.low.inclusive else "("
        closing = "]" if level.high.inclusive else ")"
        interval = f"{opening}{_bound(level.low)}, {_bound(level.high)}{closing}"
        out.append(_Line(f"{'level'.ljust(width)} {quote(level.label).ljust(label_width)} {interval}", 2,
                         _at(level.span)))
    name_width = max((len(item.name) for item in declaration.items), default=0)
    for item in declaration.items:
        text = (f"{'item'.ljust(width)} {item.name.ljust(name_width)} {quote(item.title)} "
                f"{'public' if item.public else 'non-public'} {format_expr(item.value)}")
        if item.condition is not None:
            text += f" when {format_expr(item.condition)}"
        out.append(_Line(text, 2, _at(item.span)))
    return out


def _dedent(text: str, indent: int) -> str:
    """Continuation lines are laid out from the start of the line; the element's indent is added later."""
    first, *rest = text.split("\n")
    return "\n".join([first, *(line[indent:] for line in rest)])


def _blank_between(source_lines: list[str], after_line: int, before_line: int) -> bool:
    return any(not source_lines[n - 1].strip() for n in range(after_line + 1, min(before_line, len(source_lines) + 1)))


def format_policy(policy: ast.Policy, source: str) -> str:
    """The policy in canonical layout, with the comments of ``source`` kept."""
    source_lines = _lines(source)
    lines = _header(policy.header)
    top = sorted(list(policy.definitions) + list(policy.declarations),
                 key=lambda node: (node.span.line, node.span.column))
    previous = None
    for node in top:
        if isinstance(node, ast.Definition):
            line = _definition(node)
            line.blank_before = not isinstance(previous, ast.Definition) or _blank_between(
                source_lines, previous.span.end_line, node.span.line)
            lines.append(line)
        else:
            group = _declaration(node)
            group[0].blank_before = True
            lines.extend(group)
        previous = node

    # attach each comment to an element: own-line comments to the next element in the source,
    # trailing comments to the element whose code ends that line
    by_anchor = sorted(range(len(lines)), key=lambda i: (lines[i].anchor, i))
    anchors = [lines[i].anchor for i in by_anchor]
    trailing_file: list[str] = []
    for comment in comments(source):
        if comment.own_line:
            position = bisect.bisect_right(anchors, (comment.line, float("inf")))
            if position == len(anchors):
                trailing_file.append(comment.text)
            else:
                first = anchors[position]
                target = min(i for i in by_anchor if lines[i].anchor == first)
                lines[target].before.append((comment.text, comment.line))
        else:
            position = bisect.bisect_right(anchors, (comment.line, float("inf")))
            if position == 0:
                lines[0].before.append((comment.text, comment.line))
            else:
                last = anchors[position - 1]
                target = max(i for i in by_anchor if lines[i].anchor == last)
                lines[target].after.append(comment.text)

    def blank_above(source_line: int) -> bool:
        return source_line >= 2 and not source_lines[source_line - 2].strip()

    out: list[str] = []

    def separate() -> None:
        if out and out[-1] != "":
            out.append("")

    for line in lines:
        if line.blank_before:
            separate()
        pad = " " * line.indent
        for text, source_line in line.before:
            if blank_above(source_line):
                separate()
            out.append(pad + text)
        if blank_above(line.anchor[0]):
            separate()
        first, *continued = line.text.split("\n")
        printed = [pad + first] + [pad + text for text in continued]
        if line.after:
            printed[-1] += "  " + " ".join(line.after)
        out.extend(text.rstrip() for text in printed)
    if trailing_file:
        out.append("")
        out.extend(trailing_file)
    return "\n".join(out) + "\n"
