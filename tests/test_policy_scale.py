"""Resources on the policy side (issue 12, "Resources"): checking, compiling and rendering diagnostics
are linear in the size of a policy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from dcpolicy.dsl import diagnostics, typecheck
from dcpolicy.dsl.checker import check
from dcpolicy.dsl.diagnostics import DiagnosticError
from dcpolicy.dsl.parser import parse
from dcpolicy.evaluator import compiler

ROOT = Path(__file__).resolve().parent.parent
H = 'jurisdiction de "Germany"\n'


def _rules(count: int, require: str = "pue <= 1.3") -> str:
    return (H + "define pue = period.energy.total / period.energy.it\n"
            + "".join(f'rule r{i} "t"\n  cite "§{i}"\n  require {require.format(i=i)}\n' for i in range(count)))


def test_the_policy_is_split_into_lines_once_per_compile_not_once_per_clause(monkeypatch, tmp_path):
    calls = []
    real = compiler.source_lines
    monkeypatch.setattr(compiler, "source_lines", lambda text: calls.append(1) or real(text))
    source = _rules(300)
    compiler.compile_policy(check(parse(source), source), "0" * 64)
    assert len(calls) == 1


def test_only_the_first_fifty_unknown_names_get_a_suggestion(monkeypatch):
    compared = []
    real = typecheck.closest
    monkeypatch.setattr(typecheck, "closest", lambda word, candidates: compared.append(word) or real(word, candidates))
    source = _rules(200, "valeu_{i} > 0") + "".join(f"define value_{i} = {i}\n" for i in range(200))
    try:
        check(parse(source), source)
    except DiagnosticError as err:
        unknown = [d for d in err.diagnostics if d.code == "E201"]
    assert len(unknown) == 200
    assert len(compared) == typecheck.SUGGESTIONS == 50
    assert unknown[0].hint == 'did you mean "value_0"?'
    assert unknown[-1].hint == "define it with  define valeu_199 = …"


def test_rendering_many_diagnostics_splits_the_source_once(monkeypatch):
    calls = []
    real = diagnostics.source_lines
    monkeypatch.setattr(diagnostics, "source_lines", lambda text: calls.append(1) or real(text))
    diagnostics._cached_lines.cache_clear()
    source = _rules(500, "nope_{i}")
    try:
        check(parse(source), source)
    except DiagnosticError as err:
        assert len(err.render().splitlines()) >= 4 * 500
    assert len(calls) == 1


def test_a_very_long_line_is_shown_clipped_under_its_message():
    source = H + 'rule r "t"\n  cite "§1"\n  require ' + "facility.network_node in {" + ", ".join(["true"] * 500) + "} and nope\n"
    try:
        check(parse(source, "long.policy"), source)
    except DiagnosticError as err:
        (diagnostic,) = err.diagnostics
    text = diagnostics.render(diagnostic, source)
    headline, shown, carets, _hint = text.split("\n")
    assert headline.startswith(f"long.policy:4:{diagnostic.span.column}: E201")
    assert shown.startswith("    4 | … ") and shown.endswith("true, true} and nope") and len(shown) < 260
    assert carets.index("^") == shown.index("nope") and carets.endswith("^^^^")
    early = source.replace("and nope", "and true").replace("require facility", "require nope or facility")
    try:
        check(parse(early, "long.policy"), early)
    except DiagnosticError as err:
        (diagnostic,) = err.diagnostics
    _headline, shown, carets, _hint = diagnostics.render(diagnostic, early).split("\n")
    assert shown.startswith("    4 |   require nope or facility") and shown.endswith(" …") and len(shown) < 260
    assert carets == "      |           ^^^^"


def test_five_thousand_rules_would_compile_within_a_gigabyte_two_thousand_are_measured_here():
    """The full figure (5,000 rules) is benchmarks/bench_policy_size.py's; 2,000 keeps the suite fast."""
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_policy_size.py"), "--rules", "2000"],
                            capture_output=True, text=True, timeout=300, check=True)
    words = result.stdout.split()
    assert "2000 rules compiled;" in result.stdout
    peak = int(words[words.index("RSS") + 1])
    assert peak < 400, result.stdout  # MiB; before issue 12 this took 6.8 GB
