"""A Pygments lexer for policy files (keywords from dsl/builtins.py), and colouring for a terminal.

Registered as the Pygments lexer `policy` (entry point `pygments.lexers`), so Markdown and Sphinx
renderers colour ```policy blocks with it. Pygments comes with rich, a dependency; it is imported only
when a lexer is asked for, so commands that do not colour start no slower.
"""

from __future__ import annotations

import re

from ..dsl import builtins

_HYPHEN_SAFE = r"(?<![\w-])({})(?![\w-])"


def _words(words) -> str:
    ordered = sorted(set(words), key=lambda w: (-len(w), w))  # longest first: fiscal-year before fiscal
    return _HYPHEN_SAFE.format("|".join(re.escape(w) for w in ordered))


def make_lexer_class():
    """The lexer class, built on first use (Pygments is imported here, not at module load)."""
    from pygments.lexer import RegexLexer
    from pygments.token import Comment, Keyword, Name, Number, Operator, Punctuation, String, Text

    declarations = builtins.DECLARATION_KEYWORDS + ("jurisdiction",)
    clauses = (builtins.HEADER_KEYWORDS + tuple(builtins.CLAUSES) + builtins.BLOCK_KEYWORDS
               + builtins.BLOCK_CLAUSES + builtins.BODY_KEYWORDS)
    constants = builtins.CALENDARS + builtins.LEGAL_STATUSES + builtins.SEVERITIES + ("true", "false", "inf")
    operators = tuple(w for w in builtins.EXPRESSION_KEYWORDS if w not in ("true", "false", "inf"))

    class PolicyLexer(RegexLexer):
        name = "dcpolicy"
        aliases = ["policy", "dcpolicy"]
        filenames = ["*.policy"]
        mimetypes = ["text/x-dcpolicy"]

        tokens = {
            "root": [
                (r"#.*?$", Comment.Single),
                (r'"(\\\\|\\"|[^"])*"', String.Double),
                (r"\d{4}-\d{2}(-\d{2})?\b", Number.Other),  # dates
                (r"\d+(\.\d+)?([eE][+-]?\d+)?", Number),
                (_words(declarations), Keyword.Declaration),
                (_words(constants), Keyword.Constant),
                (_words(operators), Operator.Word),
                (_words(clauses), Keyword),
                (_words(builtins.FUNCTIONS), Name.Builtin),
                (_words(builtins.ROOTS), Name.Builtin.Pseudo),
                (r"<=|>=|==|!=|<|>|\+|-|\*|/|\^|=|%", Operator),
                (r"[()\[\]{},.:]", Punctuation),
                (r"[°µ][A-Za-z0-9°²³µ]*", Name.Constant),  # units that start with a symbol
                (r"[A-Za-z_][A-Za-z0-9_]*", Name),
                (r"\s+", Text),
            ],
        }

    return PolicyLexer


def highlight(text: str, stream) -> str:
    """The text coloured for a terminal when the stream is one and Pygments is there; else as it is."""
    import os

    if not getattr(stream, "isatty", lambda: False)() or os.environ.get("NO_COLOR"):
        return text
    try:
        from pygments import highlight as pygments_highlight
        from pygments.formatters import TerminalFormatter
    except ImportError:  # pragma: no cover - pygments comes with rich
        return text
    return pygments_highlight(text, make_lexer_class()(), TerminalFormatter())


def __getattr__(name: str):
    """`PolicyLexer` for the Pygments entry point, built lazily."""
    if name == "PolicyLexer":
        return make_lexer_class()
    raise AttributeError(name)
