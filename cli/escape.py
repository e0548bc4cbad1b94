"""User text made safe for the medium it is shown in: one function per medium (issue 12, "Text").

Facility names, operators, rule titles and citations, ids, values and file names come from files
the tool does not control. Shown raw, `[/x]` is rich markup (a crash), ESC starts a terminal control
sequence, a newline or `|` breaks a Markdown table, `<` is HTML, a control character is not XML, and
a file name that is not UTF-8 (held as a lone surrogate) cannot be written as UTF-8 at all. Every
renderer passes user text through the function for its medium; `UTF8_ERRORS` makes every stream and
file the tool writes valid UTF-8 whatever text reaches it. docs/results.md, "User text in the output",
lists what each medium does.
"""

from __future__ import annotations

import codecs
import re

from ..dsl.diagnostics import visible

_CONTROLS_BUT_LINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069"
                                 r"\ud800-\udfff]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")
UTF8_ERRORS = "dcpolicy.utf8"  # an encoding error handler: a lone surrogate is written as U+FFFD ("?" where no U+FFFD)


def _replace_surrogates(error: UnicodeError):
    if not isinstance(error, UnicodeEncodeError):
        raise error
    encoding = (error.encoding or "").lower().replace("-", "").replace("_", "")
    # the UTF-8 encoder takes a replacement of bytes or of ASCII text only
    mark = "\ufffd".encode(error.encoding) if encoding.startswith("utf") else b"?"
    return mark * (error.end - error.start), error.end


codecs.register_error(UTF8_ERRORS, _replace_surrogates)


def field(text: object) -> str:
    """One piece of user text on a terminal or in plain text: every control character, line break,
    bidirectional override and lone surrogate shown as an escape (\\x1b, \\n, \\u202e), so it stays on
    its line and cannot act on the terminal."""
    return visible(str(text))


def lines(text: str) -> str:
    """A whole plain-text output: control characters escaped as in `field` (a carriage return too: it
    would let text overwrite a line), its own line feeds and tabs kept. The last pass of every text renderer, so no user text reaches a terminal raw."""
    if text.isascii() and text.isprintable():
        return text
    return _CONTROLS_BUT_LINES.sub(lambda m: visible(m.group()), text)


def rich(text: object):
    """A rich `Text` of user text: never read as markup ("[/x]", "[bold]"), controls escaped."""
    from rich.text import Text

    return text if isinstance(text, Text) else Text(field(text))


_MARKDOWN = re.compile(r"[\\|`\[\]]|<(?=[A-Za-z/!?])")


def markdown(text: object) -> str:
    """User text in a Markdown table cell, heading or line: on one line, and `|`, backticks, brackets,
    backslashes and a `<` that would open an HTML tag escaped, so it neither breaks the table nor becomes
    a link, code or HTML ("<= 1.3" stays as written)."""
    return _MARKDOWN.sub(lambda m: "\\" + m.group(), field(text))


def fence(block_lines: list[str]) -> str:
    """A code fence longer than any run of backticks in the block, so no text inside can close it."""
    longest = max((len(run) for line in block_lines for run in re.findall(r"`+", line)), default=0)
    return "`" * max(3, longest + 1)


def html(text: object) -> str:
    """User text in HTML: escaped (quotes included, so also in attributes), controls shown as escapes."""
    import html as _html  # with its entity table, imported only by the formats that write HTML

    return _html.escape(lines(str(text)), quote=True)


def xml(text: object) -> str:
    """User text for an XML writer (ElementTree escapes <, & and quotes): the characters XML 1.0 cannot
    hold (C0 controls but tab and line breaks, lone surrogates) shown as escapes."""
    return lines(str(text))


_FORMULA = ("=", "+", "-", "@")  # a leading tab or carriage return is already shown as \t, \r


def spreadsheet(text: object) -> str:
    """User text in a CSV cell: on one line (controls shown as escapes), and a leading = + - @ made plain
    text with a ' before it, so a spreadsheet never runs it as a formula (OWASP, "CSV injection")."""
    shown = field(text)
    return "'" + shown if shown.startswith(_FORMULA) else shown


def utf8(text: str) -> str:
    """Text that encodes as UTF-8: each lone surrogate (a file name that was not UTF-8) becomes U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATES.sub("\ufffd", text)
    return text
