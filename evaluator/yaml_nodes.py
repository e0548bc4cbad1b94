"""YAML nodes with spans: loading that keeps where every key and value was written, and rejects duplicate keys.

libyaml's events carry start and end marks (0-based line and column); evaluator/yaml_events.py turns
them into small :class:`Node` objects with 1-based spans, typing scalar values as the safe loader does
(so ``2025-01-01`` is a ``datetime.date`` and ``0.55`` a float, exactly as ``yaml.safe_load`` would),
and reports problems as diagnostics instead of raising: a syntax error is ``F102``, a key written
twice in one mapping is ``F105``.

Merge keys (``<<: *defaults``) are honoured: the merged entries keep the spans of the anchor
they come from, and keys written in the mapping itself override them without complaint.
"""

from __future__ import annotations

from array import array
from typing import NamedTuple

from ..dsl.diagnostics import Diagnostic, Span
from ..dsl.facility_messages import F102


class Node(NamedTuple):
    """One YAML node with its position.

    ``kind`` is ``"map"``, ``"seq"`` or ``"scalar"``. For a map, ``value`` is a tuple of
    ``(key_node, value_node)`` pairs in the order written (duplicates removed); for a seq, a
    tuple of nodes; for a scalar, the constructed Python value (``None`` for null).
    ``text`` is a scalar's text as written (without quotes), ``None`` for collections.

    Where it was written, ``at``, is a :class:`Span`, or (from the event reader) a plain tuple
    ``(file, line, column, end_line, end_column)`` that :attr:`span` turns into one when asked: most nodes of
    a valid file never need theirs made.

    A frozen named tuple rather than an attrs class, for the loading cost (issue 9, item 3): a register of
    2,000 facilities makes about 190,000 nodes, and a tuple is made in a fifth of an attrs instance's time.
    It compares and hashes by identity, as the attrs class (``eq=False``) did; `evolve` replaces fields.
    """

    kind: str
    value: object
    at: Span | tuple
    text: str | None = None
    quoted: bool = False

    __eq__ = object.__eq__  # by identity: two nodes are the same node, not the same text
    __ne__ = object.__ne__
    __hash__ = object.__hash__

    def evolve(self, **changes) -> "Node":
        """This node with some fields replaced (`span=` sets its position)."""
        if "span" in changes:
            changes["at"] = changes.pop("span")
        return self._replace(**changes)

    @property
    def span(self) -> Span:
        """Where the node was written: 1-based, its end column exclusive and at least one past its start."""
        return span_of(self.at)

    @property
    def is_null(self) -> bool:
        return self.kind == "scalar" and self.value is None

    @property
    def entries(self) -> tuple[tuple["Node", "Node"], ...]:
        return self.value if self.kind == "map" else ()  # type: ignore[return-value]

    @property
    def items(self) -> tuple["Node", ...]:
        return self.value if self.kind == "seq" else ()  # type: ignore[return-value]

    def get(self, key: str) -> "Node | None":
        for k, v in self.entries:
            if k.text == key:
                return v
        return None

    def keys(self) -> list[str]:
        return [k.text or "" for k, _ in self.entries]

    def describe(self) -> str:
        """What this node is, in words, for messages ("a list", "true", '"abc"')."""
        if self.kind == "map":
            return "a mapping"
        if self.kind == "seq":
            return "a list"
        if self.value is None:
            return "null (no value)"
        from ..dsl.diagnostics import excerpt  # one line, cut short: never a whole file in a message

        return f'"{excerpt(self.text)}"' if self.quoted or isinstance(self.value, str) else excerpt(str(self.text))


def span_of(at: Span | tuple) -> Span:
    """The Span of a node's position (Node.at): a tuple's end column is made at least one past its start."""
    if type(at) is Span:
        return at
    file, line, column, end_line, end_column = at
    return Span(file, line, column, end_line, end_column if end_column > column else column + 1)


def _mark_span(file: str, mark, width: int = 1) -> Span:
    return Span.point(file, mark.line + 1, mark.column + 1, width)


