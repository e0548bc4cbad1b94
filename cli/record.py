"""`policy eval --record DIR` and `policy replay DIR`: a verdict kept with the exact inputs it came from.

The record is a folder: `record.json` (the manifest: the tool version, the eval arguments with the
as-of date fixed, each file stored with its sha256, the shipped policies used with theirs, the exit
code and the result's sha256), `files/` (every facility, portfolio, CSV and --policy file as read,
under the relative path it was given by), `policies/` (the shipped policies used), `stdin` (when the
input was "-") and `result` (the exact bytes `policy eval` wrote). `policy replay DIR` checks every stored file against the manifest, runs
the recorded command again from `files/` and compares the bytes and the exit code (docs/analyst-guide.md,
"Recording a verdict").
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import io
import json
import os
import sys
from pathlib import Path, PurePosixPath

from . import exits
from .api import UsageError

FORMAT = "dcpolicy/record/1"
MANIFEST = "record.json"
FILES = "files"
STDIN = "stdin"
RESULT = "result"


class BadRecord(Exception):
    """A record folder that is missing, malformed or altered: the message names the file and the fix."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def eval_arguments(args, as_of: datetime.date) -> list[str]:
    """The `policy eval` arguments of this run, --record left out and --as-of fixed to the date used."""
    argv = list(args.inputs)
    if args.jurisdiction is not None:
        argv += ["-j", args.jurisdiction]
    for path in args.policy or ():
        argv += ["--policy", path]
    argv += ["--as-of", as_of.isoformat()]
    if args.period is not None:
        argv += ["--period", args.period]
    if args.explain:
        argv.append("--explain")
    for override in args.overrides or ():
        argv += ["--set", override]
    argv += ["--format", args.format, "--fail-on", args.fail_on]
    if getattr(args, "max_input_size", None) is not None:
        argv += ["--max-input-size", args.max_input_size]
    if getattr(args, "allow_outside", False):
        argv.append("--allow-outside")
    if args.trace is not None:
        argv += ["--trace", args.trace]
    return argv


def _relative(path: str, what: str) -> str:
    """A path the record can store and replay: relative, inside the current folder."""
    posix = PurePosixPath(Path(path).as_posix())
    if posix.is_absolute() or ".." in posix.parts or str(posix) in ("", "."):
        raise UsageError(f'--record stores every file under the path it was read by, so {what} "{path}" must be a '
                         f"relative path inside the current folder; run policy eval from a folder that contains it")
    return str(posix)


def record(args, run) -> int:
    """Run `policy eval` as `run(args)` would and, when it gave a verdict (exit 0 or 1), write the record of
    it to args.record. Errors (bad input, an invalid policy) are reported as without --record, and nothing
    is recorded."""
    from .api import choose, display_path, load_facilities
    from .evaluate import parse_as_of, request_from

    folder = Path(args.record)
    try:
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise UsageError(f'--record "{folder}" exists and is not an empty folder; name a new folder')
        if args.format == "jsonl":
            raise UsageError("--record keeps the whole result; use --format json (or table, markdown, …), not jsonl")
        as_of = parse_as_of(args.as_of)
    except UsageError as err:
        print(f"policy eval: error: {err}", file=sys.stderr)
        return exits.USAGE
    inner = _copy_namespace(args, record=None, as_of=as_of.isoformat())
    stdin_text = sys.stdin.read() if "-" in args.inputs else None
    output = io.StringIO()
    with contextlib.redirect_stdout(output), _stdin(stdin_text):
        code = run(inner)
    text = output.getvalue()
    sys.stdout.write(text)
    if code not in (exits.OK, exits.FAIL):
        print(f"policy eval: nothing recorded in {folder}: the run gave no verdict", file=sys.stderr)
        return code
    try:
        request = request_from(inner)
        loaded = load_facilities(request.inputs, stdin_text, request.overrides, request.reading)
        read = [source.path for source in loaded.sources if source.path != "<stdin>"] + list(request.policy_files)
        relative = {_relative(path, "the file"): path for path in read}
    except UsageError as err:
        print(f"policy eval: error: {err}", file=sys.stderr)
        return exits.USAGE
    shipped = [path for path, _ in choose(request.jurisdictions, request.policy_files, loaded)
               if str(path) not in request.policy_files]
    result = text.encode("utf-8")
    files = {}
    for name, path in sorted(relative.items()):
        data = Path(path).read_bytes()
        target = folder / FILES / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        files[name] = _sha256(data)
    (folder / FILES).mkdir(parents=True, exist_ok=True)
    if stdin_text is not None:
        (folder / STDIN).write_bytes(stdin_text.encode("utf-8"))
    (folder / RESULT).write_bytes(result)
    from .. import __version__

    columns = os.environ.get("COLUMNS", "")
    manifest = {
        "format": FORMAT, "tool": {"name": "dcpolicy", "version": __version__},
        "arguments": eval_arguments(args, as_of), "files": files,
        "stdin": _sha256(stdin_text.encode("utf-8")) if stdin_text is not None else None,
        "columns": int(columns) if columns.isdigit() else None,  # the width of a table result
        "policies": {display_path(p): _keep(p, folder / display_path(p)) for p in shipped},
        "result": {"sha256": _sha256(result), "exit_code": code},
        "replay": f"policy replay {folder}",
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"policy eval: recorded in {folder}; `policy replay {folder}` runs it again and compares", file=sys.stderr)
    return code


