"""Lark's contextual lexer without one compiled regular expression per parser state: same tokens, cheaper start.

Lark's contextual lexer gives each parser state a lexer over the terminals that state accepts, and the first
time a state is reached compiles an alternation of them (and one of the keywords its names could be): some
forty `re.compile` calls for one policy, about half of parsing it, paid again by every run that parses.
`StateLexer` finds the same token by trying the state's terminals one by one in Lark's own order (priority,
then width, then length, then name): a literal by `str.startswith`, a pattern by one of the grammar's few
regular expressions compiled once. That is exactly what the alternation does, since Python's `|` takes the
first alternative that matches where nothing follows it. A word a state's name or unit pattern matches whole
becomes that state's keyword as Lark's `UnlessCallback` makes it, and the user callbacks (the keyword
boundary check) are Lark's. Errors stay Lark's: a state whose token is not found builds Lark's own scanner to
name what it allows, and the root lexer that words the error is untouched. `install` changes nothing when
the grammar uses what this does not reproduce (flags, bytes, callbacks on pattern terminals).
"""

from __future__ import annotations

import re

from lark import lexer as lark_lexer
from lark.lexer import BasicLexer, ContextualLexer, PatternRE, PatternStr


class _Unless:
    """Lark's UnlessCallback for literal keywords without flags: a word equal to a keyword becomes it."""

    def __init__(self, keywords: dict[str, str]):
        self.keywords = keywords

    def __call__(self, token):
        kind = self.keywords.get(token.value)
        if kind is not None:
            token.type = kind
        return token


class StateLexer(BasicLexer):
    """One parser state's lexer: Lark's (its terminals, callbacks, next_token) with `match` done by trying."""

    def __init__(self, original: BasicLexer, patterns: dict[str, re.Pattern], whole: dict[tuple[str, str], bool]):
        self.__dict__.update(vars(original))  # terminals (in Lark's order), newline and ignore types, user callbacks
        self.patterns, self.whole = patterns, whole
        self.tries = None  # made when the parser first reaches the state (one policy reaches about half of them)

    def _prepare(self) -> tuple:
        strings = [t for t in self.terminals if isinstance(t.pattern, PatternStr)]
        patterns, whole = self.patterns, self.whole
        embedded, callback = set(), {}
        for pattern in (t for t in self.terminals if isinstance(t.pattern, PatternRE)):
            keywords: dict[str, str] = {}
            for literal in strings:
                if literal.priority == pattern.priority and whole[pattern.name, literal.name]:
                    keywords.setdefault(literal.pattern.value, literal.name)
                    embedded.add(literal.name)  # no flags anywhere (install checks), so always embedded
            if keywords:
                callback[pattern.name] = _Unless(keywords)
        callback.update(self.user_callbacks)  # on literals only (install checks): never chained
        self.callback = callback
        self.tries = tuple((t.name, t.pattern.value if isinstance(t.pattern, PatternStr) else None,
                            patterns.get(t.name)) for t in self.terminals if t.name not in embedded)
        return self.tries

    def match(self, text, pos):
        source, end = text.text, text.end
        for name, literal, pattern in self.tries or self._prepare():
            if pattern is None:
                if source.startswith(literal, pos, end):
                    return literal, name
            else:
                found = pattern.match(source, pos, end)
                if found:
                    return found.group(0), name
        return None


def install(parser) -> bool:
    """Give a Lark LALR parser's contextual lexer a StateLexer per state; False (nothing changed) if it cannot."""
    lexer = getattr(getattr(parser, "parser", None), "lexer", None)
    if type(lexer) is not ContextualLexer or not lexer.lexers or not hasattr(lark_lexer, "TextSlice"):
        return False  # not Lark 1.3's contextual lexer over text slices: Lark's own lexers stay
    root = lexer.root_lexer
    terminals = list(root.terminals)
    if (root.g_regex_flags or root.use_bytes or any(t.pattern.flags for t in terminals)
            or any(type(state) is not BasicLexer for state in lexer.lexers.values())
            or any(not isinstance(t.pattern, PatternStr) for name in root.user_callbacks
                   for t in terminals if t.name == name)
            or any("(?P<" in t.pattern.to_regexp() for t in terminals if isinstance(t.pattern, PatternRE))):
        return False
    patterns = {t.name: re.compile(t.pattern.to_regexp()) for t in terminals if isinstance(t.pattern, PatternRE)}
    whole = {}  # Lark's test: the pattern's match of the literal is the whole literal (not a fullmatch)
    for pattern in (t for t in terminals if isinstance(t.pattern, PatternRE)):
        for literal in (t for t in terminals if isinstance(t.pattern, PatternStr)):
            found = patterns[pattern.name].match(literal.pattern.value)
            whole[pattern.name, literal.name] = found is not None and found.group(0) == literal.pattern.value
    made: dict[int, StateLexer] = {}
    for state, original in lexer.lexers.items():
        if id(original) not in made:
            made[id(original)] = StateLexer(original, patterns, whole)
        lexer.lexers[state] = made[id(original)]
    return True