def load_yaml(text: str, file: str) -> tuple[Node | None, list[Diagnostic]]:
    """Parse one YAML document. Returns (root node or None for an empty document, diagnostics).

    On a syntax error (or a document too deep or with an alias bomb, evaluator/yaml_events.py) the root is
    None and the only diagnostic is that ``F102``.
    """
    import yaml

    from .yaml_events import EventReader, Stop

    widths = None

    def width_of(end) -> int | None:
        nonlocal widths
        if widths is None:
            widths = _line_widths(text)  # a block collection's last line ends its span
        last = end.line - 1
        return widths[last] if last < len(widths) else None

    parser = event_parser(text)
    reader = EventReader(parser, file, width_of)
    try:
        parser.get_event()  # the stream's start
        if parser.check_event(yaml.StreamEndEvent):
            return None, []
        document = parser.get_event()
        root = reader.node()
        parser.get_event()  # the document's end
        if not parser.check_event(yaml.StreamEndEvent):
            extra = parser.get_event()
            raise yaml.composer.ComposerError("expected a single document in the stream", document.start_mark,
                                              "but found another document", extra.start_mark)
        return root, reader.diagnostics
    except Stop:
        return None, reader.diagnostics[-1:]
    except yaml.YAMLError as exc:
        return None, [located_syntax_error(text, file, exc)]
    finally:
        parser.dispose()


def event_parser(stream):
    """libyaml's parser (PyYAML's when libyaml is missing) over a text or a reader with `read(size)`."""
    try:
        from yaml._yaml import CParser
    except ImportError:  # pragma: no cover - PyYAML built without libyaml
        import yaml

        return yaml.SafeLoader(stream)
    return CParser(stream)


def located_syntax_error(text: str, file: str, exc) -> Diagnostic:
    """The F102 for a syntax error, worded by PyYAML's own parser (libyaml's messages are terser)."""
    import yaml

    if not isinstance(exc, yaml.MarkedYAMLError):  # pragma: no cover - unmarked errors are rare
        return F102.at(Span.point(file, 1, 1), problem=exc, hint=None)
    loader = yaml.SafeLoader(text)
    try:
        while loader.get_event() is not None:
            pass
    except yaml.MarkedYAMLError as worded:
        if not isinstance(exc, yaml.composer.ComposerError) or _before(worded, exc):
            return _syntax_error(file, worded)
    except yaml.YAMLError:  # pragma: no cover
        pass
    finally:
        loader.dispose()
    return _syntax_error(file, exc)


def _before(a, b) -> bool:
    """Whether error `a` was found before error `b` in the text (a syntax error before the second document)."""
    ma, mb = a.problem_mark or a.context_mark, b.problem_mark or b.context_mark
    return ma is not None and mb is not None and (ma.line, ma.column) < (mb.line, mb.column)


def _syntax_error(file: str, exc) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark is not None and "end of stream" in (exc.problem or ""):
        mark = exc.context_mark  # where the unfinished construct began, not the end of the file
    problem = exc.problem or "invalid YAML"
    context = f" ({exc.context})" if exc.context else ""
    span = _mark_span(file, mark) if mark is not None else Span.point(file, 1, 1)
    hint = "check the indentation of this line and the one before it"
    low = problem.lower()
    if "quoted scalar" in (exc.context or ""):
        hint = "close the quoted text with the same quote mark that opens it"
    elif "\\t" in problem or "tab" in low:
        hint = "YAML does not allow tabs for indentation; indent with spaces"
    elif "expected a single document" in (exc.context or "") + low:
        hint = "a facility file holds one YAML document; remove the extra '---' separator"
    elif "mapping values are not allowed" in low:
        hint = 'a value containing ": " must be quoted, e.g. name: "Site: Frankfurt"'
    elif "maximum nesting depth" in low:  # libyaml's own limit: 1,000 flow levels (ours is lower, yaml_events.py)
        hint = "lists or mappings nested this deep cannot be read; a facility needs at most 7 levels"
    elif "found undefined alias" in low:
        hint = "define the anchor (&name) before using the alias (*name)"
    elif "found character" in low and "cannot start any token" in low:
        hint = 'values starting with "@", "`", "%" or "*" must be quoted'
    elif "could not find expected ':'" in low or "while scanning a simple key" in (exc.context or ""):
        hint = 'each line of a mapping needs "key: value"; a value with special characters must be quoted'
    return F102.at(span, problem=f"{problem}{context}", hint=hint)


def _line_widths(text: str, chunk: int = 1 << 20) -> array:
    """len() of each of text.splitlines(), a megabyte at a time (a register's lines all at once would
    cost several times the text). Chunks end just after a newline, so no line break is split."""
    widths = array("L")
    start = 0
    while start < len(text):
        end = text.find("\n", start + chunk)
        end = len(text) if end < 0 else end + 1
        widths.extend(map(len, text[start:end].splitlines()))
        start = end
    return widths
