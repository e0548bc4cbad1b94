"""`--jobs` on one register: what a worker renders goes to a file, and the kernel copies it to the output.

A share of 1,250 facilities renders to about 50 MB of JSON lines. Sent back through the pool's pipe, that
text was joined, pickled, piped, read, unpickled, joined again and encoded on the way out: measured at
10,000 facilities, 800,000 page faults and a sixth of a `--jobs 2` run's CPU, much of it in the parent,
which is the one process that cannot be parallel. Instead each worker encodes its text once, as the output
is encoded, into its own file in a private folder (`Folder`), and hands back where each part lies (`Span`);
the parent writes a batch's parts in input order (`Spooled`), the spans with os.sendfile, and removes a
file once every part of it is written. Only a stream with a file descriptor is spooled (cli/evaluate.py).
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile

from ..dsl.data import frozen

_READ = 1 << 20
# sendfile cannot write to this output (an O_APPEND file or a device: EINVAL; macOS, whose sendfile writes only to
# sockets: ENOTSOCK; an old or odd kernel: ENOSYS): copy by reading
_CANNOT_SENDFILE = (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSOCK, errno.ESPIPE)


@frozen
class Encoding:
    """How the output stream encodes text (its encoding and error handler), so the bytes are the stream's own."""

    name: str
    errors: str


@frozen
class Span:
    path: str
    offset: int
    length: int


@frozen
class Spooled:
    """A batch's output in order: texts written as they are, spans copied from the workers' files."""

    pieces: tuple  # str | Span

    def write_to(self, stream) -> None:
        for piece in self.pieces:
            if isinstance(piece, str):
                stream.write(piece)
            else:
                stream.flush()
                _copy(piece, stream)

    def paths(self) -> set[str]:
        return {piece.path for piece in self.pieces if isinstance(piece, Span)}


def joined(pieces) -> str | Spooled:
    """The pieces as one text when none is spooled; otherwise a Spooled, neighbouring pieces merged (a batch's
    groups from one share lie one after the other in its file, so they are copied in one call)."""
    if not any(isinstance(piece, Span) for piece in pieces):
        return "".join(pieces)
    merged: list = []
    texts: list[str] = []
    for piece in pieces:
        if isinstance(piece, str):
            texts.append(piece)
            continue
        if texts:
            merged.append("".join(texts))
            texts = []
        last = merged[-1] if merged else None
        if isinstance(last, Span) and last.path == piece.path and last.offset + last.length == piece.offset:
            merged[-1] = Span(last.path, last.offset, last.length + piece.length)
        else:
            merged.append(piece)
    if texts:
        merged.append("".join(texts))
    return Spooled(tuple(piece for piece in merged if piece != ""))


class Folder:
    """The parent's private folder of workers' files (mode 0700, under the temporary directory), removed at the
    end whatever happened; None from `make` when none can be made (the text then comes back through the pipe)."""

    def __init__(self, path: str):
        self.path = path

    @classmethod
    def make(cls) -> Folder | None:
        try:
            return cls(tempfile.mkdtemp(prefix="dcpolicy-jobs-"))
        except OSError:
            return None

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


class Writer:
    """In a worker: one share's texts appended to a new file of the folder; `add` says where each lies."""

    def __init__(self, folder: str, name: str, encoding: Encoding):
        self.path = os.path.join(folder, name)
        self.encoding = encoding
        self.offset = 0
        self.fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)

    def add(self, text: str) -> Span:
        data = memoryview(text.encode(self.encoding.name, self.encoding.errors))
        span = Span(self.path, self.offset, len(data))
        while data:
            data = data[os.write(self.fd, data):]
        self.offset += span.length
        return span

    def close(self) -> None:
        os.close(self.fd)


def _copy(span: Span, stream) -> None:
    out = stream.fileno()
    with open(span.path, "rb") as source:
        offset, left = span.offset, span.length
        while left:
            try:
                sent = os.sendfile(out, source.fileno(), offset, left)
            except OSError as err:
                if err.errno not in _CANNOT_SENDFILE:
                    raise
                _copy_by_reading(source, offset, left, stream)
                return
            if not sent:
                raise OSError(errno.EIO, f"{span.path} is shorter than its worker wrote")
            offset += sent
            left -= sent


def _copy_by_reading(source, offset: int, left: int, stream) -> None:
    source.seek(offset)
    while left:
        data = source.read(min(left, _READ))
        if not data:
            raise OSError(errno.EIO, f"{source.name} is shorter than its worker wrote")
        stream.buffer.write(data)
        left -= len(data)
    stream.buffer.flush()
