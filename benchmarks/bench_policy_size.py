"""Benchmark: time and peak memory to check and compile a large or a deeply nested policy.

    .venv/bin/python benchmarks/bench_policy_size.py --rules 5000
    .venv/bin/python benchmarks/bench_policy_size.py --depth 10000

Each run is a fresh process measuring one policy, written to a temporary file: ``--rules N`` a policy
of N rules (each with a citation, an in-force date, an applicability test, a two-part requirement and
a relief) sharing one definition; ``--depth N`` a rule whose requirement is nested N parentheses deep
(past the limit of 100 levels, so the answer is the located error E106, and how fast it comes).
It prints the outcome, the wall time of ``cli.api.compile_plans`` (parse, check, compile) and the
process's peak resident memory.

Figures (2 shared cores, Python 3.11.7, after issue 12; before it, 1,000 rules took 1.8 GB, 2,000 rules
6.8 GB and 5,000 ran out of memory, and 10,000 levels hit Python's recursion limit):

    --rules 1000    1000 rules compiled      1.5 s   peak RSS  117 MiB
    --rules 2000    2000 rules compiled      2.7 s   peak RSS  209 MiB
    --rules 5000    5000 rules compiled      8.4 s   peak RSS  470 MiB
    --depth 10000   E106 at 5:11             0.4 s   peak RSS   37 MiB
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

HEADER = 'jurisdiction de "Germany"\ndefine pue = period.energy.total / period.energy.it\n'


def many_rules(count: int) -> str:
    rules = [f'rule r{i} "Rule {i}"\n  cite "§{i}"\n  from 2020-01-01\n'
             f"  applies facility.power.it_installed >= {i} kW\n"
             f"  require pue <= 1.{i % 10 + 1} and period.energy.total >= {i} kWh\n"
             f'  exempt facility.network_node\n    cite "§{i}a"\n    because "nodes"\n' for i in range(count)]
    return HEADER + "".join(rules)


def deeply_nested(depth: int) -> str:
    return (HEADER + 'rule r "t"\n  cite "§1"\n  require ' + "(" * depth + "facility.network_node" + ")" * depth
            + " or pue <= 1.3\n")


def _peak_mib() -> float:
    """This process's own peak RSS. On Linux ru_maxrss keeps the parent's figure across fork and exec when
    it is larger (a test suite starting this script would be measured), so VmHWM is read where it exists."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--rules", type=int, help="a policy of this many rules")
    group.add_argument("--depth", type=int, help="a requirement nested this many parentheses deep")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from dcpolicy.cli.api import InvalidPolicy, compile_plans

    text = many_rules(args.rules) if args.rules is not None else deeply_nested(args.depth)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.policy"
        path.write_text(text, encoding="utf-8")
        started = time.perf_counter()
        try:
            (plan,) = compile_plans([path])
            outcome = f"{len(plan.rules)} rules compiled"
        except InvalidPolicy as err:
            first = err.diagnostics.diagnostics[0]
            outcome = f"{first.code} at {first.span.line}:{first.span.column}"
        elapsed = time.perf_counter() - started
    peak = _peak_mib()
    print(f"{len(text) / 1e6:.1f} MB of policy: {outcome}; {elapsed:.1f} s; peak RSS {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
