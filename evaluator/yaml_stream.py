"""A portfolio read entry by entry: its `facilities` list built one facility at a time, so memory stays flat.

libyaml (PyYAML's CParser) produces the events from text handed to it a piece at a time (a file is
read a megabyte at a time and never held whole, evaluator/register_file.py); evaluator/yaml_events.py
turns one entry's events into located Nodes, exactly as the whole-document loader would. Streaming is
only chosen where it cannot change the meaning: the root is a block mapping whose last key is
`facilities`, holding a block list (so `operator` and `dcpolicy` are read before the first entry).
Anything else is left to `yaml_nodes.load_yaml`. A syntax error is worded by PyYAML's own parser over
the whole text, read again only then.
"""

from __future__ import annotations

import re
from typing import Callable, Iterator

from ..dsl.facility_messages import F105

from .yaml_events import EventReader, Stop
from .yaml_nodes import Node, event_parser, located_syntax_error

_FACILITIES_KEY = re.compile(r"^(?P<indent> *)facilities *:[ \t]*(#.*)?$", re.M)


def _later(indent: int) -> re.Pattern:
    """A line at or left of the `facilities:` key's column that is not a list item or a comment."""
    return re.compile(r"^ {%d}[^ \-#\n\r]" % indent + (r"|^ {0,%d}[^ #\n\r]" % (indent - 1) if indent else ""),
                      re.M)


class ShapeCheck:
    """Whether a document looks like a block-mapping portfolio whose last key is a block `facilities` list:
    the `facilities:` key alone on its line, once, and no later line at or left of that key's column but
    list items and comments. Fed whole lines, a piece at a time; `StreamedPortfolio.open` confirms the
    shape from the events."""

    def __init__(self):
        self.found = 0
        self.later: re.Pattern | None = None
        self.broken = False

    def feed(self, lines: str) -> None:
        if self.broken:
            return
        for match in _FACILITIES_KEY.finditer(lines):
            self.found += 1
            if self.found > 1:
                self.broken = True
                return
            self.later = _later(len(match["indent"]))
            if self.later.search(lines, match.end()):
                self.broken = True
            return
        if self.later is not None and self.later.search(lines):
            self.broken = True

    @property
    def streamable(self) -> bool:
        return self.found == 1 and not self.broken


def streamable(text: str) -> bool:
    """ShapeCheck over a whole text (stdin)."""
    if not libyaml():
        return False
    check = ShapeCheck()
    check.feed(text)
    return check.streamable


def libyaml() -> bool:
    try:
        import yaml._yaml  # noqa: F401 - libyaml; without it every document is loaded whole
    except ImportError:
        return False
    return True


class StreamedPortfolio:
    """The root of a portfolio without its entries (`facilities` is an empty list node), and `entries()`.
    `feed` hands the text to the parser (`read(size)`, `width_of(end_mark)`); `whole_text()` gives the
    text again, for the wording of a syntax error."""

    def __init__(self, feed, file: str, whole_text: Callable[[], str]):
        self.file = file
        self.whole_text = whole_text
        self.parser = event_parser(feed)
        self.reader = EventReader(self.parser, file, feed.width_of)
        self.diagnostics = self.reader.diagnostics
        self.root: Node | None = None

    def open(self) -> bool:
        """Read up to the first entry; False (nothing consumed that matters) if the shape is not as expected."""
        import yaml

        parser, reader = self.parser, self.reader
        try:
            parser.get_event()  # stream start
            parser.get_event()  # document start
            start = parser.get_event()
            if not isinstance(start, yaml.MappingStartEvent) or start.flow_style or start.tag not in (None, "!"):
                return False
            entries: list[tuple[Node, Node]] = []
            seen: dict[str, Node] = {}
            while not parser.check_event(yaml.MappingEndEvent):
                key = reader.node(1)
                if key.kind == "scalar" and key.text in seen:
                    first = seen[key.text].span
                    reader.diagnostics.append(F105.at(key.span, key=key.text, line=first.line, column=first.column))
                seen.setdefault(key.text or "", key)
                if key.kind == "scalar" and key.text == "facilities" and parser.check_event(yaml.SequenceStartEvent):
                    event = parser.get_event()
                    if event.flow_style or event.anchor is not None or event.tag not in (None, "!"):
                        return False
                    entries.append((key, Node("seq", (), reader.span(event.start_mark, event.end_mark))))
                    break
                entries.append((key, reader.node(1)))
            else:
                return False
        except (yaml.YAMLError, Stop):
            return False
        self.root = Node("map", tuple(entries), reader.span(start.start_mark, start.end_mark))
        return True

    def entries(self) -> Iterator[Node]:
        """Each entry of `facilities` as a located Node; a syntax error ends the list with its F102."""
        import yaml

        parser, reader = self.parser, self.reader
        try:
            while not parser.check_event(yaml.SequenceEndEvent):
                reader.forget_anchors()
                yield reader.node(2)
            for _ in range(3):  # the ends of the list, the root mapping and the document
                parser.get_event()
            if not parser.check_event(yaml.StreamEndEvent):  # a second document: worded as always
                extra = parser.get_event()
                raise yaml.composer.ComposerError("expected a single document in the stream", None,
                                                  "but found another document", extra.start_mark)
        except Stop:
            pass  # the depth or alias problem is recorded; the rest of the list cannot be trusted
        except yaml.YAMLError as exc:
            self.diagnostics.append(located_syntax_error(self.whole_text(), self.file, exc))
        finally:
            parser.dispose()


class TextFeed:
    """Text handed to libyaml a piece at a time (given a whole string, it would keep a UTF-8 copy of it for the
    whole run), keeping the last pieces to measure the line before a block collection's end."""

    KEEP = 8  # pieces kept: libyaml reads a few kilobytes ahead of the events it gives

    def __init__(self, pieces: Iterator[str]):
        self.pieces = pieces
        self.current = ""
        self.at = 0
        self.recent: list[tuple[int, str]] = []  # (index of its first character, piece) as handed out
        self.handed = 0

    def read(self, size: int = -1) -> str:
        while self.at >= len(self.current):
            self.current = next(self.pieces, None)
            self.at = 0
            if self.current is None:
                self.current = ""
                return ""
        end = len(self.current) if size is None or size < 0 else self.at + size
        piece = self.current[self.at:end]
        self.at += len(piece)
        self.recent.append((self.handed, piece))
        self.handed += len(piece)
        if len(self.recent) > 2 * self.KEEP:
            del self.recent[:self.KEEP]
        return piece

    def width_of(self, end) -> int | None:
        """len() of the line before the one `end` (a mark at a line's start) is on, if still at hand."""
        if not self.recent:
            return None
        first = self.recent[0][0]
        line_start = end.index - end.column - first
        window = "".join(piece for _, piece in self.recent)
        if not 0 < line_start <= len(window):
            return None
        window = window[:line_start]
        window = window[:-2] if window.endswith("\r\n") else window[:-1]  # the line break itself
        begin = max(window.rfind("\n"), window.rfind("\r")) + 1
        if begin == 0 and first > 0:
            return None  # the line starts before the pieces at hand
        return len(window) - begin


def text_pieces(text: str, size: int = 1 << 20) -> Iterator[str]:
    for start in range(0, len(text), size):
        yield text[start:start + size]
