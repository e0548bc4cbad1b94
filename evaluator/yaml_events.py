"""Located YAML nodes built straight from libyaml's events: no composer, no recursion, bounded depth and aliases.

PyYAML's composer and resolver are Python code run for every node; here each event (libyaml's, with
its marks) becomes a :class:`~.yaml_nodes.Node` directly, and plain scalars are typed with the safe
loader's own implicit resolvers and constructors, so values are exactly those of ``yaml.safe_load``.
The walk keeps its own stack, so input nesting never reaches Python's recursion limit; instead:

- a collection nested deeper than :data:`MAX_DEPTH` ends the document with ``F102`` at it;
- aliases may repeat at most :data:`ALIAS_BUDGET` nodes (plus :data:`ALIAS_FACTOR` times the nodes
  written): a "billion laughs" document ends with ``F102`` at the alias that would exceed it;
- a tag other than YAML's core ones (``!!str``, ``!!int``, ``!!float``, ``!!bool``, ``!!null``,
  ``!!timestamp``, ``!!map``, ``!!seq``) is ``F102`` at the tagged node.
"""

from __future__ import annotations

from ..dsl.diagnostics import Diagnostic, Span
from ..dsl.facility_messages import F102, F105

from .yaml_nodes import Node, span_of

MAX_DEPTH = 100  # collections inside collections; a portfolio's period figures are 6 deep
ALIAS_BUDGET = 10_000  # nodes aliases may repeat, beyond ALIAS_FACTOR x the nodes written
ALIAS_FACTOR = 10
_Y = "tag:yaml.org,2002:"
_MERGE = _Y + "merge"
_SCALAR_TAGS = frozenset(_Y + t for t in ("str", "int", "float", "bool", "null", "timestamp"))
_MERGE_KEY = object()  # pending key: a `<<` merge
_SKIP = object()  # pending key: the value is read and dropped (a duplicate or a complex key)
_UNREAD = object()  # a plain text not yet in the reader's table of typed values
PLAIN_VALUES = 4096  # plain texts whose typed value a reader remembers ("true", "2028", "250 kW"): a bound on memory


class Stop(Exception):
    """The document cannot be read on (a syntax, depth or alias problem); its diagnostic is recorded."""


def _types():
    import yaml

    return yaml


class _Frame:
    __slots__ = ("kind", "start", "anchor", "items", "merged", "seen", "key", "size")

    def __init__(self, kind, start, anchor):
        self.kind, self.start, self.anchor = kind, start, anchor
        self.items: list = []
        self.merged: list = []
        self.seen: dict = {}
        self.key = None  # map: the key waiting for its value (a Node, _MERGE_KEY or _SKIP)
        self.size = 1  # nodes in this collection, aliases counted as what they repeat


