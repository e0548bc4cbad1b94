"""Text → Lark tree → AST, with syntax errors phrased for policy analysts."""

from __future__ import annotations

import contextvars
import functools
import os
import re
import unicodedata

from . import ast
from .builtins import CLAUSES, DECLARATION_KEYWORDS, KEYWORDS, terminal
from .diagnostics import Diagnostic, DiagnosticError, Span, Wording, source_lines, utf8_error_position
from .facility_messages import F101
from .messages import E101, E102, E103, E104, E507
from .nesting import too_deep
from .transform import to_ast

# What each terminal is, in an analyst's words.
_WORDS = {
    "NAME": "a name",
    "STRING": 'a quoted text such as "…"',
    "NUMBER": "a number",
    "DATE": "a date such as 2026-07-01",
    "MONTH_DAY": "a month and day such as 04-01",
    "UNIT": "a unit",
    "LE": '"<="', "LT": '"<"', "GE": '">="', "GT": '">"', "EQ": '"=="', "NE": '"!="',
    "EQUALS": '"="', "PLUS": '"+"', "MINUS": '"-"', "STAR": '"*"', "SLASH": '"/"', "CARET": '"^"',
    "LPAR": '"("', "RPAR": '")"', "LSQB": '"["', "RSQB": '"]"', "LBRACE": '"{"', "RBRACE": '"}"',
    "COMMA": '","', "DOT": '"."',
    "$END": "the end of the file",
}
_COMPARISONS = {"LE", "LT", "GE", "GT", "EQ", "NE"}
_VALUE_STARTS = {"NAME", "NUMBER", "DATE", "STRING", "LPAR", "TRUE", "FALSE", "MINUS"}
_CLAUSE_KEYWORDS = {terminal(k) for k in CLAUSES}
_DECLARATION_KEYWORDS = {terminal(k) for k in DECLARATION_KEYWORDS}


def _describe(token_type: str) -> str:
    if token_type in _WORDS:
        return _WORDS[token_type]
    return '"' + token_type.lower().replace("_", "-") + '"'


# The text being parsed, for the keyword check below.
_CURRENT: contextvars.ContextVar[str | None] = contextvars.ContextVar("_CURRENT", default=None)


class _GluedKeyword(Exception):
    """A keyword that is only the start of a longer word, e.g. "require" in "requires"."""

    def __init__(self, token):
        super().__init__(str(token))
        self.token = token


def _keyword_boundary(token):
    # Where no name may follow, the lexer matches a keyword as the prefix of a longer word
    # ("requires" -> "require" "s"); insist that a keyword is a whole word.
    text = _CURRENT.get()
    end = token.end_pos
    if text is not None and end is not None and end < len(text) and (text[end].isalnum() or text[end] == "_"):
        raise _GluedKeyword(token)
    return token


def _grammar_cache() -> str | bool:
    """Where Lark keeps the built parser between runs: a folder of this user's own in the temporary directory
    (made 0700; used only if it is a real folder, ours, closed to others). Lark's default, `cache=True`, reads a
    file of a guessable name straight from the shared temporary directory and unpickles it, so another local
    user could plant one. False (build the parser every run, about 0.2 s) where no such folder can be had."""
    import stat
    import sys
    import tempfile

    if not hasattr(os, "getuid"):
        return False
    folder = os.path.join(tempfile.gettempdir(), f"dcpolicy-{os.getuid()}")
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return False
    try:
        found = os.lstat(folder)
    except OSError:
        return False
    if not stat.S_ISDIR(found.st_mode) or found.st_uid != os.getuid() or found.st_mode & 0o077:
        return False
    # Lark checks the grammar, its options and its own version against the first line of the file
    return os.path.join(folder, "policy-grammar-py%d%d.lark" % sys.version_info[:2])


