"""A register file read a megabyte at a time: its hash, UTF-8 check and shape first, then its text in pieces.

A streamed run never holds a register's text whole (100,000 facilities are about 180 MB of YAML): a
first pass over the bytes computes the sha256 the results cite, checks the text is UTF-8 and whether
it is a portfolio that can be read entry by entry (evaluator/yaml_stream.py `ShapeCheck`); the second
pass hands the decoded text to libyaml in pieces. The whole text is read again only to show an
excerpt of an error (the diagnostics' sources) or to word a syntax error.
"""

from __future__ import annotations

import codecs
import hashlib
from typing import Iterator

from ..dsl.data import frozen
from .yaml_stream import ShapeCheck, libyaml

CHUNK = 1 << 20


@frozen
class Scan:
    sha256: str
    streamable: bool
    utf8: bool  # False: the caller reads the file whole and reports where the bad byte is


def scan(path: str) -> Scan:
    """One pass over the file's bytes (OSError as opening and reading raise it)."""
    digest = hashlib.sha256()
    check = ShapeCheck()
    for piece in _lines(path, digest):
        if piece is None:
            return Scan(digest.hexdigest(), False, False)
        check.feed(piece)
    return Scan(digest.hexdigest(), check.streamable and libyaml(), True)


def pieces(path: str) -> Iterator[str]:
    """The file's text (UTF-8, a leading BOM dropped) in pieces of about a megabyte, each ending a line."""
    for piece in _lines(path, None):
        if piece is None:  # pragma: no cover - the scan found it UTF-8
            raise UnicodeDecodeError("utf-8", b"", 0, 1, "changed since it was read")
        yield piece


def read_text(path: str) -> str:
    """The whole text, for an error's excerpt ("" when it cannot be read again)."""
    try:
        with open(path, "rb") as handle:
            return handle.read().decode("utf-8-sig", "replace")
    except OSError:
        return ""


def _lines(path: str, digest) -> Iterator[str | None]:
    """Decoded pieces that end at a line break (the last one where the file ends); None for bytes that are
    not UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    carry = ""
    with open(path, "rb") as handle:
        while True:
            data = handle.read(CHUNK)
            if digest is not None:
                digest.update(data)
            try:
                text = carry + decoder.decode(data, final=not data)
            except UnicodeDecodeError:
                yield None
                return
            if not data:
                if text:
                    yield text
                return
            cut = max(text.rfind("\n"), text.rfind("\r")) + 1
            if cut == 0:
                carry = text
                continue
            carry = text[cut:]
            yield text[:cut]
