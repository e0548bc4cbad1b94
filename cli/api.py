"""The façade every front end calls (the `policy` command, the tests, the benchmark), one function per job.

Check a policy, compile plans, load facilities, evaluate, run test cases. Errors are typed so a
caller maps them to its own outcome (the CLI to exit codes, cli/exits.py); nothing here prints.
"""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path

import attrs

from ..dsl.data import frozen
from ..dsl.diagnostics import DiagnosticError
from ..dsl.files import DEFAULT as DEFAULT_READING, ReadOptions

MAIN_JURISDICTIONS = ("jp", "de", "cn", "eu", "ie", "sg", "fr", "nl")  # -j all; -j home also takes every shipped regime but drafts
# Drafts of a law judge only when named (-j de_draft_2026), never by -j home beside the law in force.
DRAFT_JURISDICTIONS = ("de_draft_2026",)
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


@frozen
class EvalRequest:
    """What `policy eval` is asked, once its arguments are parsed."""

    inputs: tuple[str, ...]
    as_of: datetime.date
    # "de", "de,jp", "all", "home", "home,jp"; None: home when every facility has a location.country (all
    # main regimes otherwise), unless policy_files are given (docs/results.md, "Which regimes judge")
    jurisdictions: str | None = None
    policy_files: tuple[str, ...] = ()
    period: str | None = None
    fail_on: frozenset[str] = frozenset({"mandatory"})
    overrides: tuple[str, ...] = ()  # what-if: "PATH=VALUE", applied as if the file said it (evaluator/overrides.py)
    reading: ReadOptions = DEFAULT_READING  # --max-input-size, --allow-outside (dsl/files.py)


# ---------------------------------------------------------------- policies
def shipped_policies() -> dict[str, Path]:
    """Jurisdiction code -> shipped policy file (file stem with '-' read as '_')."""
    return {p.stem.replace("-", "_"): p for p in sorted(_shipped_dir().glob("*.policy"))}


def _shipped_dir() -> Path:
    """dsl.loader.shipped_policies_dir, without importing the parser (a warm run never needs it)."""
    from .. import policies  # a regular package on disk (installed or editable): its folder, without
    # importlib.resources (which imports zipfile and tempfile, a tenth of a warm start)

    return Path(policies.__file__).parent


def display_path(path: Path) -> str:
    """A stable display name: shipped policies as policies/<file>, others as given."""
    try:
        return "policies/" + str(path.resolve().relative_to(_shipped_dir().resolve()))
    except ValueError:
        return str(path)


