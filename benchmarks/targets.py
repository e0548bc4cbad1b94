"""Issue 9's targets, every figure with its target and whether it is met, measured side by side in one run.

    .venv/bin/python benchmarks/targets.py            # 10,000 and 100,000 facilities: about 15 minutes
    .venv/bin/python benchmarks/targets.py --quick    # 1,000 and 3,000: a minute, for trying changes
    .venv/bin/python benchmarks/targets.py --only start   # one group of figures (evaluation, start, scale)
    .venv/bin/python benchmarks/targets.py --only scale --large 2000 --huge 20000 --baseline ''  # while iterating

Each command runs as a separate process (`python -c` calling the `policy` entry point, its CPU time and
peak RSS read with getrusage, workers included); times are medians of --repeat runs (the 100,000 run
and today's `--format json` run once). "Today" is the tool before issue 9 (--baseline, a git revision,
extracted to a temporary folder). Peers (regopy, cedarpy) are `pip install -e '.[bench]'` extras and
are skipped with a message when not installed.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import bench_eval  # noqa: E402
import peers  # noqa: E402

AS_OF = "2031-06-01"
BASELINE = "9a52055"  # the last commit before issue 9
RUNNER = """\
import os, resource, sys, time
sys.path[:0] = [p for p in os.environ.get("BENCH_PATH", "").split(os.pathsep) if p]
start = time.perf_counter()
{body}
wall = time.perf_counter() - start
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
# VmHWM, not ru_maxrss: Linux carries a forked parent's high-water mark across exec into ru_maxrss, so this
# process would report the benchmark's own peak (it just generated a 100,000-facility file)
own = next((int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:")), me.ru_maxrss)
print("BENCH", wall, me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime, max(own, kids.ru_maxrss),
      own + kids.ru_maxrss, file=sys.stderr)
"""
POLICY = "import sys\nfrom dcpolicy.cli.main import main\nsys.argv = ['policy', *sys.argv[1:]]\ncode = main()\nsys.stdout.flush()"
YAML_LOAD = "import sys, yaml\ntext = open(sys.argv[1], encoding='utf-8').read()\nyaml.load(text, Loader=yaml.CSafeLoader)"
IMPORTS = "import lark, yaml, attrs, rich"


def measure(body: str, args=(), env=None, stdout=None) -> dict:
    """One process: wall seconds, CPU seconds (with children), peak RSS in MiB (largest one, and all together)."""
    completed = subprocess.run([sys.executable, "-c", RUNNER.format(body=body), *map(str, args)], cwd=ROOT,
                               env={**os.environ, **(env or {})}, stdout=stdout or subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    line = [x for x in completed.stderr.splitlines() if x.startswith("BENCH ")]
    if not line:
        raise SystemExit(f"benchmark step failed: {body[:60]!r} {args}\n{completed.stderr[-2000:]}")
    wall, cpu, rss, rss_all = map(float, line[-1].split()[1:])
    return {"wall": wall, "cpu": cpu, "rss": rss / 1024, "rss_all": rss_all / 1024}


def median_of(repeat: int, run) -> dict:
    samples = [run() for _ in range(max(1, repeat))]
    return {key: statistics.median(s[key] for s in samples) for key in samples[0]}


def eval_args(path, *extra) -> list:
    # The four regimes, named: -j all has grown since (ie, sg, …) and would change the figure.
    return ["eval", "--jurisdiction", "jp,de,cn,eu", "--as-of", AS_OF, *extra, path]


def baseline_tree(revision: str, folder: Path) -> Path:
    """The tool at `revision`, importable as dcpolicy from the returned folder."""
    source = folder / "source"
    source.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", revision], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
    package = folder / "path" / "dcpolicy"
    package.mkdir(parents=True)
    shutil.copy(source / "cli" / "_namespace" / "__init__.py", package / "__init__.py")
    for name in ("dsl", "evaluator", "cli", "policies"):
        shutil.copytree(source / name, package / name)
    return folder / "path"


# ------------------------------------------------------------------------------------------------ figures
class Table:
    def __init__(self):
        self.rows: list[tuple[str, str, str, str]] = []

    def add(self, figure: str, measured: str, target: str, met: bool | None) -> None:
        self.rows.append((figure, measured, target, "—" if met is None else "yes" if met else "NO"))
        print(f"  {figure}: {measured} (target {target}) {self.rows[-1][3]}", file=sys.stderr, flush=True)

    def render(self) -> str:
        head = ("figure", "measured", "target", "met")
        widths = [max(len(r[i]) for r in [head, *self.rows]) for i in range(4)]
        lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(head, widths)) + " |",
                 "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
        lines += ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |" for row in self.rows]
        return "\n".join(lines)


def scale_figures(table: Table, work: Path, large: int, huge: int, repeat: int, baseline: Path | None) -> None:
    large_path, huge_path = work / f"register-{large}.yaml", work / f"register-{huge}.yaml"
    large_path.write_text(bench_eval.synthetic_portfolio(large, 1), encoding="utf-8")
    jsonl_large = median_of(repeat, lambda: measure(POLICY, eval_args(large_path, "--format", "jsonl", "--jobs", "1")))
    large_path_text = str(large_path)
    yaml_cpu = median_of(repeat, lambda: measure(YAML_LOAD, [large_path_text]))["cpu"]
    ratio = jsonl_large["cpu"] / yaml_cpu
    table.add(f"{large:,} facilities x 4 regimes, jsonl: CPU / yaml.load CSafeLoader CPU",
              f"{jsonl_large['cpu']:.1f} s / {yaml_cpu:.1f} s = {ratio:.1f}x", "<= 1.5x", ratio <= 1.5)
    verdicts_cpu = median_of(repeat, lambda: measure(POLICY, eval_args(large_path, "--format", "verdicts", "--jobs",
                                                                        "1")))["cpu"]
    table.add("  the same, --format verdicts (verdicts alone, CSV) / yaml.load CSafeLoader CPU",
              f"{verdicts_cpu:.1f} s / {yaml_cpu:.1f} s = {verdicts_cpu / yaml_cpu:.1f}x", "—", None)
    if baseline is not None:
        today = measure(POLICY, eval_args(large_path, "--format", "json"), env={"BENCH_PATH": str(baseline)})
        gain = today["cpu"] / jsonl_large["cpu"]
        table.add(f"{large:,} facilities: today's --format json CPU / jsonl CPU",
                  f"{today['cpu']:.1f} s / {jsonl_large['cpu']:.1f} s = {gain:.1f}x (today's peak "
                  f"{today['rss']:.0f} MiB)", ">= 5x", gain >= 5)
    else:
        table.add(f"{large:,} facilities: today's --format json CPU / jsonl CPU", "skipped (no --baseline)",
                  ">= 5x", None)

    outputs = []
    runs = {}
    for jobs in (1, 2):
        out_path = work / f"jobs-{jobs}.jsonl"

        def run(jobs=jobs, out_path=out_path):
            with open(out_path, "w", encoding="utf-8") as out:
                return measure(POLICY, eval_args(large_path, "--format", "jsonl", "--jobs", jobs), stdout=out)

        runs[jobs] = median_of(repeat, run)
        outputs.append(out_path.read_bytes())
    speedup = runs[1]["wall"] / runs[2]["wall"]
    same = outputs[0] == outputs[1]
    table.add(f"{large:,} facilities, jsonl: --jobs 2 speed-up over --jobs 1 (wall)",
              f"{runs[1]['wall']:.1f} s / {runs[2]['wall']:.1f} s = {speedup:.2f}x, output identical: "
              f"{'yes' if same else 'NO'}", ">= 1.7x, identical", speedup >= 1.7 and same)
    overhead = runs[2]["cpu"] / runs[1]["cpu"]  # user+sys with the workers': independent of other load
    table.add(f"{large:,} facilities, jsonl: --jobs 2 CPU / --jobs 1 CPU (parallel overhead)",
              f"{runs[2]['cpu']:.1f} s / {runs[1]['cpu']:.1f} s = {overhead:.2f}x", "—", None)

    huge_path.write_text(bench_eval.synthetic_portfolio(huge, 1), encoding="utf-8")
    jsonl_huge = measure(POLICY, eval_args(huge_path, "--format", "jsonl", "--jobs", "1"))
    growth = jsonl_huge["rss"] / jsonl_large["rss"]
    table.add(f"{huge:,} facilities x 4 regimes, jsonl: peak RSS", f"{jsonl_huge['rss']:.0f} MiB "
              f"({jsonl_huge['wall']:.0f} s wall, {jsonl_huge['cpu']:.0f} s CPU)", "<= 1024 MiB",
              jsonl_huge["rss"] <= 1024)
    table.add(f"peak RSS {huge:,} / {large:,} facilities", f"{jsonl_huge['rss']:.0f} / {jsonl_large['rss']:.0f} MiB"
              f" = {growth:.2f}x", "<= 1.3x", growth <= 1.3)


PUE_POLICY = bench_eval.BUILTIN.split("rule erf_existing")[0].replace('define erf = period.energy.reused / period.energy.total\n', "")


def handwritten_pue(facility, as_of) -> tuple[str, str, str]:
    """The floor: the three PUE rules in plain Python over the loaded facts (bench_eval's semantics)."""
    f = facility.facts
    network_node, nominal = f.get("network_node"), f.get("power.nominal_connected")
    if (network_node is not None and network_node.value is True) or (
            nominal is not None and not bench_eval._ge(nominal.value, 300.0)):
        return ("not_applicable",) * 3
    chosen = None
    for p in facility.periods:
        if p.start.month == 1 and p.start.day == 1 and p.end.month == 12 and p.end.day == 31 and p.end <= as_of:
            if chosen is None or p.end > chosen.end:
                chosen = p
    total = chosen.facts.get("energy.total") if chosen else None
    it = chosen.facts.get("energy.it") if chosen else None
    pue = bench_eval._div(total.value if total else None, it.value if it else None)
    started = f["started"].value
    existing = started < bench_eval.CUTOFF
    decide = bench_eval._decide
    return (decide(existing, datetime.date(2027, 7, 1), bench_eval._le(pue, 1.5), as_of),
            decide(existing, datetime.date(2030, 7, 1), bench_eval._le(pue, 1.3), as_of),
            decide(not existing, bench_eval._plus_years(started, 2), bench_eval._le(pue, 1.2), as_of))


def evaluation_figures(table: Table, facilities: int, repeat: int) -> None:
    from dcpolicy.cli.api import evaluate_plans, load_facilities, verdict_plans
    from dcpolicy.dsl.checker import check
    from dcpolicy.dsl.parser import parse
    from dcpolicy.evaluator.compiler import compile_policy
    from dcpolicy.evaluator.verdicts import judge

    as_of = datetime.date.fromisoformat(AS_OF)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "register.yaml"
        path.write_text(bench_eval.synthetic_portfolio(facilities, 2), encoding="utf-8")
        loaded = load_facilities([str(path)])
    plan = compile_policy(check(parse(PUE_POLICY, "pue.policy"), PUE_POLICY), "0" * 64)
    verdict_form = verdict_plans([plan])  # made once, as the plan is compiled once (not in the figure)
    n = len(loaded.facilities)
    facts = [peers.facts_of(f, as_of) for f in loaded.facilities]
    # The loaded facilities and the peers' inputs live through every run: frozen out of the cyclic collector,
    # so the collection each run ends with walks exactly what that run left behind (and nothing else).
    gc.collect()
    gc.freeze()

    def ours():  # verdicts alone (evaluator/verdicts.py), as the floor and the peers give them
        found = judge(verdict_form, loaded, as_of)
        verdicts = [e.verdicts for e in found]
        del found
        gc.collect()
        return verdicts

    def full():  # every result with its reason, figures and trace (what jsonl and json render)
        run = evaluate_plans([plan], loaded, as_of, provenance=False)
        verdicts = [tuple(r.verdict for r in e.results) for e in run.evaluations]
        del run
        gc.collect()
        return verdicts

    def floor():
        return [handwritten_pue(f, as_of) for f in loaded.facilities]

    # CPU time of this process, not wall time: the machine is shared, and a wall clock counts the time other
    # work held the cores. Every figure here is in-process (the peers too), so all are measured alike.
    clock = time.process_time

    def timed(fn):
        samples, result = [], None
        for _ in range(max(5, repeat)):
            start = clock()
            result = fn()
            samples.append(clock() - start)
        return statistics.median(samples) / n * 1e6, result

    runners = {"floor": floor, "ours": ours, "full": full}
    for name, why in peers.available().items():
        if why is None:
            runner = peers.rego_runner() if name == "regopy" else peers.cedar_runner()
            runners[name] = lambda runner=runner: runner(facts)
    figures = {name: timed(fn) for name, fn in runners.items()}
    gc.unfreeze()
    (floor_us, floor_verdicts), (ours_us, ours_verdicts) = figures["floor"], figures["ours"]
    agree = ours_verdicts == floor_verdicts
    table.add(f"evaluation alone, EnEfG §11 PUE rules, {n:,} facilities, collection included: dcpolicy verdicts / "
              "hand-written", f"{ours_us:.1f} µs / {floor_us:.1f} µs = {ours_us / floor_us:.1f}x, verdicts agree: "
              f"{'yes' if agree else 'NO'}", "<= 5x", ours_us / floor_us <= 5 and agree)
    full_us, full_verdicts = figures["full"]
    table.add("  the same with every reason, figure and trace (evaluate(), what json and jsonl render) / hand-written",
              f"{full_us:.1f} µs / {floor_us:.1f} µs = {full_us / floor_us:.1f}x, verdicts agree: "
              f"{'yes' if full_verdicts == floor_verdicts else 'NO'}", "—", None)
    for name, why in peers.available().items():
        if why is not None:
            table.add(f"{name} / dcpolicy verdicts, same rules and facilities", f"skipped: {name} {why}", ">= 5x",
                      None)
            continue
        peer_us, peer_verdicts = figures[name]
        agree = peer_verdicts == ours_verdicts
        disagreements = sum(a != b for a, b in zip(peer_verdicts, ours_verdicts))
        table.add(f"{name} / dcpolicy verdicts, same rules and facilities", f"{peer_us:.1f} µs / {ours_us:.1f} µs = "
                  f"{peer_us / ours_us:.1f}x, verdicts agree: {'yes' if agree else f'NO ({disagreements} differ)'}",
                  ">= 5x", peer_us / ours_us >= 5 and agree)


def compile_bytecode(*folders: Path) -> None:
    """Write the .pyc files first, as installing a package does: a start-up figure is about our code, and an
    editable install under PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module from source each run."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", *map(str, folders)], check=True,
                   stdout=subprocess.DEVNULL)


def side_by_side(runs: int, *steps) -> list[dict]:
    """The medians of each step, its runs taken in turn with the others' (a, b, a, b, …), so that a change
    in the machine's load during the measurement weighs on every step alike (the machine is shared)."""
    samples = [[] for _ in steps]
    for _ in range(max(1, runs)):
        for step, taken in zip(steps, samples):
            taken.append(step())
    return [{key: statistics.median(s[key] for s in taken) for key in taken[0]} for taken in samples]


def start_figures(table: Table, work: Path, repeat: int, baseline: Path | None) -> None:
    compile_bytecode(*(ROOT / name for name in ("dsl", "evaluator", "cli")), *([baseline] if baseline else []))
    one = ["eval", "-j", "de", "--as-of", AS_OF, "--format", "json", "examples/fra-3.yaml"]
    cache = work / "cache"
    measure(POLICY, one, env={"DCPOLICY_CACHE_DIR": str(cache)})  # fill it
    runs = max(7, repeat)
    warm, floor = (m["wall"] for m in side_by_side(
        runs, lambda: measure(POLICY, one, env={"DCPOLICY_CACHE_DIR": str(cache)}), lambda: measure(IMPORTS)))
    table.add("cold one-facility eval -j de --format json, warm cache / import floor (lark, yaml, attrs, rich)",
              f"{warm * 1000:.0f} ms / {floor * 1000:.0f} ms = {warm / floor:.2f}x", "<= 1.3x", warm / floor <= 1.3)
    counter = iter(range(10**6))

    def empty_cache():
        return measure(POLICY, one, env={"DCPOLICY_CACHE_DIR": str(work / f"empty-{next(counter)}")})

    if baseline is not None:
        empty, today = (m["wall"] for m in side_by_side(
            runs, empty_cache, lambda: measure(POLICY, one, env={"BENCH_PATH": str(baseline)})))
        table.add("same, empty cache / today", f"{empty * 1000:.0f} ms / {today * 1000:.0f} ms = "
                  f"{empty / today:.2f}x", "<= 1.0x", empty <= today)
    test, check = (m["wall"] for m in side_by_side(
        repeat, lambda: measure(POLICY, ["test"], env={"DCPOLICY_CACHE_DIR": "off"}),
        lambda: measure(POLICY, ["check", "policies/"], env={"DCPOLICY_CACHE_DIR": "off"})))
    table.add("policy test (all shipped cases) / policy check policies/", f"{test:.2f} s / {check:.2f} s = "
              f"{test / check:.2f}x", "<= 3x", test / check <= 3)


GROUPS = ("evaluation", "start", "scale")  # --only: the figures of one group (evaluation alone, cold start, registers)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=int, default=10_000, help="facilities of the CPU and --jobs figures")
    parser.add_argument("--huge", type=int, default=100_000, help="facilities of the memory figure")
    parser.add_argument("--evaluation", type=int, default=2_000, help="facilities of the evaluation-alone figures")
    parser.add_argument("--repeat", type=int, default=5, help="runs per median of the small figures")
    parser.add_argument("--repeat-large", type=int, default=1, help="runs per median of the --large figures")
    parser.add_argument("--baseline", default=BASELINE, help="git revision of 'today' (before issue 9); '' to skip")
    parser.add_argument("--quick", action="store_true", help="1,000 and 3,000 facilities, one run each")
    parser.add_argument("--only", action="append", choices=GROUPS, metavar="GROUP",
                        help=f"measure only this group of figures (repeatable): {', '.join(GROUPS)}")
    args = parser.parse_args(argv)
    groups = set(args.only or GROUPS)
    if args.quick:
        args.large, args.huge, args.evaluation, args.repeat = 1_000, 3_000, 500, 3
    table = Table()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        baseline = baseline_tree(args.baseline, work / "baseline") if args.baseline and groups - {"evaluation"} else None
        if "evaluation" in groups:
            evaluation_figures(table, args.evaluation, args.repeat)
        if "start" in groups:
            start_figures(table, work, args.repeat, baseline)
        if "scale" in groups:
            scale_figures(table, work, args.large, args.huge, args.repeat_large, baseline)
    machine = (f"{os.cpu_count()} cores ({platform.processor() or platform.machine()}), "
               f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
               f"Python {platform.python_version()}, load average at the end {os.getloadavg()[0]:.1f}")
    print(f"dcpolicy issue 9 targets — {machine}; medians of {args.repeat} ({args.repeat_large} for "
          f"{args.large:,} facilities, 1 for {args.huge:,}); "
          f"{time.perf_counter() - started:.0f} s in all\n")
    print(table.render())
    return 0 if all(row[3] != "NO" for row in table.rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
