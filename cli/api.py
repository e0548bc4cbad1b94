"""The façade every front end calls (the `policy` command, the tests, the benchmark), one function per job.

Check a policy, compile plans, load facilities, evaluate, run test cases. Errors are typed so a
caller maps them to its own outcome (the CLI to exit codes, cli/exits.py); nothing here prints.
"""

from __future__ import annotations

import datetime
import difflib
import hashlib
from pathlib import Path

import attrs

from ..dsl.diagnostics import DiagnosticError

MAIN_JURISDICTIONS = ("jp", "de", "cn", "eu")
FAIL_ON = ("mandatory", "unknown", "target", "proposed", "projection")


class UsageError(Exception):
    """Options that cannot be honoured: an unknown jurisdiction, a period the input does not have, …"""


class InvalidPolicy(Exception):
    """A policy file does not parse or check; `diagnostics` holds the located errors."""

    def __init__(self, error: DiagnosticError):
        super().__init__(error.render())
        self.diagnostics = error


class InvalidInput(Exception):
    """Facility data (or a case's) is invalid; `diagnostics` holds the located errors."""

    def __init__(self, error: DiagnosticError):
        super().__init__(error.render())
        self.diagnostics = error


@attrs.frozen
class EvalRequest:
    """What `policy eval` is asked, once its arguments are parsed."""

    inputs: tuple[str, ...]
    as_of: datetime.date
    jurisdictions: str | None = None  # "de", "de,jp", "all"; None: the main four unless policy_files are given
    policy_files: tuple[str, ...] = ()
    period: str | None = None
    fail_on: frozenset[str] = frozenset({"mandatory"})


# ---------------------------------------------------------------- policies
def shipped_policies() -> dict[str, Path]:
    """Jurisdiction code -> shipped policy file (file stem with '-' read as '_')."""
    return {p.stem.replace("-", "_"): p for p in sorted(_shipped_dir().glob("*.policy"))}


def _shipped_dir() -> Path:
    """dsl.loader.shipped_policies_dir, without importing the parser (a warm run never needs it)."""
    from importlib import resources

    return Path(str(resources.files("dcpolicy.policies")))


def display_path(path: Path) -> str:
    """A stable display name: shipped policies as policies/<file>, others as given."""
    shipped_policies_dir = _shipped_dir
    try:
        return "policies/" + str(path.resolve().relative_to(shipped_policies_dir().resolve()))
    except ValueError:
        return str(path)


def resolve_policies(jurisdictions: str | None, policy_files) -> list[Path]:
    """The policies to evaluate, each once: the shipped ones -j names (all four main ones when neither
    -j nor --policy is given), then the --policy files. -j and --policy together give both."""
    policy_files = list(policy_files)
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


def check_policy(path: Path, display: str | None = None):
    """Parse and check one policy file: the checked policy (its warnings included), or InvalidPolicy."""
    from ..dsl.loader import load_policy

    try:
        return load_policy(path, display) if display is not None else load_policy(path)
    except DiagnosticError as err:
        raise InvalidPolicy(err) from None


def compile_plans(paths) -> list:
    """Check and compile each policy once; InvalidPolicy if any is invalid. A plan compiled before from
    the same bytes by the same tool comes from the cache (evaluator/plan_cache.py), without parsing."""
    from ..evaluator.plan_cache import entry_key, load_plan, store_plan

    plans = []
    for path in paths:
        display = display_path(path)
        data = path.read_bytes()
        key = entry_key(data, display)
        plan = load_plan(key)
        if plan is None:
            from ..evaluator.compiler import compile_policy

            plan = compile_policy(check_policy(path, display), hashlib.sha256(data).hexdigest())
            store_plan(key, plan)
        plans.append(plan)
    return plans


# ---------------------------------------------------------------- facilities and evaluation
def load_facilities(inputs, stdin_text: str | None = None):
    """Facility files, portfolio files, folders or "-" (stdin_text); InvalidInput with every error located."""
    from ..evaluator.inputs import load_inputs

    try:
        return load_inputs(list(inputs), stdin_text)
    except DiagnosticError as err:
        raise InvalidInput(err) from None


def evaluate_plans(plans, loaded, as_of: datetime.date, period: str | None = None, fail_on=frozenset(),
                   provenance: bool = True):
    """The Run of these plans over these facilities; statuses also count what fail_on opts in. Without
    `provenance`, traces leave out where facts came from (only a full trace shows it)."""
    from ..evaluator.engine import evaluate
    from ..evaluator.status import counting_also

    return counting_also(evaluate(plans, loaded, as_of, period, provenance), fail_on)


def evaluate(request: EvalRequest, stdin_text: str | None = None):
    """All of `policy eval`: resolve and compile the policies, load the facilities, evaluate."""
    plans = compile_plans(resolve_policies(request.jurisdictions, request.policy_files))
    loaded = load_facilities(request.inputs, stdin_text)
    if not loaded.facilities:
        raise UsageError("no facilities in the input")
    check_period(request.period, plans, loaded)
    return evaluate_plans(plans, loaded, request.as_of, request.period, request.fail_on)


STREAM_BATCH = 500  # facilities per streamed batch (more when an operator's facilities run past it)