@functools.lru_cache(maxsize=1)
def _lark():
    from lark import Lark  # imported lazily: `policy --help` should not pay for it

    # beside this module, installed or not (importlib.resources would import zipfile and more for one read)
    with open(os.path.join(os.path.dirname(__file__), "policy.lark"), encoding="utf-8") as file:
        grammar = file.read()
    parser = Lark(
        grammar,
        parser="lalr",
        strict=True,
        propagate_positions=True,
        maybe_placeholders=True,
        cache=_grammar_cache(),
        lexer_callbacks={terminal(keyword): _keyword_boundary for keyword in KEYWORDS},
    )
    from .state_lexer import install

    install(parser)  # the same tokens without compiling a regular expression per parser state
    return parser


def parse(text: str, file: str = "<policy>") -> ast.Policy:
    """Parse policy text into an AST, or raise DiagnosticError with one syntax error."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

    marker = _CURRENT.set(text)
    try:
        tree = _lark().parse(text)
    except _GluedKeyword as err:
        raise DiagnosticError([_glued_keyword(err.token, text, file)], {file: text}) from None
    except UnexpectedToken as err:
        raise DiagnosticError([_unexpected_token(err, text, file)], {file: text}) from None
    except UnexpectedCharacters as err:
        raise DiagnosticError([_unexpected_character(err, text, file)], {file: text}) from None
    except UnexpectedInput:  # UnexpectedEOF
        if not re.sub(r"#[^\n]*", "", text).strip():
            raise DiagnosticError([_missing_header(file, Span.point(file, 1, 1))], {file: text}) from None
        raise DiagnosticError([_end_of_file(text, file, set())], {file: text}) from None
    finally:
        _CURRENT.reset(marker)
    policy, diagnostics = to_ast(tree, file)
    diagnostics += too_deep(policy)
    if diagnostics:
        raise DiagnosticError(diagnostics, {file: text})
    return policy


def _previous_word(text: str, position: int) -> str:
    before = re.sub(r"#[^\n]*", "", text[:position]).rstrip()
    match = re.search(r'("[^"\n]*"|[^\s(){}\[\],]+|[(){}\[\],])$', before)
    word = match.group(1) if match else ""
    return word if len(word) <= 40 else word[:37] + "…"


def _missing_header(file: str, span: Span) -> Diagnostic:
    return E507.at(span)


def _quoted(word: str) -> str:
    """A word in double quotes for a message; a quoted text is shown as written."""
    return word if word.startswith('"') else f'"{word}"'


def _unexpected_token(err, text: str, file: str) -> Diagnostic:
    token = err.token
    expected = set(err.expected)
    if expected == {"JURISDICTION"}:
        if token.type == "$END":
            return _missing_header(file, Span.point(file, 1, 1))
        return _missing_header(file, Span(file, token.line, token.column, token.end_line or token.line,
                                          token.end_column or token.column + len(str(token))))
    if token.type == "$END":
        return _end_of_file(text, file, expected)
    span = Span(file, token.line, token.column, token.end_line or token.line,
                (token.end_column or token.column + len(str(token))))
    previous = _previous_word(text, token.start_pos)
    found = f'"{token}"'
    if token.type in _VALUE_STARTS and expected & _COMPARISONS:
        return E101.comparison.at(span, previous=previous, found=token)
    if expected & _CLAUSE_KEYWORDS and token.type in ("NAME", "UNIT"):
        keywords = sorted(_describe(t).strip('"') for t in expected if t.isupper() and t not in _WORDS)
        import difflib  # only a misspelt keyword needs it

        close = difflib.get_close_matches(str(token), keywords, n=1, cutoff=0.6)
        return E101.clause_keyword.at(span, found=found, did_you_mean=close[0] if close else None)
    if token.type in _DECLARATION_KEYWORDS and not expected & _DECLARATION_KEYWORDS:
        return E101.unfinished.at(span, expected=_summarise(expected), found=token, line=token.line,
                                  previous=_quoted(previous))
    return _wording_for(expected, token).at(span, expected=_summarise(expected), previous=_quoted(previous),
                                            found=found)


def _glued_keyword(token, text: str, file: str) -> Diagnostic:
    word = re.match(r"[A-Za-z0-9_-]+", text[token.start_pos:]).group()
    span = Span(file, token.line, token.column, token.line, token.column + len(word))
    keyword = str(token)
    if token.type in _CLAUSE_KEYWORDS:
        return E101.clause_keyword.at(span, found=f'"{word}"', did_you_mean=keyword)
    return E101.not_a_keyword.at(span, word=word, keyword=keyword)


def _summarise(expected: set[str]) -> str:
    if expected & _COMPARISONS and len(expected) > 6:
        return 'an operator such as "<=", "and" or "+"'
    if expected >= {"NAME", "NUMBER"}:
        return "a value (a number, a name, a date or a quoted text)"
    if expected & _CLAUSE_KEYWORDS and len(expected) > 4:
        return 'a clause keyword such as "cite" or "require"'
    words = sorted(_describe(t) for t in expected)
    if len(words) > 5:
        words = words[:5] + ["…"]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _wording_for(expected: set[str], token) -> Wording:
    """The words of an unexpected token: their hint says what is most likely missing."""
    if expected >= {"NAME", "NUMBER"}:  # a value is missing, not only a quoted text
        return E101.missing_value
    if "STRING" in expected:
        return E101.missing_text
    if "NAME" in expected and token.type != "NAME":
        return E101.bad_name
    if "RPAR" in expected:
        return E101.unclosed_parenthesis
    return E101.main


def _unexpected_character(err, text: str, file: str) -> Diagnostic:
    span = Span.point(file, err.line, err.column)
    char = text[err.pos_in_stream] if err.pos_in_stream < len(text) else ""
    if char == '"':
        return E104.at(span)
    if char in "≤≥≠":
        replacement = {"≤": "<=", "≥": ">=", "≠": "!="}[char]
        return E102.unicode_operator.at(span, char=char, replacement=replacement)
    allowed = set(getattr(err, "allowed", None) or ())
    if char.isdigit():  # ２, ٣: a digit of another script
        return E102.foreign_digit.at(span, char=char, code=f"U+{ord(char):04X}", digit=unicodedata.digit(char, "?"))
    if not char.isprintable() or char.isspace():
        return E102.invisible.at(span, code=f"U+{ord(char):04X}", name=unicodedata.name(char, "a control character"))
    if allowed and allowed <= {"UNIT"} | _COMPARISONS | {"AND", "OR"}:
        return E102.after_number.at(span, char=char)
    return E102.at(span, char=char)


def _end_of_file(text: str, file: str, expected: set[str]) -> Diagnostic:
    lines = source_lines(text)
    if len(lines) > 1 and not lines[-1]:  # the final line feed ends the last line; it starts none
        lines.pop()
    last = len(lines)
    span = Span.point(file, last, len(lines[-1]) + 1)
    wanted = _summarise(expected) if expected else "more"
    return E103.at(span, expected=wanted, previous=_quoted(_previous_word(text, len(text))))


def parse_file(path: str, display: str | None = None) -> tuple[ast.Policy, str]:
    from .files import read_input

    name = display or path
    try:
        raw = read_input(path)
    except OSError as exc:
        raise DiagnosticError([F101.policy_file.at(Span.point(name, 1, 1), reason=exc.strerror or exc)]) from None
    text = decode_policy(raw, name)
    return parse(text, name), text


def decode_policy(raw: bytes, name: str) -> str:
    """A policy's bytes as text; DiagnosticError locating the first byte that is not UTF-8."""
    try:
        return raw.decode("utf-8-sig")  # a byte-order mark some Windows editors write is not part of the text
    except UnicodeDecodeError as exc:
        raise DiagnosticError([_not_utf8(raw, exc, name)]) from None


def _not_utf8(raw: bytes, exc: UnicodeDecodeError, file: str) -> Diagnostic:
    """Where the first byte that is not UTF-8 is, by line and column as an editor counts them."""
    line, column = utf8_error_position(raw, exc)
    return F101.not_utf8.at(Span(file, line, column, line, column + 1), byte=f"0x{raw[exc.start]:02x}")
