"""Compiled plans kept on disk, so a warm `policy eval` neither parses nor checks (nor imports Lark).

An entry is keyed by the sha256 of the policy's bytes, the name it is shown by, the tool's version,
the Python version and a fingerprint of the tool's own code (size and mtime of every module of dsl/
and evaluator/), so an entry is never trusted across versions or edits. It holds the plan's
generated functions' code objects, marshalled (the source is not compiled again to store them), its
constants, and the plan pickled with each generated function named rather than stored. Entries are
written to a temporary file and renamed into place, so concurrent runs never see half an entry; any problem reading or writing (an unwritable or
missing directory, a damaged or foreign entry) means compiling as if there were no cache. Writing an entry
also prunes the folder: entries no run has used for KEEP_DAYS (a run that uses one marks it at most daily),
the oldest beyond KEEP_ENTRIES, and temporary files a crashed writer left.
Location: $DCPOLICY_CACHE_DIR, else $XDG_CACHE_HOME/dcpolicy, else ~/.cache/dcpolicy;
DCPOLICY_CACHE_DIR=off disables it.
"""

from __future__ import annotations

import gc
import hashlib
import io
import linecache
import marshal
import os
import pickle
import sys
import types
from pathlib import Path

_FORMAT = b"dcpolicy-plan-cache/3\n"
_RUNTIME_NAMES = ("__builtins__", "__name__", "_rt", "U", "_r")
DAY = 86_400  # seconds
KEEP_DAYS = 30  # an entry no run has used for this long goes when another entry is written
KEEP_ENTRIES = 200  # at most this many entries (a few per policy and version); the least recently used go first
_STALE_TEMPORARY = 3_600  # seconds: a temporary file this old belongs to no writer still running


def cache_dir() -> Path | None:
    chosen = os.environ.get("DCPOLICY_CACHE_DIR")
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dcpolicy"


def entry_key(data: bytes, display: str) -> str:
    from .. import __version__

    digest = hashlib.sha256()
    for part in (_FORMAT, __version__.encode(), sys.version.encode(), _code_fingerprint().encode(),
                 display.encode(), hashlib.sha256(data).digest()):
        digest.update(part + b"\0")
    return digest.hexdigest()


