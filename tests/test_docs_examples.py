"""The examples in README.md, docs/language.md and docs/facility.md are executed.

- ```policy blocks parse and check; ```yaml blocks load as facility input;
- blocks that start with `$ policy …` print exactly the output shown (DCPOLICY_REGENERATE=1
  rewrites that output in the document, so this module also replaces the old README generator);
- plain blocks that list `policy …` command lines are accepted by the command-line parser;
- markers (an HTML comment just before a fence) say when a block is a fragment, shows errors on
  purpose, or is skipped. The markers are documented in tests/golden/README.md.

Everything runs through the `policy` command, like a reader who copies the example.
"""

from __future__ import annotations

import json
import re
import shlex
import textwrap
from pathlib import Path

import attrs
import pytest

from dcpolicy.cli.main import build_parser

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ("README.md", "docs/language.md", "docs/facility.md")
FENCE = re.compile(r"^```(\S*)\s*$")
MARKER = re.compile(r"^<!--\s*docs-test:\s*(.*?)\s*-->\s*$")
OPTIONS = {"skip", "fragment", "fragment in period", "fragment in periods", "errors"}
CODE_COMMENT = re.compile(r"#\s*([EFW]\d{3})\b")
EXCERPT = "…"
REGENERATE_HINT = "DCPOLICY_REGENERATE=1 .venv/bin/pytest tests/test_golden.py tests/test_docs_examples.py"
FACTS_POLICY = "tests/golden/facility/facts.policy"

# What a policy fragment may use without defining it (docs/language.md defines both).
PRELUDE_HEADER = 'jurisdiction xx "Docs example"\n'
PRELUDE_DEFINITIONS = {
    "pue": "define pue = period.energy.total / period.energy.it\n",
    "scope_threshold": "define scope_threshold = 300 kW\n",
}


@attrs.frozen
class Block:
    document: str
    line: int  # line of the first line inside the fence, 1-based
    language: str
    text: str
    options: frozenset[str]

    @property
    def id(self) -> str:
        return f"{self.document}:{self.line}"

    @property
    def kind(self) -> str | None:
        lines = [line for line in self.text.splitlines() if line.strip()]
        if "skip" in self.options or not lines:
            return None
        if self.language in ("policy", "yaml"):
            return self.language
        if lines[0].startswith("$ policy "):
            return "commands"
        if self.language == "" and all(line.startswith("policy ") for line in lines):
            return "command list"
        return None


def _options(marker: str) -> frozenset[str]:
    words = marker.split("—")[0]
    options = frozenset(part.strip() for part in words.split(",") if part.strip())
    assert options <= OPTIONS, f"unknown docs-test marker {sorted(options - OPTIONS)}; known: {sorted(OPTIONS)}"
    return options


def blocks(document: str) -> list[Block]:
    lines = (ROOT / document).read_text(encoding="utf-8").splitlines(keepends=True)
    found, index = [], 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        end = next(i for i in range(index + 1, len(lines)) if lines[i].rstrip() == "```")
        marker = MARKER.match(lines[index - 1]) if index else None
        options = _options(marker.group(1)) if marker else frozenset()
        found.append(Block(document, index + 2, opening.group(1), "".join(lines[index + 1:end]), options))
        index = end + 1
    return found


ALL_BLOCKS = [block for document in DOCUMENTS for block in blocks(document)]


def _of_kind(kind: str, without: str | None = None) -> list:
    chosen = [block for block in ALL_BLOCKS if block.kind == kind and without not in block.options]
    return [pytest.param(block, id=block.id) for block in chosen]


def expected_codes(text: str) -> set[tuple[int, str]]:
    """(line, code) of every `# CODE …` comment: what a block marked `errors` must report."""
    return {(number, match.group(1)) for number, line in enumerate(text.splitlines(), 1)
            for match in [CODE_COMMENT.search(line)] if match}


def reported_codes(stderr: str, path: Path, offset: int) -> set[tuple[int, str]]:
    pattern = re.compile(rf"^{re.escape(str(path))}:(\d+):\d+: ([EFW]\d{{3}}) ", re.MULTILINE)
    return {(int(line) - offset, code) for line, code in pattern.findall(stderr)}


def _in_document(block: Block, codes) -> list[str]:
    """Codes with the document line they belong to (lines the test added show as such)."""
    size = block.text.count("\n")
    return [f"{code} at {block.document}:{block.line + line - 1}" if 1 <= line <= size else f"{code} in an added line"
            for line, code in sorted(codes)]


def assert_outcome(block: Block, run, reported: set[tuple[int, str]], source: str) -> None:
    if "errors" in block.options:
        expected = expected_codes(block.text)
        assert expected, f"{block.id}: a block marked `errors` names its codes in `# CODE …` comments"
        assert reported == expected, (f"{block.id}: the comments promise {_in_document(block, expected)}, "
                                      f"the command reports {_in_document(block, reported)}\n{run.stderr}")
    else:
        errors = {(line, code) for line, code in reported if not code.startswith("W")}
        assert run.exit_code in (0, 1) and not errors, (f"{block.id}: the example reports "
                                                        f"{_in_document(block, errors)}\n{run.stderr}\n--- as run:\n{source}")


# ---------------------------------------------------------------- policy blocks
def policy_source(block: Block) -> tuple[str, int]:
    """The text to check, and how many lines were added before the block."""
    if "fragment" not in block.options:
        return block.text, 0
    header = "" if re.search(r"^jurisdiction\s", block.text, re.MULTILINE) else PRELUDE_HEADER
    definitions = "".join(text for name, text in PRELUDE_DEFINITIONS.items()
                          if re.search(rf"\b{name}\b", block.text)
                          and not re.search(rf"^\s*define\s+{name}\b", block.text, re.MULTILINE))
    return header + block.text + "\n" + definitions, header.count("\n")


