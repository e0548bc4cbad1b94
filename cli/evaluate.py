"""`policy eval`: facility files in, verdicts out. Wires the stages and renders."""

from __future__ import annotations

import datetime
import difflib
import hashlib
import sys
from pathlib import Path

from dcpolicy.dsl.diagnostics import DiagnosticError

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_INVALID_POLICY = 0, 1, 2, 3
MAIN_JURISDICTIONS = ("jp", "de", "cn", "eu")
FAIL_ON = ("mandatory", "unknown", "target", "proposed", "projection")
EXPLAINED_FORMATS = ("table", "json", "markdown")  # --format summary has one line per evaluation: no room


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
    """The policies to evaluate, each once: the shipped ones -j names (all four main ones when neither
    -j nor --policy is given), then the --policy files. -j and --policy together give both."""
    if jurisdictions is None:
        shipped = [] if policy_files else [shipped_policies()[code] for code in MAIN_JURISDICTIONS]
    else:
        shipped = _shipped_named(jurisdictions)
    chosen: dict[Path, Path] = {}
    for path in shipped + [Path(p) for p in policy_files]:
        chosen.setdefault(path.resolve(), path)
    return list(chosen.values())


def _shipped_named(jurisdictions: str) -> list[Path]:
    """-j: codes (de_draft_2026) or file stems (de-draft-2026), any case, comma-separated; "all"."""
    available = shipped_policies()
    names = [j.strip() for j in jurisdictions.split(",") if j.strip()]
    if not names:
        raise UsageError(f'-j "{jurisdictions}" names no jurisdiction; write e.g. de, de,jp or all')
    chosen = []
    for name in names:
        code = name.lower().replace("-", "_")
        if code == "all":
            chosen.extend(available[c] for c in MAIN_JURISDICTIONS)
        elif code in available:
            chosen.append(available[code])
        else:
            known = ", ".join(sorted(available)) or "none"
            close = difflib.get_close_matches(code, [*available, "all"], n=1)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            raise UsageError(f'unknown jurisdiction "{name}"{hint}; available: {known}, or "all"')
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


def check_explain(explain: bool, output_format: str) -> None:
    if explain and output_format not in EXPLAINED_FORMATS:
        raise UsageError(f"--explain cannot be shown in --format {output_format} (one line per evaluation); "
                         f"use --format {', '.join(EXPLAINED_FORMATS[:-1])} or {EXPLAINED_FORMATS[-1]}")


def check_period(label: str | None, plans, loaded) -> None:
    """--period must name a period some facility of the input has under some chosen policy's calendar."""
    from dcpolicy.evaluator.engine import candidate_periods, normalise_label

    if label is None:
        return
    calendars: dict[str, tuple[list[str], set[str]]] = {}  # calendar -> (codes, labels of the input)
    for plan in plans:
        labels = {p.label for f in loaded.facilities for p in candidate_periods(f, plan)}
        if normalise_label(label) in {normalise_label(text) for text in labels}:
            return
        codes, known = calendars.setdefault(_calendar_words(plan), ([], set()))
        codes.append(plan.code)
        known |= labels
    listing = "; ".join(f"{', '.join(sorted(known, key=_period_order)) or 'none'} ({', '.join(codes)}: {words})"
                        for words, (codes, known) in calendars.items())
    elsewhere = {normalise_label(p.label) for f in loaded.facilities for p in f.periods}
    note = (f'; the input has a period "{label}", but it fits none of these calendars'
            if normalise_label(label) in elsewhere else "")
    raise UsageError(f'--period "{label}" names no period of the input; its periods are: {listing}{note}')


def _calendar_words(plan) -> str:
    if plan.calendar == "fiscal-year":
        month, day = plan.fiscal_start
        return f"fiscal years from {month:02d}-{day:02d}"
    return "calendar years"


def _period_order(label: str) -> tuple:
    digits = "".join(ch for ch in label if ch.isdigit())
    return (int(digits) if digits else 0, label)


def run(args) -> int:
    from dcpolicy.evaluator.engine import evaluate
    from dcpolicy.evaluator.inputs import load_inputs

    try:
        as_of = parse_as_of(args.as_of)
        fail_on = parse_fail_on(args.fail_on)
        check_explain(args.explain, args.format)
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
    try:
        check_period(args.period, plans, loaded)
    except UsageError as err:
        print(f"policy eval: error: {err}", file=sys.stderr)
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

        class _Console(Console):
            def on_broken_pipe(self) -> None:  # rich would exit 1, which reads as a failing rule
                self.quiet = True
                raise BrokenPipeError  # main.console() ends quietly, like every other command

        console = _Console(width=None if sys.stdout.isatty() else 160, soft_wrap=False)
        render.to_table(result, args.explain, console)
