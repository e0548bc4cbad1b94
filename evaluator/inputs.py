"""Input discovery: facility and portfolio files, folders of them and stdin, read into one LoadedInput.

Implements the file side of /work/shared/contracts/facility-v1.md (facility input contract,
version 1). Problems are collected, not raised one by one: :func:`load_inputs` raises a single
:class:`~dcpolicy.dsl.diagnostics.DiagnosticError` listing every problem in every file, each with
file, line, column, an ``F1xx``/``F2xx`` code and a hint, and returns nothing partial.
"""

from __future__ import annotations

import hashlib
import os
import sys

import attrs

from ..dsl.diagnostics import Diagnostic, DiagnosticError, Span
from ..dsl.facility_messages import F101, F102, F104, F108, F205
from ..dsl.files import DEFAULT as DEFAULT_READING
from ..dsl.files import NotARegularFile, TooLarge, read_input

from .documents import document_kind, read_facility, read_portfolio
from .facts import Facility, LoadedInput, SourceFile
from .listed_files import listed_file_problem
from .tabular import is_tabular, read_csv
from .yaml_nodes import Node, load_yaml
from .yaml_stream import StreamedPortfolio, TextFeed, streamable, text_pieces

STDIN = "-"
FOLDER_FILES = (".yaml", ".yml", ".csv")  # what a folder given as input is read for, sorted by name
STREAM_FROM_DISK = 1 << 20  # bytes: a streamed portfolio this large is read from disk in pieces, never held whole
STDIN_NAME = "<stdin>"


def load_inputs(paths: list[str], stdin_text: str | None = None, sink=None, overrides=(),
                reading=DEFAULT_READING) -> LoadedInput:
    """Load facility files, portfolio files, directories (``*.yaml``/``*.yml``/``*.csv`` sorted by name)
    and ``"-"`` (``stdin_text``, shown as ``<stdin>``); ``overrides`` are what-if ``--set`` texts
    (evaluator/overrides.py), written into each facility before it is converted.

    With ``sink``, every facility is handed to ``sink(facility)`` as soon as it is read and settled
    (a portfolio's entries one by one, a folder's files one by one) while no problem has been found,
    and not kept: the LoadedInput returned has no facilities. A portfolio whose last key is its
    `facilities` list is then read entry by entry (evaluator/yaml_stream.py), so memory stays flat.

    Raises DiagnosticError(diagnostics, sources={path: text}) listing every problem found, and
    OverrideError for an override that cannot be read or concerns no facility.
    """
    parsed, override_text = ((), "")
    if overrides:  # evaluator/overrides.py is imported only by a what-if run
        from .overrides import parse_overrides

        parsed, override_text = parse_overrides(overrides)
    loader = _Loader(stdin_text, sink, parsed, reading)
    for path in paths:
        loader.argument(path)
        loader.flush()
    loader.check_overrides_used()
    if loader.diagnostics:
        order = {s.path: i for i, s in enumerate(loader.sources)}

        def key(d: Diagnostic):
            if d.span is None:
                return (len(order) + 1, 0, 0)
            return (order.get(d.span.file, len(order)), d.span.line, d.span.column)

        diagnostics = sorted(loader.diagnostics, key=key)
        texts = {s.path: s.text for s in loader.sources}
        located = {d.span.file for d in diagnostics if d.span is not None}
        for display, real in loader.on_disk.items():  # a streamed register's text, read again for its excerpts
            if display in located:
                from .register_file import read_text

                texts[display] = read_text(real)
        if parsed:
            from .overrides import SOURCE

            texts = {SOURCE: override_text, **texts}
        raise DiagnosticError(diagnostics, sources=texts)
    return LoadedInput(tuple(loader.facilities), tuple(loader.sources), tuple(loader.applied))


