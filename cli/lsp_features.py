"""What the language server knows about a policy text, as plain data: diagnostics, hover, completion, definitions.

No LSP types here (cli/lsp.py turns these into lsprotocol objects), so each feature is tested directly.
Positions are LSP's: 0-based line and character. Diagnostics are `policy check`'s own (same codes, same
spans); the vocabulary comes from dsl/builtins.py and the facts from dsl/schema.py.
"""

from __future__ import annotations

import re

from ..dsl.data import frozen
from ..dsl import builtins, schema

_FACT = re.compile(r"(?:facility|period(?:\[-\d+\])?)(?:\.[A-Za-z_][A-Za-z0-9_]*)+")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_DEFINE = re.compile(r"^\s*define\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$")
_PARTIAL_FACT = re.compile(r"(facility|period(?:\[-\d+\])?)\.((?:[A-Za-z_][A-Za-z0-9_]*\.)*)([A-Za-z0-9_]*)$")


@frozen
class Range:
    line: int
    character: int
    end_line: int
    end_character: int


@frozen
class Problem:
    range: Range
    severity: str  # error | warning
    code: str
    message: str


@frozen
class DefinitionSite:
    name: str
    range: Range  # the whole `define` line(s)
    text: str  # the expression as written
    doc: str | None


@frozen
class Completion:
    label: str
    kind: str  # fact | keyword | definition | function
    detail: str = ""


def span_range(span) -> Range:
    end_character = span.end_column - 1 if span.end_column > span.column or span.end_line > span.line else span.column
    return Range(span.line - 1, span.column - 1, span.end_line - 1, end_character)


def diagnostics(text: str, file: str) -> list[Problem]:
    """`policy check` on the text: every error and warning with its code and span."""
    from ..dsl.checker import check
    from ..dsl.diagnostics import DiagnosticError
    from ..dsl.parser import parse

    try:
        found = list(check(parse(text, file), text).warnings)
    except DiagnosticError as err:
        found = list(err.diagnostics)
    problems = []
    for diagnostic in found:
        where = span_range(diagnostic.span) if diagnostic.span else Range(0, 0, 0, 1)
        message = diagnostic.message + (f"\nhint: {diagnostic.hint}" if diagnostic.hint else "")
        problems.append(Problem(where, diagnostic.severity, diagnostic.code, message))
    return problems


def definitions(text: str) -> dict[str, DefinitionSite]:
    """The text's definitions: from its AST when it parses, else from its `define` lines (while typing)."""
    from ..dsl.diagnostics import DiagnosticError
    from ..dsl.formatter import format_expr
    from ..dsl.parser import parse

    try:
        policy = parse(text, "<buffer>")
    except DiagnosticError:
        found = {}
        for number, line in enumerate(text.splitlines()):
            match = _DEFINE.match(line)
            if match:
                found[match[1]] = DefinitionSite(match[1], Range(number, 0, number, len(line)), match[2].strip(), None)
        return found
    return {d.name: DefinitionSite(d.name, span_range(d.span), format_expr(d.expr), d.doc) for d in policy.definitions}


def _token_at(line_text: str, character: int, pattern: re.Pattern) -> str | None:
    for match in pattern.finditer(line_text):
        if match.start() <= character <= match.end():
            return match.group(0)
    return None


def _line(text: str, line: int) -> str:
    lines = text.splitlines()
    return lines[line] if 0 <= line < len(lines) else ""


def fact_help(path: str) -> str | None:
    """Markdown for a fact path: its type and unit, and what the facility contract says it means."""
    root, _, key = re.sub(r"^period\[-\d+\]", "period", path).partition(".")
    fact_type = schema.lookup(root, key)
    if fact_type is None:
        close = schema.suggest(root, key)
        return f"`{path}`: not a fact of the facility input" + (f"; did you mean `{root}.{close}`?" if close else "")
    lines = [f"**{path}** — {fact_type.describe}"]
    if fact_type.kind == "quantity":
        lines.append(f"canonical unit: {fact_type.dimension.canonical_unit}")
    if fact_type.meaning:
        lines.append(fact_type.meaning)
    if fact_type.default is not None:
        lines.append(f"when absent: {str(fact_type.default).lower()}")
    if fact_type.added:
        lines.append("(project addition to the facility contract, docs/facility.md)")
    return "\n\n".join(lines)


def hover(text: str, line: int, character: int) -> str | None:
    """Markdown for what is under the cursor: a fact, a definition, a function or a clause keyword."""
    line_text = _line(text, line)
    fact = _token_at(line_text, character, _FACT)
    if fact:
        return fact_help(fact)
    word = _token_at(line_text, character, _WORD)
    if not word:
        return None
    site = definitions(text).get(word)
    if site is not None:
        doc = f"\n\n{site.doc}" if site.doc else ""
        return f"```policy\ndefine {site.name} = {site.text}\n```{doc}"
    function = builtins.FUNCTIONS.get(word)
    if function is not None:
        low, high = function.arity
        arguments = f"{low}" if low == high else f"{low} to {high}"
        kind = "aggregate over the operator's facilities" if function.is_aggregate else "function"
        return f"**{word}** — built-in {kind}, {arguments} argument{'s' * (high != 1)} ({', '.join(function.params)})"
    clause = builtins.CLAUSES.get(word)
    if clause is not None:
        expects = f", must be {clause.expects}" if clause.expects else ""
        return f"**{word}** — clause of {', '.join(clause.declarations)}; value: {clause.value}{expects}"
    return None


def definition_at(text: str, line: int, character: int) -> DefinitionSite | None:
    """Go to definition: the `define` of the name under the cursor."""
    word = _token_at(_line(text, line), character, _WORD)
    return definitions(text).get(word) if word else None


def completions(text: str, line: int, character: int) -> list[Completion]:
    """Fact paths after `facility.` or `period.`; otherwise keywords, definitions and functions."""
    before = _line(text, line)[:character]
    partial = _PARTIAL_FACT.search(before)
    if partial:
        root = "period" if partial[1].startswith("period") else "facility"
        typed = partial[2] + partial[3]
        table = schema.FACILITY_FIELDS if root == "facility" else {**schema.PERIOD_FIELDS, **schema.PERIOD_INTRINSICS}
        return [Completion(key[len(partial[2]):], "fact", table[key].describe)
                for key in sorted(table) if key.startswith(typed)]
    items = [Completion(word, "keyword") for word in sorted(builtins.KEYWORDS)]
    items += [Completion(root, "keyword", "where facts are read") for root in builtins.ROOTS]
    items += [Completion(name, "definition", site.text) for name, site in definitions(text).items()]
    items += [Completion(name, "function") for name in builtins.FUNCTIONS]
    items += [Completion(word, "keyword") for word in builtins.SEVERITIES + builtins.RULE_TARGETS
              if word not in builtins.KEYWORDS and word not in builtins.ROOTS]
    word = _WORD.search(before[::-1])
    typed = word.group(0)[::-1] if word and word.start() == 0 else ""
    return [item for item in items if item.label.startswith(typed)]
