"""`policy inspect --stage ast|checked|plan FILE`: print what one stage makes of a policy file.

``ast`` is the parser's tree (frozen attrs nodes, each with its position as file:line:col); ``checked``
is the same tree with the checker's type of every expression, the canonical value of every literal and
the order in which definitions are evaluated; ``plan`` is the Python source the compiler generates,
exactly as it is compiled. A stage that fails prints its diagnostics instead, like `policy check`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import attrs

from ..dsl import ast
from ..dsl.diagnostics import DiagnosticError, render
from ..dsl.formatter import format_expr

STAGES = ("ast", "checked", "plan")
EXIT_OK, EXIT_USAGE, EXIT_INVALID_POLICY = 0, 2, 3
_WIDTH = 100  # a tuple of plain values longer than this is listed one item per line
_EXPRESSIONS = tuple(t for t in ast.Expr.__args__)  # the node classes whose type the checker records


def run(args) -> int:
    from ..dsl.loader import policy_files

    try:
        files = policy_files([args.file])
    except DiagnosticError as err:
        print(err.render(), file=sys.stderr)
        return EXIT_USAGE
    if len(files) != 1 or Path(args.file).is_dir():
        print(f"policy inspect: give one .policy file, not the folder {args.file}", file=sys.stderr)
        return EXIT_USAGE
    try:
        text = _stage(args.stage, files[0], args.file)
    except DiagnosticError as err:
        print(err.render(), file=sys.stderr)
        return EXIT_INVALID_POLICY
    sys.stdout.write(text)
    return EXIT_OK


def _stage(stage: str, path: Path, display: str) -> str:
    from ..dsl.loader import load_policy
    from ..dsl.parser import parse_file

    if stage == "ast":
        policy, _ = parse_file(str(path), display)
        return "\n".join(dump(policy)) + "\n"
    checked = load_policy(path, display)
    for warning in checked.warnings:  # on stderr, so that stdout is only the stage's output
        print(render(warning, checked.source), file=sys.stderr)
    if stage == "checked":
        return checked_dump(checked)
    import hashlib

    from ..evaluator.compiler import compile_policy

    return compile_policy(checked, hashlib.sha256(path.read_bytes()).hexdigest()).source


def checked_dump(checked) -> str:
    """The checked policy: what the checker worked out, then the tree with every expression's type."""
    month, day = checked.fiscal_start
    lines = [f"# checked policy {checked.code} ({checked.policy.file})",
             f"# fiscal year starts {month:02d}-{day:02d}; {len(checked.warnings)} warning(s)",
             "# definitions in evaluation order (dependencies first):"]
    for number, name in enumerate(checked.definition_order, start=1):
        reads = "  (reads one facility's facts)" if checked.definition_facts.get(name) else ""
        lines.append(f"#   {number}. {name}{reads}")
    declarations = {d.name: d for d in checked.policy.declarations}
    for name, levels in checked.bands.items():
        subject = declarations[name].value("of")
        kind = checked.types.get(id(subject))
        unit = kind.dimension.canonical_unit if kind is not None and not kind.dimension.is_dimensionless else ""
        lines.append(f"# band {name}, levels of {format_expr(subject)}:")
        lines += [f'#   "{level.label}": {level.describe("x", unit)}' for level in levels]
    lines += dump(checked.policy, checked)
    return "\n".join(lines) + "\n"


def dump(node, checked=None, indent: int = 0, label: str = "") -> list[str]:
    """An attrs node as indented lines: its class and position, then one line per field.

    Positions (spans) are shown as file:line:col on the node's own line rather than as fields; with a
    checked policy, each expression also shows its type (``:: …``) and each literal its canonical value.
    """
    pad = " " * indent
    head = f"{pad}{label}{type(node).__name__}"
    span = getattr(node, "span", None)
    if span is not None:
        head += f"  {span.file}:{span.line}:{span.column}"
    if checked is not None and isinstance(node, _EXPRESSIONS):
        head += _annotation(node, checked)
    lines = [head]
    for field in attrs.fields(type(node)):
        if field.name in ("span", "name_span") or not field.repr:
            continue
        lines += _field(field.name, getattr(node, field.name), checked, indent + 2)
    return lines


def _field(name: str, value, checked, indent: int) -> list[str]:
    pad = " " * indent
    if attrs.has(type(value)):
        return dump(value, checked, indent, f"{name}: ")
    inline = f"{pad}{name}: {value!r}"
    if isinstance(value, tuple) and value and (len(inline) > _WIDTH or any(attrs.has(type(i)) for i in value)):
        lines = [f"{pad}{name}:"]
        for item in value:
            lines += dump(item, checked, indent + 2, "- ") if attrs.has(type(item)) else [f"{pad}  - {item!r}"]
        return lines
    return [inline]


def _annotation(expr, checked) -> str:
    kind = checked.types.get(id(expr))
    if kind is None:  # not reached by the checker (e.g. a band bound that is a plain number)
        return ""
    text = f"  :: {kind.kind}"
    if kind.kind == "number":
        dimension = kind.dimension
        text += " (plain)" if dimension.is_dimensionless else f" ({dimension.name}, {dimension.canonical_unit})"
    if kind.values:
        text += " {" + ", ".join(kind.values) + "}"
    if id(expr) in checked.literals:
        text += f" = {checked.literals[id(expr)]!r}"
    return text
