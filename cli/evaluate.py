"""`policy eval`: facility files in, verdicts out. Wires the stages and renders."""

from __future__ import annotations

import datetime
import hashlib
import sys
from pathlib import Path

from dcpolicy.dsl.diagnostics import DiagnosticError

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_INVALID_POLICY = 0, 1, 2, 3
MAIN_JURISDICTIONS = ("jp", "de", "cn", "eu")
FAIL_ON = ("mandatory", "unknown", "target", "proposed", "projection")


class UsageError(Exception):
    pass


def shipped_policies() -> dict[str, Path]:
    """Jurisdiction code -> shipped policy file (file stem with '-' read as '_')."""
    from dcpolicy.dsl.loader import shipped_policies_dir

    return {p.stem.replace("-", "_"): p for p in sorted(shipped_policies_dir().glob("*.policy"))}


def display_path(path: Path) -> str:
    """A stable display name: shipped policies as policies/<file>, others as given."""
    from dcpolicy.dsl.loader import shipped_policies_dir

    try:
        return "policies/" + str(path.resolve().relative_to(shipped_policies_dir().resolve()))
    except ValueError:
        return str(path)


def resolve_policies(jurisdictions: str | None, policy_files: list[str]) -> list[Path]:
    if policy_files:
        return [Path(p) for p in policy_files]
    available = shipped_policies()
    wanted = MAIN_JURISDICTIONS if jurisdictions in (None, "all") else [
        j.strip() for j in jurisdictions.split(",") if j.strip()]
    chosen = []
    for code in wanted:
        if code not in available:
            known = ", ".join(sorted(available)) or "none"
            raise UsageError(f'unknown jurisdiction "{code}"; available: {known}, or "all"')
        chosen.append(available[code])
    return chosen


def compile_plans(paths: list[Path]):
    """Load, check and compile each policy once; DiagnosticError if any is invalid."""
    from dcpolicy.dsl.loader import load_policy
    from dcpolicy.evaluator.compiler import compile_policy

    plans = []
    for path in paths:
        display = display_path(path)
        checked = load_policy(path, display)
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        plans.append(compile_policy(checked, sha))
    return plans


def parse_as_of(text: str | None) -> datetime.date:
    if text is None:
        return datetime.date.today()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f'--as-of "{text}" is not a date; write YYYY-MM-DD, e.g. 2031-04-01') from None


def parse_fail_on(text: str) -> set[str]:
    chosen = {part.strip() for part in text.split(",") if part.strip()}
    unknown = chosen - set(FAIL_ON)
    if unknown:
        raise UsageError(f"--fail-on takes {', '.join(FAIL_ON)} (comma-separated), not {', '.join(sorted(unknown))}")
    return chosen


def exit_code(run, fail_on: set[str]) -> int:
    return EXIT_FAIL if run.fails(fail_on) else EXIT_OK


def run(args) -> int:
    from dcpolicy.evaluator.engine import evaluate
    from dcpolicy.evaluator.facility import load_inputs

    try:
        as_of = parse_as_of(args.as_of)
        fail_on = parse_fail_on(args.fail_on)
        policy_paths = resolve_policies(args.jurisdiction, args.policy or [])
    except UsageError as err:
        print(f"policy eval: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    try:
        plans = compile_plans(policy_paths)
    except DiagnosticError as err:
        print(err.render(), file=sys.stderr)
        print("policy eval: a policy file is invalid; run `policy check` on it", file=sys.stderr)
        return EXIT_INVALID_POLICY
    stdin_text = sys.stdin.read() if "-" in args.inputs else None
    try:
        loaded = load_inputs(args.inputs, stdin_text)
    except DiagnosticError as err:
        print(err.render(), file=sys.stderr)
        count = len(err.diagnostics)
        print(f"policy eval: {count} input error{'s' * (count != 1)}; nothing was evaluated", file=sys.stderr)
        return EXIT_USAGE
    if not loaded.facilities:
        print("policy eval: error: no facilities in the input", file=sys.stderr)
        return EXIT_USAGE
    result = evaluate(plans, loaded, as_of, args.period).counting_also(fail_on)
    _render(result, args)
    return exit_code(result, fail_on)


def _render(result, args) -> None:
    from . import render

    if args.format == "json":
        sys.stdout.write(render.to_json(result, explain=args.explain))
    elif args.format == "summary":
        sys.stdout.write(render.to_summary(result))
    elif args.format == "markdown":
        sys.stdout.write(render.to_markdown(result, args.explain))
    else:
        from rich.console import Console

        console = Console(width=None if sys.stdout.isatty() else 160, soft_wrap=False)
        render.to_table(result, args.explain, console)