def evaluate_stream(request: EvalRequest, emit, stdin_text: str | None = None, batch_size: int = STREAM_BATCH,
                    jobs: int = 1, render=None, provenance: bool = True) -> int:
    """`policy eval`, streamed: facilities are read, evaluated and handed to `emit(render(run))` batch by
    batch (evaluator/batches.py: each operator's facilities in one batch, input order kept), so memory
    stays flat; with `jobs` > 1, batches are evaluated and rendered in that many worker processes and
    emitted in input order (cli/workers.py). Returns how many facilities were evaluated. InvalidInput
    and UsageError (an operator split across the input, a --period no facility has) can come after
    some batches were emitted."""
    from .workers import runner
    from ..evaluator.batches import Batches, OperatorSplit
    from ..evaluator.facts import LoadedInput
    from ..evaluator.inputs import StreamOrderError, load_inputs

    plans = compile_plans(resolve_policies(request.jurisdictions, request.policy_files))
    batches = Batches(batch_size)
    witnesses: dict = {}  # one facility per distinct set of periods, for the --period check at the end
    count = 0

    def judge(facilities):
        run = evaluate_plans(plans, LoadedInput(tuple(facilities), ()), request.as_of, request.period,
                             request.fail_on, provenance)
        return render(run) if render is not None else run

    batches_out = runner(jobs, judge, emit)

    def take(facility) -> None:
        nonlocal count
        count += 1
        witnesses.setdefault(tuple((p.label, p.kind, p.start, p.end) for p in facility.periods), facility)
        batch = batches.add(facility)
        if batch:
            batches_out.submit(batch)

    try:
        try:
            load_inputs(list(request.inputs), stdin_text, sink=take)
        except DiagnosticError as err:
            batches_out.finish()  # what was read before the first error is written, whatever the jobs
            raise InvalidInput(err) from None
        except (OperatorSplit, StreamOrderError) as err:
            batches_out.finish()
            raise UsageError(str(err)) from None
        rest = batches.finish()
        if rest:
            batches_out.submit(rest)
        batches_out.finish()
    finally:
        batches_out.close()
    if not count:
        raise UsageError("no facilities in the input")
    check_period(request.period, plans, LoadedInput(tuple(witnesses.values()), ()))
    return count


def check_period(label: str | None, plans, loaded) -> None:
    """--period must name a period some facility of the input has under some chosen policy's calendar."""
    from ..evaluator.periods import candidate_periods, normalise_label

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


# ---------------------------------------------------------------- test cases
def _no_warnings(paths) -> None:
    """--strict: a policy's warnings fail the run like errors (InvalidPolicy with every warning)."""
    warnings, sources = [], {}
    for path in paths:
        checked = check_policy(path, display_path(path))
        warnings.extend(checked.warnings)
        sources[display_path(path)] = checked.source
    if warnings:
        raise InvalidPolicy(DiagnosticError(warnings, sources))


@attrs.frozen
class CaseOutcome:
    case: object  # cases.Case
    problems: tuple[str, ...]  # empty when the case passes
    run: object = None  # the case's Run (None when its facility data is invalid)


@attrs.frozen
class CaseRun:
    """What run_cases returns: each case's outcome, and the plans the cases ran against (for coverage)."""

    outcomes: tuple[CaseOutcome, ...]
    plans: tuple = ()

    def __iter__(self):  # a CaseRun reads as its outcomes
        return iter(self.outcomes)

    def __len__(self) -> int:
        return len(self.outcomes)


def run_cases(paths, keyword: str | None = None, strict: bool = False) -> CaseRun:
    """Run the policy test cases in these files or folders (the shipped ones by default).
    Raises cases.CaseFileError for a malformed case file or a policy no case file can find (once, not
    per case), InvalidPolicy for an invalid policy (with `strict`, also for a policy with warnings),
    UsageError when no case is selected."""
    from .cases import CaseFileError, PlanCache, case_files, load_cases, run_case

    files = case_files(list(paths))
    cases = [case for path in files for case in load_cases(path)]
    where = " ".join(str(p) for p in paths) or "the shipped policies' tests"
    if not cases:
        raise UsageError(f"no test cases in {where}; a case file is a YAML file with `policy:` and `cases:` "
                         f"(docs/analyst-guide.md, \"Test cases\")" if files else
                         f"no case files (*.yaml, *.yml) in {where}")
    if keyword:
        selected = [c for c in cases if keyword.lower() in c.name.lower()]
        if not selected:
            raise UsageError(f'-k "{keyword}" matches none of the {len(cases)} case names in {where}')
        cases = selected
    plans = PlanCache()
    for file, policy in dict.fromkeys((c.file, c.policy) for c in cases):
        plans.get(policy, file)  # a missing or invalid policy is one error, before any case runs
    if strict:
        _no_warnings(plans.paths())
    outcomes = []
    for case in cases:
        runs: list = []
        try:
            problems = run_case(case, plans, runs)
        except CaseFileError as err:
            problems = [str(err)]
        outcomes.append(CaseOutcome(case, tuple(problems), runs[0] if runs else None))
    return CaseRun(tuple(outcomes), tuple(plans.plans()))
