"""Regenerate the code table at the top of docs/errors.md from the diagnostic classes.

Run from the repository root after adding, retiring or retitling a code in dsl/messages.py:
    .venv/bin/python docs/dev/update_errors_index.py
tests/test_messages.py fails while the page and the classes disagree.
"""

from __future__ import annotations

from pathlib import Path

from dcpolicy.dsl.messages import errors_md_index

PAGE = Path("docs/errors.md")
FIRST = "| Code | Meaning |"
LAST = "| F1xx, F2xx |"


def main() -> None:
    text = PAGE.read_text(encoding="utf-8")
    start = text.index(FIRST)
    end = text.index("\n", text.index(LAST, start))
    PAGE.write_text(text[:start] + errors_md_index() + text[end:], encoding="utf-8")


if __name__ == "__main__":
    main()