def load_facility_nodes(nodes, path: str, text: str, source: SourceFile | None = None) -> LoadedInput:
    """Facilities already read as YAML nodes of one file (a test case's, merged onto its base): converted
    and checked in place, so every problem is located at the line of that file where it was written.
    `source`: the file's SourceFile when the caller has it (a case runner hashes each case file once)."""
    loader = _Loader(None)
    source = source or SourceFile(path, hashlib.sha256(text.encode("utf-8")).hexdigest(), text)
    loader.sources.append(source)
    loader._current.append(path)  # facilities of one file listing no other: any stable key (no realpath)
    for node in nodes:
        loader.facility(node, source, None, top_level=False)
    if loader.diagnostics:
        diagnostics = sorted(loader.diagnostics, key=lambda d: (d.span.line, d.span.column) if d.span else (0, 0))
        raise DiagnosticError(diagnostics, sources={path: text})
    return LoadedInput(tuple(loader.facilities), (source,))


class StreamOrderError(Exception):
    """Streamed input whose meaning would need a facility already handed on (see load_inputs' sink)."""


class _Loader:
    """The files read so far, the facilities found in them and every problem reported."""

    def __init__(self, stdin_text: str | None, sink=None, overrides=(), reading=DEFAULT_READING):
        self.reading = reading  # dsl/files.py ReadOptions: size limit, --allow-outside
        self.stdin_text = stdin_text
        self.sink = sink
        self.overrides = overrides
        self.applied: list = []  # overrides.Applied
        self.diagnostics: list[Diagnostic] = []
        self.sources: list[SourceFile] = []
        self.facilities: list[Facility] = []  # with a sink: the facilities read but not yet handed on
        # id -> where it was first written, packed in one int (_FirstIds): a register's every id is kept to the
        # end, and a Span per id was most of what a 100,000-facility stream's memory grew by
        self.first_ids = _FirstIds()
        self.handed_without_operator: set[str] = set()  # with a sink: files whose facilities went on without one
        self.read_keys: set[str] = set()
        self.origin: list[str] = []  # per facility: the key (real path) of the file it came from
        self._current: list[str] = []
        self.on_disk: dict[str, str] = {}  # streamed registers whose text was not kept: display -> real path

    def error(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)

    # ---- files ---------------------------------------------------------------------------
    def argument(self, path: str) -> None:
        if path == STDIN:
            text = self.stdin_text if self.stdin_text is not None else sys.stdin.read()
            self.source(STDIN_NAME, [text.encode("utf-8")], STDIN, None, portfolio_ok=True, text=text)
            return
        if os.path.isdir(path):
            names = sorted(
                n for n in os.listdir(path)
                if n.lower().endswith(FOLDER_FILES) and os.path.isfile(os.path.join(path, n))
            )
            if not names:
                self.error(F101.empty_directory.at(Span.point(path, 1, 1), path=path))
            for name in names:
                self.file(os.path.join(path, name), None, portfolio_ok=True)
                self.flush()
            return
        self.file(path, None, portfolio_ok=True)

    def file(self, display: str, at: Span | None, *, portfolio_ok: bool, base: str | None = None) -> None:
        real = os.path.realpath(base if base is not None else display)
        if self.sink is not None and portfolio_ok and self.streamed_from_disk(display, real):
            return
        where = at or Span.point(display, 1, 1)
        try:
            data = read_input(real, self.reading.max_bytes)
        except FileNotFoundError:
            self.error((F101.no_such_file if at is None else F101.no_such_listed_file).at(where, file=display))
            return
        except IsADirectoryError:
            self.error(F101.directory.at(where, file=display))
            return
        except (TooLarge, NotARegularFile) as exc:
            wording = F101.too_large if isinstance(exc, TooLarge) else F101.not_regular
            self.error(wording.at(where, file=display, reason=exc.strerror))
            return
        except OSError as exc:
            self.error(F101.at(where, file=display, reason=exc.strerror or exc))
            return
        held = [data]
        del data
        self.source(display, held, real, at, portfolio_ok=portfolio_ok)

    def source(self, display: str, held: list, key: str, at: Span | None, *, portfolio_ok: bool,
               text: str | None = None) -> None:
        """`held`: the file's bytes as a one-item list, emptied here, so a register's bytes are freed once
        decoded rather than kept for the whole streamed run."""
        data: bytes = held.pop()
        if key in self.read_keys:
            return  # the same file reached twice (e.g. a folder and a portfolio naming it)
        self.read_keys.add(key)
        if text is None:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                before = data[: exc.start].decode("utf-8", "replace")
                line = before.count("\n") + 1
                column = len(before) - (before.rfind("\n") + 1) + 1
                self.error(F101.input_not_utf8.at(Span.point(display, line, column), file=display, byte=data[exc.start]))
                return
        source = SourceFile(display, hashlib.sha256(data).hexdigest(), text)
        del data
        self.sources.append(source)
        if is_tabular(display):
            self.table(source, key, portfolio_ok)
            return
        if self.sink is not None and portfolio_ok and streamable(text):
            document = StreamedPortfolio(TextFeed(text_pieces(text)), display, lambda: text)
            if self.streamed(document, source, key, display):
                return
        root, problems = load_yaml(text, display)
        self.diagnostics.extend(problems)
        if any(p.code == F102.code for p in problems):
            return  # the structure is unreliable; the syntax error is the one thing to fix
        if root is None:
            if not problems:
                self.error(F104.empty.at(Span.point(display, 1, 1), file=display))
            return
        self._current.append(key)
        try:
            self.document(root, source, portfolio_ok=portfolio_ok, base_dir=os.path.dirname(display))
        finally:
            self._current.pop()

    def table(self, source: SourceFile, key: str, portfolio_ok: bool) -> None:
        """A CSV register (evaluator/tabular.py): one facility per id, handed on one by one."""
        nodes, problems = read_csv(source.text, source.path)
        self.diagnostics.extend(problems)
        self._current.append(key)
        try:
            for node in nodes:
                self.facility(node, source, None, top_level=True)
                if portfolio_ok:  # a file a portfolio lists waits for the portfolio's operator
                    self.flush()
        finally:
            self._current.pop()

    def document(self, root: Node, source: SourceFile, *, portfolio_ok: bool, base_dir: str) -> None:
        kind = document_kind(root, self.error)
        if kind == "portfolio":
            if not portfolio_ok:
                self.error(F104.nested_portfolio.at(root.span))
                return
            self.portfolio(root, source, base_dir)
        elif kind == "facility":
            self.facility(root, source, None, top_level=True)

    # ---- portfolio -------------------------------------------------------------------------
    def portfolio(self, root: Node, source: SourceFile, base_dir: str) -> None:
        operator, entries = read_portfolio(root, self.error)
        for entry in entries or ():
            self.entry(entry, source, operator, base_dir)

    def streamed_from_disk(self, display: str, real: str) -> bool:
        """A large portfolio read from disk a piece at a time (evaluator/register_file.py), its text never held;
        False when the file is small, not such a portfolio, or cannot be read (the ordinary path says why)."""
        from . import register_file

        try:
            size = os.path.getsize(real)  # over the input size limit: the ordinary path refuses it (F101)
            if is_tabular(display) or real in self.read_keys or not STREAM_FROM_DISK <= size <= self.reading.max_bytes:
                return False
            scan = register_file.scan(real)
        except OSError:
            return False
        if not scan.streamable:
            return False
        source = SourceFile(display, scan.sha256, "")  # the text stays on disk (self.on_disk)
        document = StreamedPortfolio(TextFeed(register_file.pieces(real)), display,
                                     lambda: register_file.read_text(real))
        self.sources.append(source)
        if not self.streamed(document, source, real, display):
            self.sources.pop()
            return False
        self.read_keys.add(real)
        self.on_disk[display] = real
        return True

    def streamed(self, document: StreamedPortfolio, source: SourceFile, key: str, display: str) -> bool:
        """Read a portfolio entry by entry, handing each facility on; False if it is not one to stream."""
        if not document.open() or document_kind(document.root, lambda _: None) != "portfolio":
            document.parser.dispose()
            return False
        operator, _ = read_portfolio(document.root, self.error)
        self._current.append(key)
        try:
            for entry in document.entries():
                self.diagnostics.extend(document.diagnostics)
                document.diagnostics.clear()
                self.entry(entry, source, operator, os.path.dirname(display))
                self.flush()
            self.diagnostics.extend(document.diagnostics)
        finally:
            self._current.pop()
        return True

    def entry(self, entry: Node, source: SourceFile, operator: str | None, base_dir: str) -> None:
        if entry.kind == "map":
            self.facility(entry, source, operator, top_level=False)
        elif entry.kind == "scalar" and isinstance(entry.value, str) and entry.value.strip():
            rel = entry.value.strip()
            display = os.path.normpath(os.path.join(base_dir, rel)) if not os.path.isabs(rel) else rel
            if source.path == STDIN_NAME:
                display = os.path.normpath(rel)
            problem = listed_file_problem(display, entry.span, base_dir, self.reading, self._current)
            if problem is not None:
                self.error(problem)
                return
            self.file(display, entry.span, portfolio_ok=False)
            if operator is not None:
                # Also when the file was already read (e.g. from a folder argument).
                real = os.path.realpath(display)
                if real in self.handed_without_operator:
                    raise StreamOrderError(f"{entry.span.file}:{entry.span.line}:{entry.span.column}: {display} was "
                                           f"evaluated before this portfolio gave it operator {operator}; name the "
                                           f"portfolio before the file or folder, or use --format json")
                for i, f in enumerate(self.facilities):
                    if f.operator_id is None and self.origin[i] == real:
                        self.facilities[i] = attrs.evolve(f, operator_id=operator)
        else:
            self.error(F205.facilities_entry.at(entry.span, found=entry.describe()))

    def facility(self, node: Node, source: SourceFile, operator: str | None, *, top_level: bool) -> None:
        if self.overrides:
            from .overrides import apply

            id_node = node.get("id") if node.kind == "map" else None
            node, applied = apply(node, id_node.text if id_node is not None else None, self.overrides)
            self.applied.extend(applied)
        id_fact, facility = read_facility(node, source, operator, top_level=top_level, report=self.error)
        if id_fact is not None:
            fid = str(id_fact.value)
            first = self.first_ids.first(fid, id_fact.at)
            if first is not None:
                self.error(F108.at(id_fact.span, id=fid, first=first))
        if facility is not None:
            self.origin.append(self._current[-1])
            self.facilities.append(facility)

    def flush(self) -> None:
        """With a sink: hand on the facilities read so far, unless a problem was found (then nothing more goes)."""
        if self.sink is None or not self.facilities:
            return
        if not self.diagnostics:
            for facility, origin in zip(self.facilities, self.origin):
                if facility.operator_id is None:
                    self.handed_without_operator.add(origin)
                self.sink(facility)
        self.facilities.clear()
        self.origin.clear()

    def check_overrides_used(self) -> None:
        if not self.overrides:
            return
        from .overrides import OverrideError

        # Every id read counts, also one handed on to a sink or whose facility had problems.
        named = {o.facility for o in self.overrides if o.facility is not None}
        missing = sorted(named - self.first_ids.keys())
        if missing:
            raise OverrideError(f"--set names facility {', '.join(missing)}, which is not in the input")


class _FirstIds(dict):
    """Each facility id read, with where it was first written as one int: (file number, line, column)."""

    _SHIFT = 40  # lines and columns below 2**40 (a terabyte of text)

    def __init__(self):
        super().__init__()
        self.files: list[str] = []
        self.numbers: dict[str, int] = {}

    def first(self, fid: str, at) -> str | None:
        """None for an id not seen before (now kept); otherwise where it was first written, `file:line:column`."""
        code = self.get(fid)
        if code is not None:
            number, line, column = code >> 2 * self._SHIFT, (code >> self._SHIFT) & ((1 << self._SHIFT) - 1), \
                code & ((1 << self._SHIFT) - 1)
            return f"{self.files[number]}:{line}:{column}"
        if at is None:  # pragma: no cover - an id is always written somewhere
            at = ("(unknown file)", 0, 0)
        file, line, column = (at.file, at.line, at.column) if isinstance(at, Span) else at[:3]
        number = self.numbers.get(file)
        if number is None:
            number = self.numbers[file] = len(self.files)
            self.files.append(file)
        self[fid] = (number << 2 * self._SHIFT) | (line << self._SHIFT) | column
        return None