def _keep(path: Path, target: Path) -> str:
    """A shipped policy the run used, kept in the record (policies/<file>) for whoever reads it later."""
    data = path.read_bytes()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return _sha256(data)


def _copy_namespace(args, **changes):
    import argparse

    values = dict(vars(args))
    values.update(changes)
    return argparse.Namespace(**values)


@contextlib.contextmanager
def _stdin(text: str | None):
    if text is None:
        yield
        return
    saved = sys.stdin
    sys.stdin = io.StringIO(text)
    try:
        yield
    finally:
        sys.stdin = saved


# ---------------------------------------------------------------- replay
def read_record(folder: Path) -> dict:
    """The manifest, after checking that every stored file is there and unaltered (BadRecord if not)."""
    path = folder / MANIFEST
    if not folder.is_dir():
        raise BadRecord(f'"{folder}" is not a folder; give the folder `policy eval --record` wrote')
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadRecord(f"{path}: missing; `policy eval --record {folder}` writes it") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise BadRecord(f"{path}: not a record manifest ({err}); the record was altered, record the run again") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BadRecord(f'{path}: "format" is not "{FORMAT}"; this is not a record of `policy eval --record`')
    for key, kind in (("arguments", list), ("files", dict), ("policies", dict), ("result", dict)):
        if not isinstance(manifest.get(key), kind):
            raise BadRecord(f'{path}: "{key}" is missing or not a {kind.__name__}; the record was altered')
    for name, digest in manifest["files"].items():
        _check(folder, f"{FILES}/{_stored_name(name, path)}", digest)
    for name, digest in manifest["policies"].items():
        _check(folder, _stored_name(name, path), digest)
    if manifest.get("stdin") is not None:
        _check(folder, STDIN, manifest["stdin"])
    _check(folder, RESULT, manifest["result"].get("sha256"))
    return manifest


def _stored_name(name, manifest_path: Path) -> str:
    posix = PurePosixPath(str(name))
    if posix.is_absolute() or ".." in posix.parts or not posix.parts:
        raise BadRecord(f'{manifest_path}: the stored file "{name}" points outside the record; the record was altered')
    return str(posix)


def _check(folder: Path, name: str, digest) -> None:
    path = folder / name
    try:
        data = path.read_bytes()
    except OSError:
        raise BadRecord(f"{path}: missing from the record; the record is incomplete, record the run again") from None
    if _sha256(data) != digest:
        raise BadRecord(f"{path}: its sha256 is not the one {folder / MANIFEST} records; the file was changed "
                        f"after the run was recorded")


def replay(args) -> int:
    """`policy replay DIR`: 0 when the recorded result comes out byte for byte, 1 when it differs, 2 for a
    record that is missing, malformed or altered."""
    from .api import shipped_policies

    folder = Path(args.dir)
    try:
        manifest = read_record(folder)
        shipped = {f"policies/{p.name}": p for p in shipped_policies().values()}
        for name, digest in manifest["policies"].items():
            current = shipped.get(name)
            if current is None or _sha256(current.read_bytes()) != digest:
                print(f"policy replay: {name} is not the policy the run was recorded with (sha256 {digest}); "
                      f"this dcpolicy ships another version, so the verdict cannot be reproduced with it",
                      file=sys.stderr)
                return exits.FAIL
    except BadRecord as err:
        print(f"policy replay: error: {err}", file=sys.stderr)
        return exits.USAGE
    stdin_text = (folder / STDIN).read_text(encoding="utf-8") if manifest.get("stdin") is not None else None
    output = io.StringIO()
    columns = manifest.get("columns")
    with _inside(folder / FILES), _columns(columns), contextlib.redirect_stdout(output), _stdin(stdin_text):
        from .main import main

        code = main(["eval", *[str(a) for a in manifest["arguments"]]])
    expected = (folder / RESULT).read_bytes()
    produced = output.getvalue().encode("utf-8")
    if produced == expected and code == manifest["result"].get("exit_code"):
        print(f"policy replay: reproduced byte for byte: {folder / RESULT} (sha256 {_sha256(expected)}), "
              f"exit code {code}")
        return exits.OK
    _show_difference(expected, produced, code, manifest["result"].get("exit_code"), folder)
    return exits.FAIL


@contextlib.contextmanager
def _columns(columns):
    """The table width of the recorded run (COLUMNS, or the piped default when it was not set)."""
    saved = os.environ.pop("COLUMNS", None)
    if isinstance(columns, int) and columns > 0:
        os.environ["COLUMNS"] = str(columns)
    try:
        yield
    finally:
        os.environ.pop("COLUMNS", None)
        if saved is not None:
            os.environ["COLUMNS"] = saved


@contextlib.contextmanager
def _inside(path: Path):
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def _show_difference(expected: bytes, produced: bytes, code: int, recorded_code, folder: Path) -> None:
    import difflib

    if code != recorded_code:
        print(f"policy replay: the exit code is {code}, the record says {recorded_code}", file=sys.stderr)
    diff = difflib.unified_diff(expected.decode("utf-8", "replace").splitlines(),
                                produced.decode("utf-8", "replace").splitlines(),
                                f"{folder / RESULT} (recorded)", "replayed", lineterm="", n=1)
    lines = list(diff)
    for line in lines[:40]:
        print(line, file=sys.stderr)
    print(f"policy replay: the result differs from the record ({len(lines)} diff lines)", file=sys.stderr)

