"""`policy check PATH…`: parse and check policy files (`--strict`: warnings fail the run too)."""

from __future__ import annotations

import json
import sys

from ..dsl.diagnostics import DiagnosticError, render
from ..dsl.loader import load_policy, policy_files

from . import exits


def run(args) -> int:
    try:
        files = policy_files(args.paths)
    except DiagnosticError as err:
        print(err.render(), file=sys.stderr)
        return exits.USAGE
    if not files:
        print(f"policy check: no .policy files in {' '.join(args.paths)}", file=sys.stderr)
        return exits.USAGE
    reports = []
    invalid = False
    crashed: list[tuple[str, Exception]] = []
    for path in files:
        try:
            checked = load_policy(path)
            diagnostics, sources = list(checked.warnings), {str(path): checked.source}
        except DiagnosticError as err:
            diagnostics, sources = err.diagnostics, err.sources
        except Exception as err:  # noqa: BLE001 - a bug on one file must not hide the verdicts on the others
            crashed.append((str(path), err))
            continue
        invalid |= any(d.is_error for d in diagnostics) or (args.strict and bool(diagnostics))
        reports.append((str(path), diagnostics, sources))
    if args.format in ("junit", "sarif", "github", "tap"):
        from .ci_formats import write
        from .ci_model import from_check

        sys.stdout.write(write(args.format, from_check([(f, ds) for f, ds, _ in reports], args.strict), "check"))
    elif args.format == "json":
        document = {
            "format": "dcpolicy/check/1",
            "files": [
                {"file": f, "valid": not any(d.is_error or args.strict for d in ds),
                 "diagnostics": [d.to_json() for d in ds]}
                for f, ds, _ in reports
            ] + [{"file": f, "valid": False, "internal_error": f"{type(e).__name__}: {e}"[:200]} for f, e in crashed],
        }
        print(json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False))
    else:
        for file, diagnostics, sources in reports:
            for diagnostic in diagnostics:
                span_file = diagnostic.span.file if diagnostic.span else file
                print(render(diagnostic, sources.get(span_file)), file=sys.stderr)
            errors = sum(d.is_error for d in diagnostics)
            warnings = len(diagnostics) - errors
            state = "invalid" if errors else ("invalid (--strict: warnings fail)" if warnings and args.strict else "ok")
            print(f"{file}: {state} ({errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)})")
    for file, err in crashed:
        print(f"{file}: internal error: {type(err).__name__}: {str(err).strip()[:200]}\n"
              "This is a bug in dcpolicy, not a verdict on the file; the other files were checked.", file=sys.stderr)
    if crashed:
        return exits.INTERNAL_ERROR
    return exits.INVALID_POLICY if invalid else exits.OK
