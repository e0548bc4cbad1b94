"""Golden tests: one file per case under tests/golden/<feature>/{good,bad}/, its expected output
beside it in <name>.expected (the command, its exit code, stdout and stderr).

How a case is run, what the names mean and how to regenerate the expected files is in
tests/golden/README.md; in short: `DCPOLICY_REGENERATE=1 .venv/bin/pytest tests/test_golden.py`.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import attrs
import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
CASE_SUFFIXES = (".policy", ".yaml", ".cmd")
DIRECTIVE = re.compile(r"^#\s*golden:\s*(policy\s.*?)\s*$", re.MULTILINE)
CODE_IN_NAME = re.compile(r"^([EFW]\d{3})-")
# A facility file evaluated when a .yaml case names no command of its own.
DEFAULT_FACILITY_COMMAND = "policy eval --policy tests/golden/facility/facts.policy --as-of 2026-06-30 --explain {case}"
REGENERATE_HINT = "DCPOLICY_REGENERATE=1 .venv/bin/pytest tests/test_golden.py tests/test_docs_examples.py"


@attrs.frozen
class Case:
    path: Path  # relative to the repository root, as it appears in the output
    commands: tuple[str, ...]

    @property
    def expected(self) -> Path:
        return ROOT / self.path.with_suffix(".expected")

    @property
    def kind(self) -> str:
        return self.path.parent.name  # "good" or "bad"

    @property
    def name(self) -> str:
        return str(self.path.relative_to("tests/golden").with_suffix(""))


def _commands(path: Path) -> tuple[str, ...]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".cmd":
        lines = [line.strip() for line in text.splitlines()]
        written = [line for line in lines if line and not line.startswith("#")]
    else:
        written = DIRECTIVE.findall(text)
    if not written:
        written = ["policy check {case}"] if path.suffix == ".policy" else [DEFAULT_FACILITY_COMMAND]
    relative = path.relative_to(ROOT)
    return tuple(c.format(case=relative.as_posix(), here=relative.parent.as_posix()) for c in written)


def is_case(path: Path) -> bool:
    if path.parent.name not in ("good", "bad") or path.suffix not in CASE_SUFFIXES:
        return False
    # NAME.yaml beside NAME.policy is that policy's facility input, not a case of its own.
    return not (path.suffix == ".yaml" and path.with_suffix(".policy").exists())


def discover() -> list[Case]:
    return [Case(path.relative_to(ROOT), _commands(path))
            for path in sorted(GOLDEN.glob("*/*/*")) if is_case(path)]


CASES = discover()


def render(command: str, run) -> str:
    """One command's record in an expected file; output kept verbatim (a missing final newline shown)."""
    parts = [f"$ {command}\n", f"exit {run.exit_code}\n"]
    for stream, text in (("stdout", run.stdout), ("stderr", run.stderr)):
        if text:
            parts.append(f"--- {stream}\n")
            parts.append(text if text.endswith("\n") else text + "\n[no newline at end]\n")
    return "".join(parts)


def check_case_outcome(case: Case, runs) -> None:
    """What makes a case good or bad, asserted whatever the expected file says."""
    for command, run in zip(case.commands, runs):
        argv = shlex.split(command)
        if argv[1] == "eval":
            assert "--as-of" in argv, f"{command}: give --as-of so the output does not depend on today's date"
        if case.kind == "good":
            assert run.exit_code in (0, 1) and run.stderr == "", f"a good case reports no error:\n{run.stderr}"
    if case.kind == "bad":
        match = CODE_IN_NAME.match(case.path.name)
        assert match, f"{case.path}: a bad case's name starts with the code it shows, e.g. E505-gap.policy"
        code = match.group(1)
        assert any(re.search(rf":\d+:\d+: {code} ", run.stderr) for run in runs), \
            f"{case.path}: the output does not report {code}"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_case(case: Case, policy_cli, regenerate):
    runs = [policy_cli(shlex.split(command)[1:]) for command in case.commands]
    actual = "\n".join(render(command, run) for command, run in zip(case.commands, runs))
    check_case_outcome(case, runs)
    if regenerate:
        if not case.expected.exists() or case.expected.read_text(encoding="utf-8") != actual:
            case.expected.write_text(actual, encoding="utf-8")
        return
    assert case.expected.exists(), f"{case.expected} is missing; write it with {REGENERATE_HINT}"
    assert actual == case.expected.read_text(encoding="utf-8"), \
        f"{case.path}: output differs from {case.expected.name}; if the change is intended: {REGENERATE_HINT}"


def test_every_expected_file_belongs_to_a_case(regenerate):
    cases = {case.expected for case in CASES}
    orphans = [path for path in sorted(GOLDEN.glob("*/*/*.expected")) if path not in cases]
    if regenerate:
        for path in orphans:
            path.unlink()
        return
    assert not orphans, f"expected files without a case (delete them, or regenerate): {orphans}"


FEATURES = ("header", "definitions", "rules", "blocks", "tiers", "bands", "reports", "operator", "units",
            "dates", "facility")


@pytest.mark.parametrize("feature", FEATURES)
def test_every_feature_has_good_and_bad_cases(feature):
    kinds = {case.kind for case in CASES if case.path.parts[2] == feature}
    assert kinds == {"good", "bad"}, f"tests/golden/{feature} needs cases in good/ and bad/"