class EventReader:
    """Reads nodes from a PyYAML-style parser (`get_event`, `peek_event`); `width_of(end_mark)` is the width of
    the line before a block collection's end mark; `line_base` is added to every line (a slice of a file)."""

    def __init__(self, parser, file: str, width_of, line_base: int = 0):
        yaml = _types()
        self.parser, self.file, self.width_of, self.line_base = parser, file, width_of, line_base
        self.diagnostics: list[Diagnostic] = []
        self.anchors: dict = {}  # name -> (Node, size), or a _Frame while its collection is open
        self.written = 0
        self.repeated = 0
        self._scalar, self._alias = yaml.ScalarEvent, yaml.AliasEvent
        self._seq, self._map = yaml.SequenceStartEvent, yaml.MappingStartEvent
        self._ends = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
        resolvers = yaml.resolver.Resolver.yaml_implicit_resolvers
        wildcard = resolvers.get(None, [])
        self._resolvers = {first: list(found) + list(wildcard) for first, found in resolvers.items() if first}
        self._wildcard = list(wildcard)
        self._empty = list(resolvers.get("", [])) + list(wildcard)
        self._constructor = yaml.constructor.SafeConstructor()
        self._ScalarNode = yaml.ScalarNode
        # text -> its value, for plain scalars typed as one of YAML's core scalars; typing a text is a pure function
        # of it, and a register repeats many ("true", "2028", "ISO 50001"), so it is resolved once per reader
        self._plain: dict = {}

    def forget_anchors(self) -> None:
        """Between independent entries of a streamed list (their anchors stay usable, their budget restarts)."""
        self.written = self.repeated = 0

    # ---- spans ---------------------------------------------------------------------------
    def span(self, start, end) -> Span:
        base = self.line_base
        return Span(self.file, start.line + 1 + base, start.column + 1, end.line + 1 + base,
                    max(end.column + 1, start.column + 2))

    def block_span(self, start, end) -> Span | tuple:
        """A collection's span; the position tuple (yaml_nodes.Node) unless the line before its end must be
        measured now (a streamed text keeps only the last pieces at hand)."""
        if end.line > start.line and end.column == 0:
            # Block collections end at the start of the following line: end at the previous one.
            width = self.width_of(end)
            if width is None:
                width = start.column + 1
            if end.line - 1 == start.line:
                width = max(width, start.column + 1)
            base = self.line_base
            return Span(self.file, start.line + 1 + base, start.column + 1, end.line + base, width + 1)
        below = self.line_base + 1
        return (self.file, start.line + below, start.column + 1, end.line + below, end.column + 1)

    # ---- nodes -----------------------------------------------------------------------------
    def node(self, depth: int = 0) -> Node:
        """The next complete node, `depth` collections below the document's top (a streamed portfolio's entry: 2);
        raises Stop (its diagnostic recorded) when the document cannot be read on."""
        get = self.parser.get_event
        stack: list[_Frame] = []
        top: _Frame | None = None  # the innermost open collection, stack[-1]
        scalar_type, alias_type, seq_type, map_type = self._scalar, self._alias, self._seq, self._map
        file, below, plain, new_node = self.file, self.line_base + 1, self._plain, tuple.__new__
        while True:
            event = get()
            kind = type(event)
            if kind is scalar_type:
                self.written += 1
                if event.anchor is not None or event.tag is not None:
                    done = self._scalar_node(event)
                else:  # the common node: an untagged scalar, its position kept as a tuple (yaml_nodes.Node)
                    text, start, end, style = event.value, event.start_mark, event.end_mark, event.style
                    at = (file, start.line + below, start.column + 1, end.line + below, end.column + 1)
                    quoted = style == "'" or style == '"'
                    if top is not None and top.key is None and top.kind == "map" and text != "<<":
                        # a key: its text is its value, nothing to resolve
                        top.size += 1
                        if text in top.seen:
                            top.key = self._key_text(top, text, at, quoted)  # written twice: F105
                        else:
                            top.key = top.seen[text] = new_node(Node, ("scalar", text, at, text, quoted))
                        continue
                    if style or not event.implicit[0]:  # quoted (or a block scalar): text
                        value = text
                    else:
                        value = plain.get(text, _UNREAD)
                        if value is _UNREAD:
                            value = self._plain_value(text, event, at)
                    done = new_node(Node, ("scalar", value, at, text, quoted))
                size = 1
            elif kind is alias_type:
                done, size = self._alias_node(event, stack)
            elif kind is map_type or kind is seq_type:
                self.written += 1
                frame = _Frame("map" if kind is map_type else "seq", event, event.anchor)
                if len(stack) + depth >= MAX_DEPTH:
                    self._stop(F102.too_deep.at(self.span(event.start_mark, event.end_mark), limit=MAX_DEPTH))
                if event.tag is not None:
                    self._tag(event, _Y + frame.kind)
                if event.anchor is not None:
                    self._new_anchor(event)
                    self.anchors[event.anchor] = frame
                stack.append(frame)
                top = frame
                continue
            elif kind in self._ends:
                frame = stack.pop()
                top = stack[-1] if stack else None
                span = self.block_span(frame.start.start_mark, event.end_mark)
                if frame.kind == "seq":
                    done = new_node(Node, ("seq", tuple(frame.items), span, None, False))
                else:
                    entries = frame.items
                    for k, v in frame.merged:
                        if k.text not in frame.seen:
                            frame.seen[k.text or ""] = k
                            entries.append((k, v))
                    done = new_node(Node, ("map", tuple(entries), span, None, False))
                size = frame.size
                if frame.anchor is not None:
                    self.anchors[frame.anchor] = (done, size)
            else:  # pragma: no cover - the parser gives only node events inside a document
                raise AssertionError(f"unexpected YAML event {event!r}")
            if top is None:
                return done if done.value is not _MERGE_KEY else Node("scalar", "<<", done.at, "<<")
            key = top.key
            if type(key) is Node and done.value is not _MERGE_KEY:  # the value of a key just read: the common case
                top.size += size
                top.key = None
                top.items.append((key, done))
                continue
            self._add(top, done, size)

    def _add(self, frame: _Frame, node: Node, size: int) -> None:
        frame.size += size
        key = frame.key
        if frame.kind == "map" and key is None:  # this node is a key
            frame.key = self._key(frame, node)
            return
        if node.value is _MERGE_KEY:  # `<<` written as a value is text
            node = Node("scalar", "<<", node.at, "<<")
        if frame.kind == "seq":
            frame.items.append(node)
            return
        frame.key = None
        if key is _SKIP:
            return
        if key is _MERGE_KEY:
            self._merge(frame, node)
            return
        frame.items.append((key, node))

    def _key(self, frame: _Frame, node: Node):
        if node.kind != "scalar":
            self.diagnostics.append(F102.complex_key.at(node.span))
            return _SKIP
        if node.value is _MERGE_KEY:
            return _MERGE_KEY
        return self._key_text(frame, node.text or "", node.at, node.quoted)

    def _key_text(self, frame: _Frame, text: str, at, quoted: bool):
        """The key node (`at` a Span or a position tuple), or _SKIP for a key written twice (F105)."""
        if text in frame.seen:
            first = frame.seen[text].span
            self.diagnostics.append(F105.at(span_of(at), key=text, line=first.line, column=first.column))
            return _SKIP
        key = frame.seen[text] = tuple.__new__(Node, ("scalar", text, at, text, quoted))
        return key

    def _merge(self, frame: _Frame, value: Node) -> None:
        names: set[str] = set()
        for source in value.items if value.kind == "seq" else (value,):
            if source.kind != "map":
                self.diagnostics.append(F102.merge.at(source.span))
                continue
            for k, v in source.entries:
                if k.text not in names:  # earlier sources win, as in YAML's merge rule
                    names.add(k.text or "")
                    frame.merged.append((k, v))

    def _implicit_tag(self, text: str) -> str:
        """The tag the safe loader's implicit resolvers give a plain scalar's text (str when none matches)."""
        resolvers = self._resolvers.get(text[0], self._wildcard) if text else self._empty
        for candidate, pattern in resolvers:
            if pattern.match(text):
                return candidate
        return _Y + "str"

    def _plain_value(self, text: str, event, at):
        """A plain scalar's value, typed by the safe loader's implicit resolvers and constructors; remembered
        (PLAIN_VALUES texts at most) when it is one of YAML's core scalars, whose typing depends on the text alone."""
        tag = self._implicit_tag(text)
        if tag == _Y + "str":
            value = text
        elif tag in _SCALAR_TAGS:
            value = self._construct(tag, event, None)
        else:  # a merge key, or a tag of YAML's that a facility cannot use (F102): never remembered
            return self._construct(tag, event, span_of(at))
        if len(self._plain) >= PLAIN_VALUES:  # full of figures written once: start again, the common texts come back
            self._plain.clear()
        self._plain[text] = value
        return value

    def _scalar_node(self, event) -> Node:
        text = event.value
        style = event.style
        span = self.span(event.start_mark, event.end_mark)
        tag = event.tag
        if event.anchor is not None:
            self._new_anchor(event)
        if tag is None or tag == "!":
            if style or not event.implicit[0]:  # quoted (or a block scalar): text
                node = Node("scalar", text, span, text, style in ("'", '"'))
                if event.anchor is not None:
                    self.anchors[event.anchor] = (node, 1)
                return node
            tag = self._implicit_tag(text)
        value = text if tag == _Y + "str" else self._construct(tag, event, span)
        node = Node("scalar", value, span, text, style in ("'", '"'))
        if event.anchor is not None:
            self.anchors[event.anchor] = (node, 1)
        return node

    def _construct(self, tag: str, event, span: Span):
        if tag == _MERGE:
            return _MERGE_KEY if event.value == "<<" else event.value
        if tag not in _SCALAR_TAGS:
            self.diagnostics.append(F102.tag.at(span, problem=_unknown_tag(tag)))
            return event.value
        constructor = self._constructor.yaml_constructors[tag]
        try:
            return constructor(self._constructor, self._ScalarNode(tag, event.value, event.start_mark, event.end_mark))
        except Exception:  # noqa: BLE001 - e.g. 2025-02-30, or `!!float ""`: keep the text, the field checks it

            return event.value

    def _tag(self, event, expected: str) -> None:
        tag = event.tag
        if tag is not None and tag != "!" and tag != expected:
            self.diagnostics.append(F102.tag.at(self.span(event.start_mark, event.end_mark), problem=_unknown_tag(tag)))

    def _alias_node(self, event, stack: list[_Frame]) -> tuple[Node, int]:
        found = self.anchors.get(event.anchor)
        span = self.span(event.start_mark, event.end_mark)
        if found is None:
            yaml = _types()
            self._stop(_syntax(self.file, yaml.composer.ComposerError(
                None, None, f"found undefined alias {event.anchor!r}", event.start_mark), self.line_base))
        if isinstance(found, _Frame):  # the alias sits inside the collection it names
            self.diagnostics.append(F102.recursive_alias.at(span))
            return Node("scalar", None, span, ""), 1
        node, size = found
        self.repeated += size
        if self.repeated > ALIAS_BUDGET + ALIAS_FACTOR * self.written:
            self._stop(F102.aliases.at(span, limit=f"{ALIAS_BUDGET:,}", factor=ALIAS_FACTOR))
        return node, size

    def _new_anchor(self, event) -> None:
        if event.anchor in self.anchors:
            yaml = _types()
            found = self.anchors[event.anchor]
            first = found.start.start_mark if isinstance(found, _Frame) else _Mark(found[0].span, self.line_base)
            self._stop(_syntax(self.file, yaml.composer.ComposerError(
                f"found duplicate anchor {event.anchor!r}; first occurrence", first, "second occurrence",
                event.start_mark), self.line_base))

    def _stop(self, diagnostic: Diagnostic):
        self.diagnostics.append(diagnostic)
        raise Stop()


class _Mark:
    """A mark rebuilt from a span (for a message naming where an anchor was first written)."""

    def __init__(self, span: Span, line_base: int):
        self.line, self.column = span.line - 1 - line_base, span.column - 1


def _unknown_tag(tag: str) -> str:
    shown = "!!" + tag[len(_Y):] if tag.startswith(_Y) else tag
    return f"could not determine a constructor for the tag {shown!r}"


def _syntax(file: str, exc, line_base: int = 0) -> Diagnostic:
    from .yaml_nodes import _syntax_error

    diagnostic = _syntax_error(file, exc)
    if line_base and diagnostic.span is not None:
        s = diagnostic.span
        diagnostic = Diagnostic(diagnostic.code, diagnostic.message,
                                Span(s.file, s.line + line_base, s.column, s.end_line + line_base, s.end_column),
                                diagnostic.hint)
    return diagnostic
