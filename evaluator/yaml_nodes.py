"""YAML nodes with spans: loading that keeps where every key and value was written, and rejects duplicate keys.

PyYAML's composer builds a node graph with start and end marks (0-based line and column);
this module turns that graph into small :class:`Node` objects with 1-based spans, constructs
scalar values with the safe constructor (so ``2025-01-01`` is a ``datetime.date`` and ``0.55``
a float, exactly as ``yaml.safe_load`` would), and reports problems as diagnostics instead of
raising: a syntax error is ``F102``, a key written twice in one mapping is ``F105``.

Merge keys (``<<: *defaults``) are honoured: the merged entries keep the spans of the anchor
they come from, and keys written in the mapping itself override them without complaint.
"""

from __future__ import annotations

from array import array

import attrs

from ..dsl.diagnostics import Diagnostic, Span
from ..dsl.facility_messages import F102, F105

_NULL = "tag:yaml.org,2002:null"
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"


@attrs.frozen(eq=False)
class Node:
    """One YAML node with its position.

    ``kind`` is ``"map"``, ``"seq"`` or ``"scalar"``. For a map, ``value`` is a tuple of
    ``(key_node, value_node)`` pairs in the order written (duplicates removed); for a seq, a
    tuple of nodes; for a scalar, the constructed Python value (``None`` for null).
    ``text`` is a scalar's text as written (without quotes), ``None`` for collections.
    """

    kind: str
    value: object
    span: Span
    text: str | None = None
    quoted: bool = False

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


def _mark_span(file: str, mark, width: int = 1) -> Span:
    return Span.point(file, mark.line + 1, mark.column + 1, width)


def load_yaml(text: str, file: str) -> tuple[Node | None, list[Diagnostic]]:
    """Parse one YAML document. Returns (root node or None for an empty document, diagnostics).

    On a syntax error the root is None and the only diagnostic is an ``F102``.
    """
    import yaml

    # libyaml composes the same node graph with the same marks, several times faster; its error
    # messages are terser, so a document that fails is parsed again by PyYAML for the diagnostic.
    fast = getattr(yaml, "CSafeLoader", None)
    loaders = [fast, yaml.SafeLoader] if fast is not None else [yaml.SafeLoader]
    for loader_class in loaders:
        loader = loader_class(text)
        try:
            try:
                root = loader.get_single_node()
            except yaml.MarkedYAMLError as exc:
                if loader_class is not yaml.SafeLoader:
                    continue
                return None, [_syntax_error(file, exc)]
            except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
                if loader_class is not yaml.SafeLoader:
                    continue
                return None, [F102.at(Span.point(file, 1, 1), problem=exc, hint=None)]
            if root is None:
                return None, []
            builder = _Builder(file, loader, text)
            return builder.build(root), builder.diagnostics
        finally:
            loader.dispose()
    raise AssertionError("unreachable: the pure-Python loader always returns")


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


class _Builder:
    def __init__(self, file: str, loader, text: str):
        self.file = file
        self.widths = _line_widths(text)  # a block collection's last line ends its span
        self.loader = loader
        self.diagnostics: list[Diagnostic] = []
        self._done: dict[int, Node] = {}
        self._active: set[int] = set()

    def span(self, node) -> Span:
        start, end = node.start_mark, node.end_mark
        if end.line > start.line and end.column == 0:
            # Block collections end at the start of the following line: end at the previous one.
            last = end.line - 1
            width = self.widths[last] if last < len(self.widths) else start.column + 1
            if last == start.line:
                width = max(width, start.column + 1)
            return Span(self.file, start.line + 1, start.column + 1, last + 1, width + 1)
        return Span(self.file, start.line + 1, start.column + 1, end.line + 1, max(end.column + 1, start.column + 2))

    def build(self, node) -> Node:
        import yaml

        key = id(node)
        if key in self._done:
            return self._done[key]
        if key in self._active:
            self.diagnostics.append(
                F102.recursive_alias.at(self.span(node))
            )
            return Node("scalar", None, self.span(node), "")
        self._active.add(key)
        try:
            if isinstance(node, yaml.MappingNode):
                out = self._mapping(node)
            elif isinstance(node, yaml.SequenceNode):
                out = Node("seq", tuple(self.build(n) for n in node.value), self.span(node))
            else:
                out = self._scalar(node)
        finally:
            self._active.discard(key)
        self._done[key] = out
        return out

    def _scalar(self, node) -> Node:
        import yaml

        quoted = node.style in ("'", '"')
        try:
            value = self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            self.diagnostics.append(
                F102.tag.at(self.span(node), problem=exc.problem)
            )
            value = node.value
        except (ValueError, OverflowError):
            # e.g. an impossible timestamp such as 2025-02-30: keep the text, the field checks it.
            value = node.value
        return Node("scalar", value, self.span(node), node.value, quoted)

    def _mapping(self, node) -> Node:
        import yaml

        own: list[tuple[Node, Node]] = []
        merged: list[tuple[Node, Node]] = []
        seen: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged.extend(self._merge_entries(value_node))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.diagnostics.append(
                    F102.complex_key.at(self.span(key_node))
                )
                continue
            k = Node("scalar", key_node.value, self.span(key_node), key_node.value, key_node.style in ("'", '"'))
            text = key_node.value
            if text in seen:
                first = seen[text].span
                self.diagnostics.append(
                    F105.at(k.span, key=text, line=first.line, column=first.column)
                )
                continue
            seen[text] = k
            own.append((k, self.build(value_node)))
        entries = list(own)
        for k, v in merged:
            if k.text not in seen:
                seen[k.text or ""] = k
                entries.append((k, v))
        return Node("map", tuple(entries), self.span(node))

    def _merge_entries(self, value_node) -> list[tuple[Node, Node]]:
        import yaml

        sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        out: list[tuple[Node, Node]] = []
        names: set[str] = set()
        for source in sources:
            if not isinstance(source, yaml.MappingNode):
                self.diagnostics.append(
                    F102.merge.at(self.span(source))
                )
                continue
            built = self.build(source)
            for k, v in built.entries:
                if k.text not in names:  # earlier sources win, as in YAML's merge rule
                    names.add(k.text or "")
                    out.append((k, v))
        return out
