"""A large portfolio split into shares of whole entries by byte offset, so that each worker reads and loads its own.

`--jobs N` on a register (cli/split_stream.py): the parent finds where each entry of the `facilities` list
starts (a line `- ` at the list's indentation, found in the bytes, not parsed) and hands each worker a
byte range; the worker reads just that range and loads its entries with the located loader
(evaluator/yaml_events.py), its lines numbered as in the file. A split that a line of the file could
fool (an entry line inside a multi-line quoted value) leaves a share that does not parse: the worker
says so, and the parent reads on the ordinary way. Splitting is only tried on files it cannot misread
otherwise: UTF-8 with `\\n` line ends, one `facilities:` key, every entry a mapping.
"""

from __future__ import annotations

import re

from ..dsl.data import frozen
from ..dsl.diagnostics import Diagnostic

from .documents import read_facility
from .facts import Facility, SourceFile
from .yaml_events import EventReader, Stop
from .yaml_nodes import event_parser
from .yaml_stream import TextFeed, text_pieces

CHUNK = 1 << 20
_KEY = re.compile(rb"^(?P<indent> *)facilities *:[ \t]*(#.*)?$", re.M)
_CONTENT = re.compile(rb"^(?P<indent> *)(?P<first>[^ #\n])", re.M)


@frozen
class Share:
    start: int  # byte offset of the line its first entry starts on
    end: int  # byte offset after its last entry (the next share's start, or the end of the file)
    line: int  # 0-based line number of `start`
    entries: int
    before: tuple[int, int, int] | None = None  # the entry before it: (start, end, line), whose operator tells
    after: tuple[int, int, int] | None = None  # the entry after it           whether the edge groups go on


class NotSplit(Exception):
    """A share that cannot be read on its own (the parent then reads the register the ordinary way)."""


def shares(path: str, size: int) -> list[Share] | None:
    """The file's `facilities` entries in shares of `size` (the last may be smaller); None when the file is not
    one to split (see the module's words) or has fewer than two shares."""
    offset, line, count = 0, 0, 0
    entry_line: re.Pattern | None = None
    found_key = False
    marks: dict[int, tuple[int, int]] = {}  # entry index -> (byte offset, line), around each share's edges
    for text in _whole_lines(path):
        if text is None:
            return None
        at = 0
        if not found_key:
            match = _KEY.search(text)
            found_key, at = match is not None, match.end() if match else 0
        if found_key and entry_line is None:
            first = _CONTENT.search(text, at)
            if first is not None:
                if first["first"] != b"-":
                    return None
                entry_line = re.compile(rb"^ {%d}-(?=[ \n])" % len(first["indent"]), re.M)
                at = first.start()
        if entry_line is not None:
            counted, counted_line = 0, line
            for match in entry_line.finditer(text, at):
                if count % size in (0, 1, size - 1):  # a share's first entry, the one after it, its last
                    counted_line += text.count(b"\n", counted, match.start())
                    counted = match.start()
                    marks[count] = (offset + match.start(), counted_line)
                count += 1
        line += text.count(b"\n")
        offset += len(text)
    if count <= size:
        return None

    def entry(index: int) -> tuple[int, int, int] | None:
        if not 0 <= index < count:
            return None
        stop = marks[index + 1][0] if index + 1 < count else offset
        return (marks[index][0], stop, marks[index][1])

    out = []
    for first in range(0, count, size):
        last = min(first + size, count)
        start, line = marks[first]
        out.append(Share(start, marks[last][0] if last < count else offset, line, last - first,
                         entry(first - 1), entry(last)))
    return out


def merged(parts: list[Share], count: int) -> list[Share]:
    """Every `count` neighbouring shares as one (the file is scanned once, at the smallest size)."""
    if count <= 1:
        return parts
    out = []
    for first in range(0, len(parts), count):
        run = parts[first:first + count]
        out.append(Share(run[0].start, run[-1].end, run[0].line, sum(s.entries for s in run), run[0].before,
                         run[-1].after))
    return out


def _whole_lines(path: str):
    """The file's bytes a megabyte at a time, each piece ending a line; None for a `\\r` (only `\\n` is split)."""
    carry = b""
    with open(path, "rb") as handle:
        while True:
            data = handle.read(CHUNK)
            if b"\r" in data:
                yield None
                return
            if not data:
                if carry:
                    yield carry
                return
            text = carry + data
            cut = text.rfind(b"\n") + 1
            text, carry = text[:cut], text[cut:]
            if text:
                yield text


def read_share(path: str, share: Share, source: SourceFile, operator: str | None) -> list[Facility]:
    """The share's facilities, located as in the whole file; NotSplit for anything but valid mapping entries
    (a problem is then found, and worded, by the ordinary reading)."""
    out = _load(path, share.start, share.end, share.line, source, operator)
    if len(out) != share.entries:
        raise NotSplit()
    return out


def neighbour(path: str, entry: tuple[int, int, int] | None, source: SourceFile, operator: str | None):
    """The facility of the entry just before or after a share (None at the list's ends)."""
    if entry is None:
        return None
    found = _load(path, *entry, source, operator)
    if len(found) != 1:
        raise NotSplit()
    return found[0]


def _load(path: str, start: int, end: int, line: int, source: SourceFile, operator: str | None) -> list[Facility]:
    with open(path, "rb") as handle:
        handle.seek(start)
        data = handle.read(end - start)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise NotSplit() from None
    import yaml

    feed = TextFeed(text_pieces(text))
    parser = event_parser(feed)
    reader = EventReader(parser, source.path, feed.width_of, line_base=line)
    problems: list[Diagnostic] = []
    out: list[Facility] = []
    try:
        parser.get_event()  # stream start
        parser.get_event()  # document start
        first = parser.get_event()
        if not isinstance(first, yaml.SequenceStartEvent) or first.flow_style:
            raise NotSplit()
        while not parser.check_event(yaml.SequenceEndEvent):
            reader.forget_anchors()
            node = reader.node(2)
            if node.kind != "map" or reader.diagnostics:
                raise NotSplit()
            _, facility = read_facility(node, source, operator, top_level=False, report=problems.append)
            if problems or facility is None:
                raise NotSplit()
            out.append(facility)
        for _ in range(2):  # the ends of the list and of the document
            parser.get_event()
        if not parser.check_event(yaml.StreamEndEvent):
            raise NotSplit()
    except (yaml.YAMLError, Stop):
        raise NotSplit() from None
    finally:
        parser.dispose()
    return out
