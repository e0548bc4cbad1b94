"""Regenerate the example outputs shown in README.md from the shipped examples.

Run from the repository root after changing policies, examples or renderers:
    .venv/bin/python docs/dev/update_readme_examples.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

README = Path("README.md")
EXPLAIN = ["--jurisdiction", "de", "--as-of", "2031-02-01", "--explain", "examples/fra-3.yaml"]
PORTFOLIO = ["--jurisdiction", "all", "--as-of", "2026-11-23", "--format", "summary", "examples/portfolio.yaml"]


def policy_eval(args: list[str]) -> str:
    command = [sys.executable, "-m", "dcpolicy.cli.main", "eval", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False).stdout


def replace_block(text: str, command: str, body: str) -> str:
    start = text.index(f"$ {command}\n") + len(f"$ {command}\n")
    end = text.index("```", start)
    return text[:start] + body + text[end:]


def main() -> None:
    text = README.read_text(encoding="utf-8")
    explained, keep = [], False
    for line in policy_eval(EXPLAIN).splitlines():
        keep = keep or line.startswith("de.pue_existing_2030  FAIL")
        if keep:
            explained.append(line)
            if line.startswith("  reason"):
                break
    text = replace_block(text, "policy eval " + " ".join(EXPLAIN), "…\n" + "\n".join(explained) + "\n")
    text = replace_block(text, "policy eval " + " ".join(PORTFOLIO), policy_eval(PORTFOLIO))
    README.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
