"""Benchmark: parse+check, compile, load and evaluate on a synthetic portfolio.

    .venv/bin/python benchmarks/bench_eval.py --facilities 2000

Generates N synthetic facilities with 3 reporting periods each, writes them as one portfolio
YAML to a temporary directory, and times, each the best of --repeat runs:

* policy parse+check (``dsl.loader.load_policy``) and compile (``compile_policy``) of the shipped
  ``policies/*.policy`` (if they check clean) and of a built-in Germany-like policy (BUILTIN, 11 rules);
* loading the YAML (``load_inputs``);
* evaluating all shipped policies over the portfolio (rule results per second, µs per result);
* evaluating BUILTIN, and a hand-written Python function (``handwritten``) that implements the
  same rules on the same loaded data with the same three-valued semantics; its verdicts are checked
  against the generated plan's, and the time ratio generated / hand-written is printed.
  The hand-written function returns verdicts and values only (no traces, reasons, result objects).

Peak memory (tracemalloc) is measured in a separate, untimed pass, because tracing slows Python down.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import hashlib
import math
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from dcpolicy.dsl.checker import check  # noqa: E402
from dcpolicy.dsl.diagnostics import DiagnosticError  # noqa: E402
from dcpolicy.dsl.loader import load_policy  # noqa: E402
from dcpolicy.dsl.parser import parse  # noqa: E402
from dcpolicy.evaluator.compiler import compile_policy  # noqa: E402
from dcpolicy.evaluator.engine import evaluate  # noqa: E402
from dcpolicy.evaluator.inputs import load_inputs  # noqa: E402

D = datetime.date

# ------------------------------------------------------------------------------------------------
# A built-in policy modelled on Germany's EnEfG (synthetic; citations abbreviated)
# ------------------------------------------------------------------------------------------------
BUILTIN = """\
jurisdiction bx "Benchland"
  law          "Benchmark Act (synthetic, modelled on EnEfG 2023)"
  legal-status in-force
  calendar     calendar-year

define pue = period.energy.total / period.energy.it
define erf = period.energy.reused / period.energy.total
define renewable_share = period.energy.renewable / period.energy.total
define new_dc_cutoff = 2026-07-01
define grace = 2 years
define erf_minimum = (20 % when facility.started >= 2028-07-01,
                      15 % when facility.started >= 2027-07-01,
                      10 % otherwise)

scope "Data centres (cf. EnEfG §3 Nr. 24)"
  cite    "B §3 Nr. 24"
  applies facility.power.nominal_connected >= 300 kW
  exclude facility.network_node
    cite    "B §3 Nr. 24 c"
    because "network nodes are not data centres"

rule pue_existing_2027 "Existing: PUE at most 1.5"
  cite     "B §11(1) Nr. 1"
  applies  facility.started < new_dc_cutoff
  from     2027-07-01
  require  pue <= 1.5

rule pue_existing_2030 "Existing: PUE at most 1.3"
  cite     "B §11(1) Nr. 2"
  applies  facility.started < new_dc_cutoff
  from     2030-07-01
  require  pue <= 1.3

rule pue_new "New: PUE at most 1.2"
  cite     "B §11(2) Nr. 1"
  applies  facility.started >= new_dc_cutoff
  from     facility.started + grace
  require  pue <= 1.2

rule erf_existing "Existing: ERF at least 10 %"
  cite     "B §11(2)"
  applies  facility.started < new_dc_cutoff
  from     2028-07-01
  require  erf >= 10 %
  exempt   facility.erf_exemption in {"no_fault", "heat_network_agreement", "offer_declined"}
    cite    "B §11(3)"
    because "an exemption of §11(3) is proven"

rule erf_new "New: ERF by start of operation"
  cite     "B §11(2) S. 1 Nr. 2"
  applies  facility.started >= new_dc_cutoff
  from     facility.started + grace
  require  erf >= erf_minimum
  exempt   facility.erf_exemption in {"no_fault", "heat_network_agreement", "offer_declined"}
    cite    "B §11(3)"
    because "an exemption of §11(3) is proven"

rule renewable_50 "Renewable electricity at least 50 %"
  cite     "B §11(5) S. 1"
  from     2024-01-01
  require  renewable_share >= 50 %

rule renewable_100 "Renewable electricity 100 %"
  cite     "B §11(5) S. 2"
  from     2027-01-01
  require  renewable_share >= 100 %

