"""The diagnostic record, its rendering, and the base classes that word every code.

Rendered form (like a compiler's)::

    de.policy:12:17: E101 expected a comparison such as "<=" after "pue"
       12 |   require pue 1.3
          |                 ^^^
       hint: write the operator between the two values, e.g. "pue <= 1.3"

Every code is a ``Message`` subclass in dsl/messages.py (policies) or
dsl/facility_messages.py (facility input): its severity, its catalogue title and the
words of its messages. Codes never change meaning once released; docs/errors.md and
docs/facility.md document each with an example and its fix. E1xx syntax, E2xx names,
E3xx types and units, E4xx dates, E5xx structure, W6xx warnings, F1xx facility input,
F2xx facility values.
"""

from __future__ import annotations

import functools
import re
import string
from typing import ClassVar

import attrs

from .data import frozen


@frozen
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


@frozen
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


def source_lines(text: str) -> list[str]:
    """The lines of a source as the parser and editors count them: a line ends at a line feed (with the
    carriage return before it, if any). Unlike str.splitlines, a form feed, vertical tab, U+2028 or U+0085
    does not end a line, so every span points at the same line in the file, the parser and the traces."""
    return [line[:-1] if line.endswith("\r") else line for line in text.split("\n")] if text else [""]


def utf8_error_position(raw: bytes, exc: UnicodeDecodeError) -> tuple[int, int]:
    """The line and column (in characters, as an editor counts them) of the first byte that is not UTF-8."""
    line_start = raw.rfind(b"\n", 0, exc.start) + 1
    line = raw.count(b"\n", 0, exc.start) + 1
    return line, len(raw[line_start:exc.start].decode("utf-8", errors="replace")) + 1


SHOWN_COLUMNS = 240  # of a source line under a message
EXCERPT = 60  # characters of a value quoted inside a message


def visible(text: str) -> str:
    """Text with every control character (C0, DEL, C1; line breaks too) shown as an escape such as \\x1b,
    so that words from an input file can neither act on a terminal nor start a line of their own."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else _escape(c) for c in text)


def _escape(c: str) -> str:
    code = ord(c)
    if code <= 0xFF:
        return {"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(c, f"\\x{code:02x}")
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """A value quoted inside a message: its first line, cut to `limit` characters, controls escaped. A
    file that is not a valid input is never quoted whole (issue 12: a portfolio listing /etc/passwd)."""
    first, newline, _ = text.partition("\n")
    cut = len(first) > limit or bool(newline)
    return visible(first[:limit]) + (" …" if cut else "")


@functools.lru_cache(maxsize=4)
def _cached_lines(source: str) -> tuple[str, ...]:
    """The lines of a source, split once for all the diagnostics of one file (a str keeps its hash)."""
    return tuple(source_lines(source))


def render(diagnostic: Diagnostic, source: str | None = None) -> str:
    """The headline, the source line with a caret under the span, and the hint."""
    lines = [visible(diagnostic.headline())]
    span = diagnostic.span
    if span and source is not None:
        lines_of_source = _cached_lines(source)
        if 1 <= span.line <= len(lines_of_source):
            # a control character would act on the terminal: shown as U+FFFD, one column like the original
            text = "".join(c if c.isprintable() or c == "\t" else "\ufffd" for c in lines_of_source[span.line - 1])
            text = text.expandtabs(1)
            gutter = f"{span.line:>5} | "
            # a line of 20,000 characters is not printed whole: a window of it around the span
            start = 0 if span.column <= SHOWN_COLUMNS - 60 else span.column - 1 - 60
            stop = start + SHOWN_COLUMNS
            lead = "… " if start else ""
            lines.append(gutter + lead + text[start:stop] + (" …" if len(text) > stop else ""))
            end = span.end_column if span.end_line == span.line else len(text) + 1
            width = max(1, min(end, stop + 1) - span.column)
            lines.append(" " * (len(gutter) - 2) + "| " + " " * (len(lead) + span.column - 1 - start) + "^" * width)
    if diagnostic.hint:
        lines.append(f"  hint: {visible(diagnostic.hint)}")
    return "\n".join(lines)


class DiagnosticError(Exception):
    """Raised by a stage that cannot continue; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic], sources: dict[str, str] | None = None):
        super().__init__("; ".join(d.headline() for d in diagnostics))
        self.diagnostics = diagnostics
        self.sources = sources or {}

    def render(self) -> str:
        return "\n".join(render(d, self.sources.get(d.span.file) if d.span else None) for d in self.diagnostics)