def resolve_policies(jurisdictions: str | None, policy_files) -> list[Path]:
    """The policies to evaluate, each once: the shipped ones -j names (all the main ones when neither
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


HOME = "home"


def wants_home(jurisdictions: str | None, policy_files, loaded) -> bool:
    """-j home (alone or with codes); or no -j and no --policy, and every facility says its country."""
    if jurisdictions is None:
        return not policy_files and all(f.facts.get("location.country") for f in loaded.facilities)
    return HOME in {j.strip().lower() for j in jurisdictions.split(",")}


def choose(jurisdictions: str | None, policy_files, loaded) -> list[tuple[Path, bool | None]]:
    """The policies to evaluate with where each judges: (path, True) every facility, (path, False) only
    the facilities its territory contains (-j home), (path, None) a --policy file under -j home: at home
    if it declares a territory (a regional rule, CN-SH), else everywhere. Home candidates are the
    shipped regimes except drafts (home_jurisdictions), and the --policy files."""
    if not wants_home(jurisdictions, policy_files, loaded):
        return [(path, True) for path in resolve_policies(jurisdictions, policy_files)]
    if jurisdictions is not None:
        nowhere = [f for f in loaded.facilities if not f.facts.get("location.country")]
        if nowhere:
            from . import site_words

            raise UsageError(site_words.no_country(nowhere[0].id, nowhere[0].source.path))
    named = _without_home(jurisdictions or "")
    everywhere = resolve_policies(named, ()) if named else []
    shipped = shipped_policies()
    chosen: dict[Path, tuple[Path, bool | None]] = {
        shipped[code].resolve(): (shipped[code], False) for code in home_jurisdictions()}
    for path in everywhere:
        chosen[path.resolve()] = (path, True)
    for path in map(Path, policy_files):
        chosen.setdefault(path.resolve(), (path, None))
    return list(chosen.values())


def home_jurisdictions() -> tuple[str, ...]:
    """The regimes -j home chooses from by territory: the main four first, then the other shipped ones
    (regional overlays such as cn_bj, issue 13's regimes), drafts left out."""
    others = sorted(set(shipped_policies()) - set(MAIN_JURISDICTIONS) - set(DRAFT_JURISDICTIONS))
    return MAIN_JURISDICTIONS + tuple(others)


def _without_home(jurisdictions: str) -> str:
    """The -j codes other than home, comma-separated ("" when home is all)."""
    return ",".join(j.strip() for j in jurisdictions.split(",") if j.strip() and j.strip().lower() != HOME)


def _shipped_named(jurisdictions: str) -> list[Path]:
    """-j: codes (de_draft_2026) or file stems (de-draft-2026), any case, comma-separated; "all"."""
    available = shipped_policies()
    names = [j.strip() for j in jurisdictions.split(",") if j.strip()]
    if not names:
        raise UsageError(f'-j "{jurisdictions}" names no jurisdiction; write e.g. de, de,jp, all or home')
    chosen = []
    for name in names:
        code = name.lower().replace("-", "_")
        if code == HOME:
            raise UsageError("-j home chooses regimes per facility, which this command cannot do; name the codes")
        if code == "all":
            chosen.extend(available[c] for c in MAIN_JURISDICTIONS)
        elif code in available:
            chosen.append(available[code])
        else:
            import difflib

            known = ", ".join(sorted(available)) or "none"
            close = difflib.get_close_matches(code, [*available, "all", HOME], n=1)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            raise UsageError(f'unknown jurisdiction "{name}"{hint}; available: {known}, "all" or "home"')
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
        data = _policy_bytes(path, display)
        key = entry_key(data, display)
        plan = load_plan(key)
        if plan is None:
            plan = _compiled(path, display, data)
            store_plan(key, plan)
        plans.append(plan)
    return plans


def _policy_bytes(path: Path, display: str) -> bytes:
    """A policy file's bytes (a regular file within the size limit, dsl/files.py); InvalidPolicy if unreadable."""
    from ..dsl.diagnostics import Span
    from ..dsl.facility_messages import F101
    from ..dsl.files import read_input

    try:
        return read_input(path)
    except OSError as exc:
        raise InvalidPolicy(DiagnosticError([F101.policy_file.at(Span.point(display, 1, 1),
                                                                 reason=exc.strerror or exc)])) from None


def _compiled(path: Path, display: str, data: bytes):
    """Parse, check and compile one policy with the cyclic collector paused: the tree, the checked tree
    and the plan are made in one burst with nothing to collect in it (as evaluation pauses it)."""
    import gc

    from ..evaluator.compiler import compile_policy

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return compile_policy(check_policy(path, display), hashlib.sha256(data).hexdigest())
    finally:
        if was_enabled:
            gc.enable()


# ---------------------------------------------------------------- facilities and evaluation
def load_facilities(inputs, stdin_text: str | None = None, overrides=(), reading: ReadOptions = DEFAULT_READING):
    """Facility files, portfolio files, folders or "-" (stdin_text); InvalidInput with every error located.
    `overrides`: what-if "PATH=VALUE" texts, validated like the file (evaluator/overrides.py)."""
    from ..evaluator.inputs import load_inputs

    try:
        return load_inputs(list(inputs), stdin_text, overrides=overrides, reading=reading)
    except DiagnosticError as err:
        raise InvalidInput(err) from None
    except Exception as err:
        if overrides:  # only a what-if run imports evaluator/overrides.py, or can raise its error
            from ..evaluator.overrides import OverrideError

            if isinstance(err, OverrideError):
                raise UsageError(str(err)) from None
        raise


def evaluate_plans(plans, loaded, as_of: datetime.date, period: str | None = None, fail_on=frozenset(),
                   where=None, provenance: bool = True):
    """The Run of these plans over these facilities; statuses also count what fail_on opts in.
    `where`: one flag per plan, True to judge every facility, False only those its territory contains.
    Without `provenance`, traces leave out where facts came from (only a full trace shows it)."""
    from ..evaluator.home import Chosen, evaluate_chosen, unjudged
    from ..evaluator.status import counting_also

    chosen = [Chosen(plan, True if where is None else flag) for plan, flag in zip(plans, where or plans)]
    run = evaluate_chosen(chosen, loaded, as_of, period, provenance)
    missing = tuple(f.id for f in unjudged(chosen, loaded))
    if missing or loaded.overrides:
        run = attrs.evolve(run, unjudged=missing, overrides=loaded.overrides)
    return counting_also(run, fail_on)


def evaluate(request: EvalRequest, stdin_text: str | None = None):
    """All of `policy eval`: resolve and compile the policies, load the facilities, evaluate."""
    return evaluate_all(request, stdin_text).run


@frozen
class Evaluated:
    """A Run with the plans and the input it came from (the operator views read themes and sources)."""

    run: object  # results.Run
    plans: tuple  # plan.Plan, in the Run's jurisdiction order
    loaded: object  # facts.LoadedInput
    where: tuple[bool, ...] = ()  # per plan: judges every facility (True) or those of its territory

    def at(self, as_of: datetime.date, period: str | None = None, fail_on=frozenset()):
        """The Run of the same plans over the same input at another date (timelines)."""
        return evaluate_plans(list(self.plans), self.loaded, as_of, period, fail_on, where=list(self.where))


def evaluate_all(request: EvalRequest, stdin_text: str | None = None) -> Evaluated:
    """As evaluate, keeping the plans and the loaded input beside the Run."""
    if request.jurisdictions is not None:  # an unknown code is reported before the input is read
        named = _without_home(request.jurisdictions)
        if named or not wants_home(request.jurisdictions, (), None):
            _shipped_named(named or request.jurisdictions)
    loaded = load_facilities(request.inputs, stdin_text, request.overrides, request.reading)
    if not loaded.facilities:
        raise UsageError("no facilities in the input")
    chosen = choose(request.jurisdictions, request.policy_files, loaded)
    plans = compile_plans([path for path, _ in chosen])
    check_period(request.period, plans, loaded)
    where = tuple(plan.territory is None if everywhere is None else everywhere
                  for plan, (_, everywhere) in zip(plans, chosen))
    run = evaluate_plans(plans, loaded, request.as_of, request.period, request.fail_on, where=list(where))
    return Evaluated(run, tuple(plans), loaded, where)


def verdict_plans(plans) -> list:
    """The plans in verdict form (evaluator/verdict_code.py), made once per run for judge_verdicts."""
    from ..evaluator.verdict_code import verdict_plan
    return [verdict_plan(plan) for plan in plans]


def judge_verdicts(plans, where, loaded, as_of: datetime.date, period: str | None = None, fail_on=frozenset()):
    """Verdicts alone (evaluator/verdict_runs.py): each facility's verdict per rule and status, no reasons;
    `plans` from verdict_plans, `where` as for evaluate_plans. Operators' rules are judged in full."""
    from ..evaluator.results import SET_ASIDE
    from ..evaluator.verdict_runs import judge_chosen
    chosen = [(plan, True if where is None else flag) for plan, flag in zip(plans, where or plans)]
    return judge_chosen(chosen, loaded, as_of, period, frozenset(fail_on) & frozenset(SET_ASIDE))


STREAM_BATCH = 100  # facilities per streamed batch (more when an operator's facilities run past it): measured on
# 2,000 facilities, as fast as 500 and a third of the peak memory (a batch's results and traces are what memory holds)


def evaluate_stream(request: EvalRequest, emit, stdin_text: str | None = None, batch_size: int = STREAM_BATCH,
                    jobs: int = 1, render=None, provenance: bool = True, unjudged: list | None = None,
                    render_parts=None, applied: list | None = None, judge_batch=None, encoding=None) -> int:
    """`policy eval`, streamed (cli/stream.py): facilities read, evaluated and handed to `emit(render(run))`
    batch by batch, memory flat; with `jobs` > 1 in worker processes, emitted in input order. Returns how
    many facilities were evaluated; `unjudged` gains the ids no chosen regime governs (-j home), `applied`
    the facts the request's --set overrides replaced. With `render_parts` (cli/jsonl.py `jsonl_parts` and an
    exit code) and jobs > 1, one large register is split so that each worker reads its own share
    (cli/split_stream.py; not with --set, whose overrides are written in by this process's reading); with the
    output's `encoding` too (cli/spool.py), what the workers render comes to `emit` as spool.Spooled pieces."""
    from .stream import evaluate_stream as stream
    return stream(request, emit, stdin_text, batch_size, jobs, render, provenance, unjudged, render_parts, applied,
                  judge_batch, encoding)


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
def run_cases(paths, keyword: str | None = None, strict: bool = False, keep_runs: bool = True):
    """Run the policy test cases in these files or folders (the shipped ones by default).
    Raises cases.CaseFileError for a malformed case file or a policy no case file can find (once, not
    per case), InvalidPolicy for an invalid policy (with `strict`, also for a policy with warnings),
    UsageError when no case is selected. Returns a cases.CaseRun; each outcome keeps its case's Run only
    with `keep_runs` (coverage reads them; hundreds of kept Runs make every garbage collection longer)."""
    from .cases import CaseFileError, CaseOutcome, CaseRun, PlanCache, case_files, load_cases, no_warnings, run_case

    files = case_files(list(paths))
    plans = PlanCache()
    cases = [case for path in files for case in load_cases(path, plans.resolve)]
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
    for file, policy in dict.fromkeys((c.file, c.policy) for c in cases):
        plans.get(policy, file)  # a missing or invalid policy is one error, before any case runs
    if strict:
        no_warnings(plans.paths())
    outcomes = []
    for case in cases:
        runs: list | None = [] if keep_runs else None
        try:
            problems = run_case(case, plans, runs)
        except CaseFileError as err:
            problems = [str(err)]
        outcomes.append(CaseOutcome(case, tuple(problems), runs[0] if runs else None))
    return CaseRun(tuple(outcomes), tuple(plans.plans()))