rule ems "Energy management system"
  cite     "B §12(1)"
  applies  facility.power.nominal_connected >= 1 MW
  from     2025-07-01
  require  facility.management_system.standard in {"ISO 50001", "EMAS"} or facility.public_sector

rule growth "Energy use grows at most 10 % a year"
  cite     "B §99"
  severity advisory
  require  period.energy.total <= period[-1].energy.total * 1.1

band pue_band "PUE band"
  cite  "B Annex"
  of    pue
  level "A" (-inf, 1.2)
  level "B" [1.2, 1.5)
  level "C" [1.5, inf)

report register "Register information"
  cite     "B §13(1), Anlage 3"
  severity mandatory
  due      date(year(period.end) + 1, 3, 31)
  item  name  "1 a Name" public facility.name
  item  pue_i "2 f PUE" public pue
  item  ren   "2 b Renewable share" public renewable_share
  item  water "2 i Water" non-public period.water.input
"""


# ------------------------------------------------------------------------------------------------
# The same rules, hand-written: None is unknown, Kleene logic, comparisons with the same tolerance
# ------------------------------------------------------------------------------------------------
def _near(a, b):
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _le(a, b):
    return None if a is None or b is None else (a < b or _near(a, b))


def _ge(a, b):
    return None if a is None or b is None else (a > b or _near(a, b))


def _div(a, b):
    return None if a is None or b is None or b == 0 else a / b


def _or(a, b):
    if a is True or b is True:
        return True
    return None if a is None or b is None else False


def _plus_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February → 28 February
        return day.replace(year=day.year + years, day=28)


EXEMPTIONS = ("no_fault", "heat_network_agreement", "offer_declined")
CUTOFF = D(2026, 7, 1)


def _decide(applies, in_force, require, as_of, exempt=False):
    if applies is False:
        return "not_applicable"
    if applies is None or in_force is None:
        return "unknown"
    if as_of < in_force:
        return "not_in_force"
    if require is True:
        return "pass"
    if require is None:
        return "unknown"
    if exempt is True:
        return "exempt"
    return "unknown" if exempt is None else "fail"


def handwritten(facility, as_of: datetime.date) -> list[tuple[str, str, object]]:
    """(rule, verdict, value) for every BUILTIN rule, in policy order."""
    f = {path: fact.value for path, fact in facility.facts.items()}
    years = {p.start.year: p for p in facility.periods
             if p.start.month == 1 and p.start.day == 1 and p.end == D(p.start.year, 12, 31)}
    ended = [p for p in years.values() if p.end <= as_of]
    chosen = max(ended, key=lambda p: p.end) if ended else None
    period = {k: v.value for k, v in chosen.facts.items()} if chosen else {}
    before = years.get(chosen.start.year - 1) if chosen else None
    previous = {k: v.value for k, v in before.facts.items()} if before else {}
    rules = ("pue_existing_2027", "pue_existing_2030", "pue_new", "erf_existing", "erf_new", "renewable_50",
             "renewable_100", "ems", "growth", "pue_band", "register")

    nominal = f.get("power.nominal_connected")
    if f.get("network_node") is True or (nominal is not None and not _ge(nominal, 300.0)):
        return [(r, "not_applicable", None) for r in rules]
    if nominal is None:
        return [(r, "unknown", None) for r in rules]

    total, it = period.get("energy.total"), period.get("energy.it")
    pue = _div(total, it)
    erf = _div(period.get("energy.reused"), total)
    share = _div(period.get("energy.renewable"), total)
    started = f.get("started")
    existing = None if started is None else started < CUTOFF
    new = None if existing is None else not existing
    new_from = None if started is None else _plus_years(started, 2)
    exemption = f.get("erf_exemption")
    exempt = exemption in EXEMPTIONS if exemption is not None else None
    if started is None:
        erf_min = None
    elif started >= D(2028, 7, 1):
        erf_min = 0.20
    elif started >= D(2027, 7, 1):
        erf_min = 0.15
    else:
        erf_min = 0.10
    standard = f.get("management_system.standard")
    has_ems = None if standard is None else standard in ("ISO 50001", "EMAS")
    prev_total = previous.get("energy.total")

    out = [
        ("pue_existing_2027", _decide(existing, D(2027, 7, 1), _le(pue, 1.5), as_of), pue),
        ("pue_existing_2030", _decide(existing, D(2030, 7, 1), _le(pue, 1.3), as_of), pue),
        ("pue_new", _decide(new, new_from, _le(pue, 1.2), as_of), pue),
        ("erf_existing", _decide(existing, D(2028, 7, 1), _ge(erf, 0.10), as_of, exempt), erf),
        ("erf_new", _decide(new, new_from, _ge(erf, erf_min), as_of, exempt), erf),
        ("renewable_50", _decide(True, D(2024, 1, 1), _ge(share, 0.5), as_of), share),
        ("renewable_100", _decide(True, D(2027, 1, 1), _ge(share, 1.0), as_of), share),
        ("ems", _decide(_ge(nominal, 1000.0), D(2025, 7, 1), _or(has_ems, f.get("public_sector")), as_of), None),
        ("growth", _decide(True, D(1, 1, 1), _le(total, None if prev_total is None else prev_total * 1.1), as_of),
         total),
    ]
    if pue is None:
        out.append(("pue_band", "unknown", None))
    else:
        below = lambda limit: pue < limit and not _near(pue, limit)  # noqa: E731 - band bounds use the tolerance
        out.append(("pue_band", "pass", "A" if below(1.2) else "B" if below(1.5) else "C"))
    if chosen is None:
        out.append(("register", "unknown", None))
    else:
        items = (facility.name, pue, share, period.get("water.input"))
        out.append(("register", "pass" if all(v is not None for v in items) else "fail", None))
    return out


# ------------------------------------------------------------------------------------------------
# Synthetic input
# ------------------------------------------------------------------------------------------------
def synthetic_portfolio(n: int, seed: int) -> str:
    rnd = random.Random(seed)
    lines = ["dcpolicy: portfolio/1", "facilities:"]
    for i in range(n):
        fiscal = i % 5 == 4  # every fifth facility reports Japanese fiscal years
        started = D(2010, 1, 1) + datetime.timedelta(days=rnd.randrange(0, 20 * 365))
        nominal = rnd.choice([150, 250, 400, 800, 1500, 3000, 8000, 20000])
        f = [
            f"  - id: dc-{i:05d}",
            f"    name: Synthetic DC {i}",
            f"    operator_id: op-{i // 25:03d}",
            f"    operator: Operator {i // 25}",
            f"    owner: Owner {i // 25}",
            f"    location: {{country: {'JP' if fiscal else 'DE'}, municipality: Town {i % 97}, postal_code: '{10000 + i}'}}",
            f"    type: {rnd.choice(['enterprise', 'colocation', 'co_hosting'])}",
            f"    started: {started.isoformat()}",
            f"    power: {{nominal_connected: {nominal} kW, it_installed: {nominal * 0.6:.0f} kW, "
            f"it_nominal_connected: {nominal * 0.7:.0f} kW, rated_energy_input: {nominal * 1.1:.0f} kW}}",
            f"    area: {{total_floor: {rnd.randrange(200, 20000)} m2, computer_room: {rnd.randrange(100, 10000)} m2}}",
        ]
        if fiscal:
            f.append("    jp_business_type: housing")
        if rnd.random() < 0.03:
            f.append("    network_node: true")
        if rnd.random() < 0.10:
            f.append("    public_sector: true")
        if rnd.random() < 0.10:
            f.append(f"    erf_exemption: {rnd.choice(['no_fault', 'heat_network_agreement', 'offer_declined'])}")
        roll = rnd.random()
        if roll < 0.6:
            f.append("    management_system: {standard: ISO 50001, since: 2024-01-01, certified: true}")
        elif roll < 0.7:
            f.append("    management_system: {standard: EMAS, since: 2025-03-01}")
        if rnd.random() < 0.5:
            f.append(f"    design_pue: {rnd.uniform(1.1, 1.6):.2f}")
        f.append("    periods:")
        for year in (2028, 2029, 2030):
            it = rnd.uniform(1, 100)
            total = it * rnd.uniform(1.1, 1.8)
            energy = [f"total: {total:.3f} GWh"]
            if rnd.random() > 0.05:
                energy.append(f"it: {it:.3f} GWh")
            if rnd.random() < 0.8:
                energy.append(f"reused: {total * rnd.uniform(0, 0.3):.3f} GWh")
            if rnd.random() < 0.9:
                energy.append(f"renewable: {total * rnd.choice([rnd.uniform(0.3, 1.0), 1.0]):.3f} GWh")
            f.append(f"      - period: {'FY' if fiscal else ''}{year}")
            f.append(f"        energy: {{{', '.join(energy)}}}")
            if rnd.random() < 0.7:
                f.append(f"        water: {{input: {rnd.uniform(1000, 90000):.0f} m3}}")
            if rnd.random() < 0.1:
                f.append("        full_period: false")
            if fiscal:
                f.append(f"        intensity: {rnd.uniform(0.5, 2):.3f}")
        lines.extend(f)
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------------------
def best_of(repeat: int, fn, budget: float = 3.0):
    """Best time of up to `repeat` runs; stops repeating once `budget` seconds have been spent."""
    times, value, spent = [], None, 0.0
    while len(times) < repeat and (not times or spent < budget):
        value = None
        gc.collect()
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
        spent += times[-1]
    return min(times), value


def without_gc(fn):
    def run():
        gc.disable()
        try:
            return fn()
        finally:
            gc.enable()
    return run


def _max_rss_mib() -> float:
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 2**20 if sys.platform == "darwin" else rss / 1024


def shipped_policies() -> list[Path]:
    return sorted((ROOT / "policies").glob("*.policy"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--facilities", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3, help="time each step this often, report the best")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--as-of", default="2031-06-01", type=D.fromisoformat)
    ap.add_argument("--no-memory", action="store_true", help="skip the tracemalloc pass")
    args = ap.parse_args(argv)
    wall = time.perf_counter()
    rows: list[tuple[str, str, str]] = []

    # -- policies: parse+check and compile
    files = shipped_policies()
    checked = []
    for path in files:
        try:
            checked.append((path, load_policy(path)))  # warm-up, and the check-clean test
        except DiagnosticError as exc:
            print(f"skipping {path.name}: does not check clean ({len(exc.diagnostics)} problems)", file=sys.stderr)
    if checked:
        t_check, _ = best_of(args.repeat, lambda: [load_policy(p) for p, _ in checked])
        shas = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p, _ in checked}
        t_compile, plans = best_of(args.repeat, lambda: [compile_policy(c, shas[p]) for p, c in checked])
        n_rules = sum(len(p.rules) for p in plans)
        names = ", ".join(p.name for p, _ in checked)
        rows.append((f"parse+check {len(checked)} shipped policies ({n_rules} rules)", f"{t_check * 1e3:.1f} ms",
                     names))
        rows.append(("compile shipped policies", f"{t_compile * 1e3:.1f} ms", ""))
    else:
        plans = []
    sha = hashlib.sha256(BUILTIN.encode()).hexdigest()
    t_bcheck, bchecked = best_of(args.repeat, lambda: check(parse(BUILTIN, "<builtin>"), BUILTIN))
    t_bcompile, bplan = best_of(args.repeat, lambda: compile_policy(bchecked, sha))
    rows.append((f"parse+check built-in policy ({len(bplan.rules)} rules)", f"{t_bcheck * 1e3:.1f} ms", ""))
    rows.append(("compile built-in policy", f"{t_bcompile * 1e3:.1f} ms", ""))

    # -- input
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "portfolio.yaml"
        text = synthetic_portfolio(args.facilities, args.seed)
        path.write_text(text, encoding="utf-8")
        t_load, loaded = best_of(args.repeat, lambda: load_inputs([str(path)]), budget=1.0)
        n_fac = len(loaded.facilities)
        n_periods = sum(len(f.periods) for f in loaded.facilities)
        rows.append((f"load YAML ({n_fac} facilities, {n_periods} periods, {len(text) / 1e6:.1f} MB)",
                     f"{t_load:.2f} s", f"{t_load / n_fac * 1e6:.0f} µs/facility"))

        def results_of(run) -> int:
            return sum(len(e.results) for e in run.evaluations) + sum(len(o.results) for o in run.operators)

        # -- evaluate shipped policies
        if plans:
            t_eval, run = best_of(args.repeat, lambda: evaluate(plans, loaded, args.as_of))
            n = results_of(run)
            rows.append((f"evaluate shipped policies ({n} rule results)", f"{t_eval:.2f} s",
                         f"{n / t_eval:,.0f} results/s, {t_eval / n * 1e6:.1f} µs/result"))
            del run
            t_nogc, run = best_of(args.repeat, without_gc(lambda: evaluate(plans, loaded, args.as_of)))
            rows.append(("  same, cyclic GC disabled during evaluate", f"{t_nogc:.2f} s",
                         f"{n / t_nogc:,.0f} results/s, {t_nogc / n * 1e6:.1f} µs/result"))
            del run

        # -- built-in policy: generated plan vs hand-written
        t_gen, brun = best_of(args.repeat, lambda: evaluate([bplan], loaded, args.as_of))
        nb = results_of(brun)
        rows.append((f"evaluate built-in policy ({nb} rule results)", f"{t_gen:.2f} s",
                     f"{nb / t_gen:,.0f} results/s, {t_gen / nb * 1e6:.1f} µs/result"))
        t_gen_nogc, _ = best_of(args.repeat, without_gc(lambda: evaluate([bplan], loaded, args.as_of)))
        rows.append(("  same, cyclic GC disabled during evaluate", f"{t_gen_nogc:.2f} s",
                     f"{nb / t_gen_nogc:,.0f} results/s, {t_gen_nogc / nb * 1e6:.1f} µs/result"))
        t_hand, hand = best_of(args.repeat, lambda: [handwritten(f, args.as_of) for f in loaded.facilities])
        rows.append(("hand-written Python, same rules and data", f"{t_hand:.3f} s",
                     f"{nb / t_hand:,.0f} results/s, {t_hand / nb * 1e6:.2f} µs/result"))
        rows.append(("ratio generated / hand-written", f"{t_gen / t_hand:.1f} x",
                     f"{t_gen_nogc / t_hand:.1f} x with GC disabled during evaluate"))

        generated = {(e.facility, r.rule.split(".", 1)[1]): r for e in brun.evaluations for r in e.results}
        mismatches = []
        for facility, verdicts in zip(loaded.facilities, hand):
            for rule, verdict, value in verdicts:
                r = generated[(facility.id, rule)]
                same_value = rule == "register" or (value is None and r.value is None) or (
                    r.value == value if isinstance(value, str) or r.value is None or value is None
                    else math.isclose(r.value, value, rel_tol=1e-9))
                if r.verdict != verdict or (verdict in ("pass", "fail", "exempt") and not same_value):
                    mismatches.append((facility.id, rule, r.verdict, verdict, r.value, value))
        counts: dict[str, int] = {}
        for r in generated.values():
            counts[r.verdict] = counts.get(r.verdict, 0) + 1
        rows.append(("verdicts agree (generated vs hand-written)",
                     "yes" if not mismatches else f"NO: {len(mismatches)}",
                     ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))))

        # -- peak memory (separate, untimed passes: tracing slows Python down several times)
        if not args.no_memory:
            del brun, generated, hand
            gc.collect()
            rows.append(("peak RSS of the process so far", f"{_max_rss_mib():.0f} MiB", "getrusage"))
            sample = min(n_fac, 200)
            sample_path = Path(tmp) / "sample.yaml"
            sample_path.write_text(synthetic_portfolio(sample, args.seed), encoding="utf-8")
            tracemalloc.start()
            kept = load_inputs([str(sample_path)])
            current, peak_load = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            del kept
            rows.append((f"peak memory: load YAML, {sample} facilities", f"{peak_load / 2**20:.1f} MiB",
                         f"{peak_load / sample / 1024:.0f} KiB/facility (x {n_fac} = "
                         f"{peak_load / sample * n_fac / 2**20:.0f} MiB); kept {current / sample / 1024:.0f} "
                         f"KiB/facility"))
            gc.collect()
            tracemalloc.start()
            run2 = evaluate(plans or [bplan], loaded, args.as_of)
            current, peak_eval = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            n2 = results_of(run2)
            rows.append((f"peak memory: evaluate {'shipped' if plans else 'built-in'}, {n_fac} facilities",
                         f"{peak_eval / 2**20:.0f} MiB", f"{n2} results kept with traces, "
                         f"{current / n2:.0f} B/result"))

    width = max(len(r[0]) for r in rows)
    vwidth = max(len(r[1]) for r in rows)
    print(f"dcpolicy benchmark — {args.facilities} facilities x 3 periods, as of {args.as_of}, best of "
          f"{args.repeat}, Python {sys.version.split()[0]}")
    print("-" * (width + vwidth + 40))
    for label, value, note in rows:
        print(f"{label:<{width}}  {value:>{vwidth}}  {note}")
    print("-" * (width + vwidth + 40))
    print(f"total wall time {time.perf_counter() - wall:.1f} s")
    if mismatches:
        for m in mismatches[:10]:
            print("mismatch:", m, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