# ---------------------------------------------------------------- the words of each code
_CODE = re.compile(r"^[EWF][1-9]\d\d$")
_KEEP = object()  # "use the wording's own hint"


def _fields(template: str | None) -> set[str]:
    if template is None:
        return set()
    return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}


@frozen
class Wording:
    """The words for one situation of a code: a message template and a hint template.

    Templates name their fields (``'"{name}" is already defined on line {line}'``); ``at``
    fills them in and returns the plain ``Diagnostic``. Written as a class attribute of a
    ``Message`` subclass, which replaces it by a copy that knows its code and name.
    """

    template: str
    hint: str | None = None
    code: str = ""
    name: str = ""

    @property
    def fields(self) -> set[str]:
        return _fields(self.template) | _fields(self.hint)

    def at(self, span: Span | None, /, *, hint=_KEEP, did_you_mean: str | None = None, **fields) -> "Diagnostic":
        """The diagnostic at ``span``, its templates filled in from ``fields``.

        ``did_you_mean="pue"`` replaces the hint with 'did you mean "pue"?' (when not None);
        ``hint=`` replaces it with words chosen at the call site, None drops it.
        """
        if did_you_mean is not None:
            hint = f'did you mean "{did_you_mean}"?'
        # Fields the words do not use are allowed, so that one call can fill whichever wording
        # a branch chose; a missing field is a programming error, named here.
        needed = _fields(self.template) | (_fields(self.hint) if hint is _KEEP else set())
        missing = needed - set(fields)
        if missing:
            raise TypeError(f"{self.code}.{self.name} needs the fields {sorted(missing)}")
        if hint is _KEEP:
            hint = self.hint.format(**fields) if self.hint is not None else None
        return Diagnostic(self.code, self.template.format(**fields), span, hint)


class Message:
    """One diagnostic code. Subclasses are named after their code (``class E502(Message)``) and
    set ``title`` (the catalogue line), ``template`` and ``hint`` (the usual words); a code met
    in several situations adds one ``Wording`` per further situation (``E502.builtin``).

    ``E502.at(span, name=..., line=...)`` gives the ``Diagnostic`` in the usual words,
    ``E502.builtin.at(span, name=...)`` in the words of that situation.
    """

    code: ClassVar[str]
    severity: ClassVar[str]  # "error" or "warning"; the code's letter says which (W is a warning)
    title: ClassVar[str]
    template: ClassVar[str]
    hint: ClassVar[str | None] = None
    main: ClassVar[Wording]  # template and hint as a Wording

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        code = cls.__name__
        if not _CODE.match(code):
            raise TypeError(f"a Message subclass is named after its code, e.g. E101, not {code}")
        cls.code = code
        cls.severity = "warning" if code.startswith("W") else "error"
        for required in ("title", "template"):
            if not isinstance(cls.__dict__.get(required), str):
                raise TypeError(f"{code} needs a {required}")
        cls.main = Wording(cls.template, cls.__dict__.get("hint"))
        for name, value in list(vars(cls).items()):
            if isinstance(value, Wording):
                setattr(cls, name, attrs.evolve(value, code=code, name=name))

    def __new__(cls, *args, **kwargs):
        raise TypeError(f"{cls.__name__} is not instantiated: call {cls.__name__}.at(span, ...) for a Diagnostic")

    @classmethod
    def at(cls, span: Span | None, /, *, hint=_KEEP, did_you_mean: str | None = None, **fields) -> "Diagnostic":
        """The diagnostic at ``span`` in the usual words (see ``Wording.at``)."""
        return cls.main.at(span, hint=hint, did_you_mean=did_you_mean, **fields)

    @classmethod
    def wordings(cls) -> list[Wording]:
        """Every way this code is worded: the usual words first."""
        return [cls.main] + [v for v in vars(cls).values() if isinstance(v, Wording) and v is not cls.main]
