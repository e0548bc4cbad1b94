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
from pathlib import Path

import attrs

from ..dsl.diagnostics import Diagnostic, DiagnosticError, Span
from ..dsl.facility_messages import F101, F102, F104, F108, F205

from .documents import document_kind, read_facility, read_portfolio
from .facts import Facility, LoadedInput, SourceFile
from .yaml_nodes import Node, load_yaml

STDIN = "-"
STDIN_NAME = "<stdin>"


def load_inputs(paths: list[str], stdin_text: str | None = None, overrides=()) -> LoadedInput:
    """Load facility files, portfolio files, directories (``*.yaml``/``*.yml`` sorted by name)
    and ``"-"`` (``stdin_text``, shown as ``<stdin>``); ``overrides`` are what-if ``--set`` texts
    (evaluator/overrides.py), written into each facility before it is converted.

    Raises DiagnosticError(diagnostics, sources={path: text}) listing every problem found, and
    OverrideError for an override that cannot be read or concerns no facility.
    """
    from .overrides import SOURCE, parse_overrides

    parsed, override_text = parse_overrides(overrides) if overrides else ((), "")
    loader = _Loader(stdin_text, parsed)
    for path in paths:
        loader.argument(path)
    loader.check_unique_ids()
    loader.check_overrides_used()
    if loader.diagnostics:
        order = {s.path: i for i, s in enumerate(loader.sources)}

        def key(d: Diagnostic):
            if d.span is None:
                return (len(order) + 1, 0, 0)
            return (order.get(d.span.file, len(order)), d.span.line, d.span.column)

        diagnostics = sorted(loader.diagnostics, key=key)
        texts = {s.path: s.text for s in loader.sources}
        raise DiagnosticError(diagnostics, sources={SOURCE: override_text, **texts} if parsed else texts)
    return LoadedInput(tuple(loader.facilities), tuple(loader.sources), tuple(loader.applied))


def load_facility_nodes(nodes, path: str, text: str) -> LoadedInput:
    """Facilities already read as YAML nodes of one file (a test case's, merged onto its base): converted
    and checked in place, so every problem is located at the line of that file where it was written."""
    loader = _Loader(None)
    source = SourceFile(path, hashlib.sha256(text.encode("utf-8")).hexdigest(), text)
    loader.sources.append(source)
    loader._current.append(os.path.realpath(path))
    for node in nodes:
        loader.facility(node, source, None, top_level=False)
    loader.check_unique_ids()
    if loader.diagnostics:
        diagnostics = sorted(loader.diagnostics, key=lambda d: (d.span.line, d.span.column) if d.span else (0, 0))
        raise DiagnosticError(diagnostics, sources={path: text})
    return LoadedInput(tuple(loader.facilities), (source,))


class _Loader:
    """The files read so far, the facilities found in them and every problem reported."""

    def __init__(self, stdin_text: str | None, overrides=()):
        self.stdin_text = stdin_text
        self.overrides = overrides
        self.applied: list = []  # overrides.Applied
        self.diagnostics: list[Diagnostic] = []
        self.sources: list[SourceFile] = []
        self.facilities: list[Facility] = []
        self.ids: list[tuple[str, Span]] = []
        self.read_keys: set[str] = set()
        self.origin: list[str] = []  # per facility: the key (real path) of the file it came from
        self._current: list[str] = []

    def error(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)

    # ---- files ---------------------------------------------------------------------------
    def argument(self, path: str) -> None:
        if path == STDIN:
            text = self.stdin_text if self.stdin_text is not None else sys.stdin.read()
            self.source(STDIN_NAME, text.encode("utf-8"), STDIN, None, portfolio_ok=True, text=text)
            return
        if os.path.isdir(path):
            names = sorted(
                n for n in os.listdir(path)
                if n.lower().endswith((".yaml", ".yml")) and os.path.isfile(os.path.join(path, n))
            )
            if not names:
                self.error(F101.empty_directory.at(Span.point(path, 1, 1), path=path))
            for name in names:
                self.file(os.path.join(path, name), None, portfolio_ok=True)
            return
        self.file(path, None, portfolio_ok=True)

    def file(self, display: str, at: Span | None, *, portfolio_ok: bool, base: str | None = None) -> None:
        real = os.path.realpath(base if base is not None else display)
        where = at or Span.point(display, 1, 1)
        try:
            data = Path(real).read_bytes()
        except FileNotFoundError:
            self.error((F101.no_such_file if at is None else F101.no_such_listed_file).at(where, file=display))
            return
        except IsADirectoryError:
            self.error(F101.directory.at(where, file=display))
            return
        except OSError as exc:
            self.error(F101.at(where, file=display, reason=exc.strerror or exc))
            return
        self.source(display, data, real, at, portfolio_ok=portfolio_ok)

    def source(self, display: str, data: bytes, key: str, at: Span | None, *, portfolio_ok: bool,
               text: str | None = None) -> None:
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
                self.error(F101.not_utf8.at(Span.point(display, line, column), file=display, byte=data[exc.start]))
                return
        source = SourceFile(display, hashlib.sha256(data).hexdigest(), text)
        self.sources.append(source)
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
            if entry.kind == "map":
                self.facility(entry, source, operator, top_level=False)
            elif entry.kind == "scalar" and isinstance(entry.value, str) and entry.value.strip():
                rel = entry.value.strip()
                display = os.path.normpath(os.path.join(base_dir, rel)) if not os.path.isabs(rel) else rel
                if source.path == STDIN_NAME:
                    display = os.path.normpath(rel)
                self.file(display, entry.span, portfolio_ok=False)
                if operator is not None:
                    # Also when the file was already read (e.g. from a folder argument).
                    real = os.path.realpath(display)
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
            self.ids.append((str(id_fact.value), id_fact.span))  # type: ignore[arg-type]
        if facility is not None:
            self.origin.append(self._current[-1])
            self.facilities.append(facility)

    def check_overrides_used(self) -> None:
        from .overrides import OverrideError

        named = {o.facility for o in self.overrides if o.facility is not None}
        missing = sorted(named - {f.id for f in self.facilities} - {fid for fid, _ in self.ids})
        if missing:
            raise OverrideError(f"--set names facility {', '.join(missing)}, which is not in the input")

    def check_unique_ids(self) -> None:
        first: dict[str, Span] = {}
        for fid, span in self.ids:
            if fid in first:
                f = first[fid]
                self.error(F108.at(span, id=fid, first=f"{f.file}:{f.line}:{f.column}"))
            else:
                first[fid] = span
