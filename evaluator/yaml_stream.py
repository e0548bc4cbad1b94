"""A portfolio read entry by entry: its `facilities` list composed one facility at a time, so memory stays flat.

libyaml (PyYAML's CParser) produces the events; PyYAML's composer builds one entry's node graph at
a time and yaml_nodes' builder turns it into located Nodes, exactly as the whole-document loader
would. Streaming is only chosen where it cannot change the meaning: the root is a block mapping
whose last key is `facilities`, holding a block list (so `operator` and `dcpolicy` are read
before the first entry). Anything else, and any syntax error, is left to `yaml_nodes.load_yaml`.
"""

from __future__ import annotations

import functools
import re
from typing import Iterator

from .yaml_nodes import Node, _Builder, load_yaml

_FACILITIES_KEY = re.compile(r"^(?P<indent> *)facilities *:[ \t]*(#.*)?$", re.M)


def streamable(text: str) -> bool:
    """Whether the document looks like a block-mapping portfolio whose last key is a block `facilities` list:
    the `facilities:` key alone on its line, once, and no later line at or left of that key's column
    but list items and comments. `StreamedPortfolio.open` confirms the shape from the events."""
    try:
        import yaml._yaml  # noqa: F401 - libyaml; without it every document is loaded whole
    except ImportError:
        return False
    found = list(_FACILITIES_KEY.finditer(text))
    if len(found) != 1:
        return False
    indent = len(found[0]["indent"])
    later = r"^ {%d}[^ \-#\n\r]" % indent + (r"|^ {0,%d}[^ #\n\r]" % (indent - 1) if indent else "")
    return re.search(later, text[found[0].end():], re.M) is None


class StreamedPortfolio:
    """The root of a portfolio without its entries (`facilities` is an empty list node), and `entries()`."""

    def __init__(self, text: str, file: str):
        import yaml

        self._yaml = yaml
        self.file = file
        self.text = text
        self.loader = _event_loader()(_Chunks(text))
        self.builder = _Builder(file, self.loader, text)
        self.diagnostics = self.builder.diagnostics
        self.root: Node | None = None
        self._entries_node = None

    def open(self) -> bool:
        """Read up to the first entry; False (nothing consumed that matters) if the shape is not as expected."""
        yaml = self._yaml
        loader = self.loader
        try:
            loader.get_event()  # stream start
            loader.get_event()  # document start
            start = loader.get_event()
            if not isinstance(start, yaml.MappingStartEvent) or start.flow_style:
                return False
            pairs = []
            while not loader.check_event(yaml.MappingEndEvent):
                key = loader.compose_node(None, None)
                if isinstance(key, yaml.ScalarNode) and key.value == "facilities" and loader.check_event(
                        yaml.SequenceStartEvent):
                    event = loader.get_event()
                    if event.flow_style:
                        return False
                    self._entries_node = yaml.SequenceNode("tag:yaml.org,2002:seq", [], event.start_mark,
                                                           event.end_mark, flow_style=False)
                    pairs.append((key, self._entries_node))
                    break
                pairs.append((key, loader.compose_node(None, None)))
            else:
                return False
        except yaml.YAMLError:
            return False
        root = yaml.MappingNode("tag:yaml.org,2002:map", pairs, start.start_mark, start.end_mark, flow_style=False)
        self.root = self.builder.build(root)
        return True

    def entries(self) -> Iterator[Node]:
        """Each entry of `facilities` as a located Node; a syntax error ends the list with its F102."""
        yaml = self._yaml
        loader = self.loader
        try:
            index = 0
            while not loader.check_event(yaml.SequenceEndEvent):
                node = loader.compose_node(self._entries_node, index)
                index += 1
                self.builder._done = {}  # entries are independent: forget the last one's nodes
                loader.constructed_objects = {}
                yield self.builder.build(node)
            for _ in range(3):  # the ends of the list, the root mapping and the document
                loader.get_event()
            if not loader.check_event(yaml.StreamEndEvent):  # a second document: worded as always
                self.diagnostics.extend(load_yaml(self.text, self.file)[1])
        except yaml.YAMLError:
            _, problems = load_yaml(self.text, self.file)  # the located syntax error, worded as always
            self.diagnostics.extend(problems)
        finally:
            loader.dispose()


class _Chunks:
    """The text handed to libyaml a piece at a time: given the whole string, it would keep a UTF-8 copy of
    it for the whole run (another register's worth of memory)."""

    def __init__(self, text: str):
        self.text = text
        self.at = 0

    def read(self, size: int = -1) -> str:
        end = len(self.text) if size is None or size < 0 else self.at + size
        piece = self.text[self.at:end]
        self.at += len(piece)
        return piece


@functools.cache
def _event_loader():
    """libyaml's parser with PyYAML's composer, safe constructor and resolver (the class made once)."""
    import yaml
    from yaml._yaml import CParser
    from yaml.composer import Composer

    class EventLoader(CParser, Composer, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        def __init__(self, stream):
            CParser.__init__(self, stream)
            Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    return EventLoader
