"""Reading an input file within bounds: only regular files, at most a documented size, never a hang.

Every input file (policies, facilities, portfolios, CSV registers, test case files) and standard input
is read through :func:`read_input` / :func:`read_stdin`, so a named pipe, a device such as /dev/zero,
or a file of many gigabytes is refused with a reason instead of blocking or exhausting memory
(issue 12, "Resources"; the limits are documented in docs/facility.md, "Limits"). The refusals are
OSError subclasses with a `strerror`, so a caller that already reports "cannot read FILE: reason"
reports them in the same words. This lives in dsl/ because the policy loader (dsl/) reads files too;
evaluator/ and cli/ import it from here.
"""

from __future__ import annotations

import errno
import os
import re
import stat

from .data import frozen

MIB = 1024 * 1024
# A 100,000-facility register of benchmarks/bench_eval.py is about 93 MB; the default leaves room for
# several times that, and --max-input-size raises it.
DEFAULT_MAX_BYTES = 256 * MIB
STDIN = "<stdin>"


@frozen
class ReadOptions:
    """How input files may be read: the largest size accepted (bytes), and whether a portfolio may
    name files outside its own folder (--max-input-size, --allow-outside)."""

    max_bytes: int = DEFAULT_MAX_BYTES
    allow_outside: bool = False


DEFAULT = ReadOptions()


class NotARegularFile(OSError):
    """A path that names a named pipe, a device, a socket: reading it could block or never end."""


class TooLarge(OSError):
    """A file larger than the input size limit."""


_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def read_input(path: str | os.PathLike, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most `max_bytes`. Raises FileNotFoundError, IsADirectoryError,
    NotARegularFile, TooLarge or another OSError, each with a `strerror` that says why in words."""
    # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer (forever); it has no
    # effect on a regular file. The kind is checked on the open descriptor, so a path swapped between
    # a check and the open cannot slip a pipe through.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except IsADirectoryError:
        raise IsADirectoryError(errno.EISDIR, "it is a directory", str(path)) from None
    try:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, "it is a directory", str(path))
        if not stat.S_ISREG(info.st_mode):
            kind = next((words for test, words in _KINDS if test(info.st_mode)), "not a regular file")
            raise NotARegularFile(errno.EINVAL, f"it is {kind}, not a regular file", str(path))
        if info.st_size > max_bytes:
            raise _too_large(path, info.st_size, max_bytes)
        chunks = []
        total = 0
        while True:  # one read for a regular file; a file that grows while it is read still stops at the limit
            chunk = os.read(descriptor, max_bytes + 1 - total)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise _too_large(path, total, max_bytes)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    finally:
        os.close(descriptor)


def read_stdin(stream, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Standard input's bytes, at most `max_bytes` (`stream`: sys.stdin.buffer). /dev/zero piped in stops here."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large(STDIN, len(data), max_bytes, at_least=True)
    return data


def _too_large(path, size: int, max_bytes: int, at_least: bool = False) -> TooLarge:
    more = "more than " if at_least else ""
    return TooLarge(errno.EFBIG, f"it is {more}{size_words(size)}, over the input size limit of "
                                 f"{size_words(max_bytes)}", str(path))


def size_words(size: int) -> str:
    """A byte count for a message: "256 MiB", "93.1 MiB", "512 bytes"."""
    if size < MIB:
        return f"{size:,} bytes"
    return f"{size / MIB:.1f}".removesuffix(".0") + " MiB"


_SIZE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([KMG]i?B?|B)?\s*$", re.I)
_FACTORS = {"": 1, "B": 1, "K": 1024, "M": MIB, "G": 1024 * MIB}


def parse_size(text: str) -> int:
    """--max-input-size: "512M", "1G", "300MB", "2GiB" or a number of bytes; ValueError with words otherwise."""
    match = _SIZE.match(text)
    if not match:
        raise ValueError(f'"{text}" is not a size; write e.g. 512M, 1G or a number of bytes')
    number, unit = float(match[1]), (match[2] or "").upper()[:1]
    size = int(number * _FACTORS[unit if unit != "B" else ""])
    if size < 1:
        raise ValueError(f'"{text}" is not a size of at least one byte')
    return size


def is_inside(path: str, folder: str) -> bool:
    """Whether `path` lies in `folder` or below it (both compared as given: resolve them first)."""
    try:
        return os.path.commonpath([os.path.abspath(path), os.path.abspath(folder)]) == os.path.abspath(folder)
    except ValueError:  # different drives (Windows)
        return False
