"""One catalogue of diagnostics with stable codes, and their rendering.

Rendered form (like a compiler's)::

    de.policy:12:17: E101 expected a comparison such as "<=" after "pue"
       12 |   require pue 1.3
          |                 ^^^
       hint: write the operator between the two values, e.g. "pue <= 1.3"

Codes never change meaning once released; docs/errors.md documents each with an
example and its fix. E1xx syntax, E2xx names, E3xx types and units, E4xx dates,
E5xx structure, W6xx warnings, F1xx facility input, F2xx facility values.
"""

from __future__ import annotations

import attrs


@attrs.frozen
class Span:
    file: str
    line: int
    column: int
    end_line: int
    end_column: int  # exclusive

    @classmethod
    def point(cls, file: str, line: int, column: int, width: int = 1) -> "Span":
        return cls(file, line, column, line, column + max(width, 1))

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


CATALOGUE: dict[str, str] = {
    # syntax
    "E101": "unexpected token: the parser expected something else here",
    "E102": "unexpected character: this character is not part of the language",
    "E103": "unexpected end of file: a declaration is unfinished",
    "E104": "unterminated string",
    "E105": "invalid date literal",
    # names
    "E201": "unknown name",
    "E202": "unknown facility or period field",
    "E203": "unknown function or wrong number of arguments",
    "E204": "unknown enumeration value",
    "E205": "unknown unit",
    "E206": "facility or period facts used outside a facility context",
    # types and units
    "E301": "type mismatch",
    "E302": "dimension mismatch: quantities of different dimensions combined or compared",
    "E303": "condition is not true/false",
    "E304": "tiered value branches disagree in type",
    "E305": "aggregate used where it is not allowed",
    # dates
    "E401": "impossible date",
    "E402": "date arithmetic with a non-duration",
    "E403": "invalid fiscal-year start",
    # structure
    "E501": "duplicate rule id",
    "E502": "duplicate definition",
    "E503": "cycle among definitions",
    "E504": "rule without a citation",
    "E505": "band levels leave a gap",
    "E506": "band levels overlap",
    "E507": "missing jurisdiction header",
    "E508": "duplicate or conflicting clause",
    "E509": "rule without a requirement",
    "E510": "invalid band interval",
    "E511": "duplicate report item",
    # warnings
    "W601": "unused definition",
    "W602": "rule without a severity (mandatory assumed)",
    "W603": "a share compared with a number above 1 (a percentage without %)",
    # facility input
    "F101": "file cannot be read",
    "F102": "YAML syntax error",
    "F103": "unsupported format version",
    "F104": "not a facility or portfolio",
    "F105": "duplicate key",
    "F106": "unknown key",
    "F107": "required field missing",
    "F108": "duplicate facility id",
    "F201": "quantity without a unit",
    "F202": "quantity of the wrong dimension",
    "F203": "unknown unit",
    "F204": "invalid date",
    "F205": "invalid value for the field's type",
    "F206": "invariant violated",
    "F207": "periods overlap",
    "F208": "invalid period label",
    "F209": "ratio outside [0, 1]",
}


@attrs.frozen
class Diagnostic:
    code: str
    message: str
    span: Span | None = None
    hint: str | None = None

    @property
    def severity(self) -> str:
        return "warning" if self.code.startswith("W") else "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def headline(self) -> str:
        where = f"{self.span}: " if self.span else ""
        return f"{where}{self.code} {self.message}"

    def to_json(self) -> dict:
        out: dict = {"code": self.code, "severity": self.severity, "message": self.message}
        if self.span:
            out.update(
                file=self.span.file,
                line=self.span.line,
                column=self.span.column,
                end_line=self.span.end_line,
                end_column=self.span.end_column,
            )
        if self.hint:
            out["hint"] = self.hint
        return out


def render(diagnostic: Diagnostic, source: str | None = None) -> str:
    """The headline, the source line with a caret under the span, and the hint."""
    lines = [diagnostic.headline()]
    span = diagnostic.span
    if span and source is not None:
        source_lines = source.splitlines()
        if 1 <= span.line <= len(source_lines):
            text = source_lines[span.line - 1].expandtabs(1)
            gutter = f"{span.line:>5} | "
            lines.append(gutter + text)
            end = span.end_column if span.end_line == span.line else len(text) + 1
            width = max(1, end - span.column)
            lines.append(" " * (len(gutter) - 2) + "| " + " " * (span.column - 1) + "^" * width)
    if diagnostic.hint:
        lines.append(f"  hint: {diagnostic.hint}")
    return "\n".join(lines)


class DiagnosticError(Exception):
    """Raised by a stage that cannot continue; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic], sources: dict[str, str] | None = None):
        super().__init__("; ".join(d.headline() for d in diagnostics))
        self.diagnostics = diagnostics
        self.sources = sources or {}

    def render(self) -> str:
        return "\n".join(render(d, self.sources.get(d.span.file) if d.span else None) for d in self.diagnostics)