def _code_fingerprint() -> str:
    here = Path(__file__).resolve().parent
    parts = []
    for folder in (here, here.parent / "dsl" if (here.parent / "dsl").is_dir() else None):
        if folder is None:
            continue
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if entry.name.endswith((".py", ".lark")):
                stat = entry.stat()
                parts.append(f"{folder.name}/{entry.name}:{stat.st_size}:{stat.st_mtime_ns}")
    if len(parts) < 2:  # installed elsewhere (dsl/ beside evaluator/ under dcpolicy): fingerprint that copy
        from .. import dsl

        for name in sorted(os.listdir(os.path.dirname(dsl.__file__))):
            if name.endswith((".py", ".lark")):
                stat = os.stat(os.path.join(os.path.dirname(dsl.__file__), name))
                parts.append(f"dsl/{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def load_plan(key: str):
    """The cached plan, or None (no cache, no entry, or an entry that cannot be read)."""
    folder = cache_dir()
    if folder is None:
        return None
    # The plan is a few thousand objects that live as long as the run: the cyclic collector, paused while
    # they are made, would only walk them (as evaluator/engine.py pauses it while traces are made).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        path = folder / f"{key}.plan"
        with open(path, "rb") as file:
            data = file.read()
            used = os.fstat(file.fileno()).st_mtime
        if not data.startswith(_FORMAT):
            return None
        stream = io.BytesIO(data[len(_FORMAT):])
        filename, functions, constants = pickle.load(stream)
        namespace = _namespace(filename, marshal.loads(functions), constants)
        plan = _EntryUnpickler(stream, namespace).load()
    except Exception:  # noqa: BLE001 - a damaged, foreign or unreadable entry is simply not used
        return None
    finally:
        if was_enabled:
            gc.enable()
    linecache.cache[namespace["__name__"]] = (len(plan.source), None, plan.source.splitlines(keepends=True),
                                              namespace["__name__"])  # tracebacks show the plan's lines
    _mark_used(path, used)
    return plan


def _mark_used(path: Path, modified: float) -> None:
    """An entry's modification time is when a run last used it (to the day), which pruning reads."""
    import time

    now = time.time()
    if now - modified > DAY:
        try:
            os.utime(path, (now, now))
        except OSError:  # a read-only cache is still used; its entries are simply not pruned by use
            pass


def store_plan(key: str, plan) -> None:
    """Write the plan's entry (atomically); silently nothing where the cache cannot be written."""
    folder = cache_dir()
    function = _any_function(plan)
    if folder is None or function is None:
        return
    namespace = function.__globals__
    constants = {name: value for name, value in namespace.items()
                 if name not in _RUNTIME_NAMES and not _generated(value, namespace)}
    functions = {name: value for name, value in namespace.items() if _generated(value, namespace)}
    if not all(_plain(f) for f in functions.values()):
        return  # a function its code alone does not make again: no entry (the plan is compiled each run)
    try:
        out = io.BytesIO()
        out.write(_FORMAT)
        codes = marshal.dumps({name: f.__code__ for name, f in functions.items()})  # not compiled again
        pickle.dump((namespace["__name__"], codes, constants), out, protocol=pickle.HIGHEST_PROTOCOL)
        _EntryPickler(out, namespace).dump(plan)
        import tempfile  # only a run that writes an entry needs it

        folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # private to the user, as XDG asks of it
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(out.getvalue())
            os.replace(temporary, folder / f"{key}.plan")
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    except Exception:  # noqa: BLE001 - unwritable, full, or a constant that cannot be pickled: no entry
        return
    prune(folder, keep=f"{key}.plan")


def prune(folder: Path, keep: str = "", now: float | None = None) -> None:
    """Remove entries unused for KEEP_DAYS, the least recently used beyond KEEP_ENTRIES, and temporary files
    older than an hour. Safe beside other runs: a run that finds its entry gone compiles the policy, and a
    writer's temporary file is younger than an hour; nothing here fails a run (errors leave the file)."""
    import time

    now = time.time() if now is None else now
    entries = []
    try:
        with os.scandir(folder) as listing:
            for item in listing:
                name = item.name
                try:
                    if name.endswith(".plan") and name != keep:
                        entries.append((item.stat().st_mtime, item.path))
                    elif name.startswith(".") and name.endswith(".tmp") and now - item.stat().st_mtime > _STALE_TEMPORARY:
                        os.unlink(item.path)
                except OSError:
                    continue
    except OSError:
        return
    entries.sort(reverse=True)  # most recently used first
    for index, (used, path) in enumerate(entries):
        if index >= KEEP_ENTRIES - 1 or now - used > KEEP_DAYS * DAY:  # -1: the entry just written stays
            try:
                os.unlink(path)
            except OSError:
                pass


def plan_function(name: str):
    """What an entry holds for a generated function: a call of this with its name, which the entry's reader
    (_EntryUnpickler) answers from the namespace it made; never called itself."""
    raise RuntimeError(f"plan function {name!r} read outside a plan cache entry")


class _EntryPickler(pickle.Pickler):
    """The plan, each generated function named (reducer_override sees only objects that are not plain data,
    where a persistent_id would be called for each of its tens of thousands of strings, numbers and tuples)."""

    def __init__(self, file, namespace: dict):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.namespace = namespace

    def reducer_override(self, obj):
        if type(obj) is types.FunctionType and obj.__globals__ is self.namespace:
            return plan_function, (obj.__name__,)
        return NotImplemented


class _EntryUnpickler(pickle.Unpickler):
    """Reads a plan _EntryPickler wrote: plan_function(name) is the function of that name in `namespace`."""

    def __init__(self, file, namespace: dict):
        super().__init__(file)
        self.namespace = namespace

    def find_class(self, module: str, name: str):
        if module == __name__ and name == "plan_function":
            return self.namespace.__getitem__
        return super().find_class(module, name)


def _generated(value, namespace) -> bool:
    return isinstance(value, types.FunctionType) and value.__globals__ is namespace


def _any_function(plan):
    exprs = [plan.scope, *plan.definitions.values(), *(r.require or r.applies or r.subject for r in plan.rules)]
    return next((e.function for e in exprs if e is not None), None)


def _plain(function) -> bool:
    """A generated function its code object and its namespace make again (a module-level `def` with no
    defaults, closure, annotations or attributes), as the plan's source defines them."""
    return not (function.__defaults__ or function.__kwdefaults__ or function.__closure__
                or function.__annotations__ or function.__dict__)


def _namespace(filename: str, codes: dict, constants: dict) -> dict:
    """The plan's namespace as executing its source makes it: the runtime's names, its constants, and
    each function made from its code object (our own entry, generated from a checked AST)."""
    from . import runtime

    namespace = {"__builtins__": {}, "__name__": filename, "_rt": runtime, "U": runtime.UNKNOWN, "_r": runtime.record,
                 **constants}
    for name, code in codes.items():
        namespace[name] = types.FunctionType(code, namespace, name)
    return namespace