@pytest.mark.parametrize("block", _of_kind("policy"))
def test_policy_example_checks(block: Block, policy_cli, tmp_path):
    source, offset = policy_source(block)
    path = tmp_path / "example.policy"
    path.write_text(source, encoding="utf-8")
    run = policy_cli(["check", str(path)])
    assert_outcome(block, run, reported_codes(run.stderr, path, offset), source)


@pytest.mark.parametrize("block", _of_kind("policy", without="errors"))
def test_policy_example_is_in_canonical_layout(block: Block, policy_cli, tmp_path):
    """The docs show policies as `policy fmt` prints them (docs/language.md says so)."""
    source, _ = policy_source(block)
    path = tmp_path / "example.policy"
    path.write_text(source, encoding="utf-8")
    formatted = policy_cli(["fmt", str(path)]).stdout
    assert block.text in formatted, (f"{block.id}: not in canonical layout; `policy fmt` prints it as\n{formatted}"
                                     "(copy the block's part into the document)")


# ---------------------------------------------------------------- facility YAML blocks
def facility_source(block: Block) -> tuple[str, int]:
    text = textwrap.dedent(block.text)
    if "fragment in period" in block.options:
        prefix, text = "id: docs-example\nname: Docs example\nperiods:\n  - period: 2025\n", textwrap.indent(text, "    ")
    elif "fragment in periods" in block.options:
        prefix, text = "id: docs-example\nname: Docs example\nperiods:\n", textwrap.indent(text, "  ")
    elif "fragment" in block.options:  # a facility: whichever of id and name the block lacks
        prefix = "".join(line for key, line in (("id", "id: docs-example\n"), ("name", "name: Docs example\n"))
                         if not re.search(rf"^{key}:", text, re.MULTILINE))
    else:
        prefix = ""
    return prefix + text, prefix.count("\n")


def write_listed_files(portfolio: str, folder: Path) -> None:
    """The files a portfolio example lists, as minimal facilities, so that the example loads."""
    listed = re.findall(r"^\s*-\s+([\w./-]+\.ya?ml)\b", portfolio, re.MULTILINE)
    for name in listed:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"id: {path.stem}\nname: {path.stem}\n", encoding="utf-8")


@pytest.mark.parametrize("block", _of_kind("yaml"))
def test_facility_example_loads(block: Block, policy_cli, tmp_path):
    source, offset = facility_source(block)
    path = tmp_path / "example.yaml"
    path.write_text(source, encoding="utf-8")
    write_listed_files(source, tmp_path)
    run = policy_cli(["eval", "--policy", FACTS_POLICY, "--as-of", "2026-06-30", "--format", "json", str(path)])
    assert_outcome(block, run, reported_codes(run.stderr, path, offset), source)
    if "errors" not in block.options:
        assert json.loads(run.stdout)["evaluations"], f"{block.id}: no facility was read"


# ---------------------------------------------------------------- command lines
@pytest.mark.parametrize("block", _of_kind("command list"))
def test_listed_commands_are_accepted_by_the_parser(block: Block):
    parser = build_parser()
    for line in block.text.splitlines():
        if line.strip():
            try:
                parser.parse_args(shlex.split(line, comments=True)[1:])
            except SystemExit:
                pytest.fail(f"{block.id}: `{line.strip()}` is not a valid policy command")


def shown_output(command: str, shown: str, run) -> str:
    """What the block should show for this run: all of it, or the excerpt the block chose."""
    output = run.stdout + run.stderr
    if not shown.startswith(EXCERPT + "\n"):
        return output if output.endswith("\n") or not output else output + "\n"  # the fence needs its own line
    first_shown = shown.splitlines()[1]
    anchor = first_shown.split()[0]
    lines = output.splitlines()
    start = next((i for i, line in enumerate(lines) if line.split()[:1] == [anchor]), None)
    assert start is not None, f"`{command}`: the output has no line starting with {anchor!r} any more"
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    return EXCERPT + "\n" + "\n".join(lines[start:end]) + "\n"


def rerun_command_block(block: Block, policy_cli) -> str:
    """The block's text with every `$ policy …` command followed by what it prints now."""
    pieces = re.split(r"^(\$ policy .*\n)", block.text, flags=re.MULTILINE)
    result = pieces[0]
    for command_line, shown in zip(pieces[1::2], pieces[2::2]):
        command = command_line[2:].strip()
        argv = shlex.split(command)[1:]
        run = policy_cli(argv)
        if argv[0] == "eval" and run.exit_code in (0, 1):
            assert "--as-of" in argv, f"{block.id}: `{command}` needs --as-of, or its output changes with the date"
        result += command_line + shown_output(command, shown, run)
    return result


@pytest.mark.parametrize("document", [d for d in DOCUMENTS if any(
    b.kind == "commands" for b in blocks(d))])
def test_command_examples_print_what_the_document_shows(document: str, policy_cli, regenerate):
    path = ROOT / document
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    updated, position, differences = [], 0, []
    for block in (b for b in blocks(document) if b.kind == "commands"):
        start = block.line - 1
        end = start + block.text.count("\n")
        updated.append("".join(lines[position:start]))
        fresh = rerun_command_block(block, policy_cli)
        if fresh != block.text:
            differences.append((block, fresh))
        updated.append(fresh)
        position = end
    updated.append("".join(lines[position:]))
    if regenerate:
        if differences:
            path.write_text("".join(updated), encoding="utf-8")
        return
    for block, fresh in differences:
        assert fresh == block.text, f"{block.id}: the command prints something else now; if intended: {REGENERATE_HINT}"
