"""Calendar dates as written in policies and facility files: YYYY-MM-DD, or YYYY-MM for the first of a month."""

from __future__ import annotations

import datetime
import re

# [0-9], not \d: a full-width or other script's digit is not a date (issue 12, leniency)
ISO_DATE = re.compile(r"^(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})(?:-(?P<d>[0-9]{1,2}))?$")


def parse_date(text: str) -> datetime.date | None:
    """The date the text names, or None when it names none (:func:`why_not_a_date` says why)."""
    m = ISO_DATE.match(text.strip())
    if not m:
        return None
    try:
        return datetime.date(int(m["y"]), int(m["m"]), int(m["d"] or 1))
    except ValueError:
        return None


def why_not_a_date(text: str) -> str:
    """Why :func:`parse_date` found no date in the text, in a few words for a message."""
    m = ISO_DATE.match(text.strip())
    if not m:
        return "expected YYYY-MM-DD"
    if int(m["y"]) == 0:
        return "there is no year 0 (years run from 0001 to 9999)"
    if not 1 <= int(m["m"]) <= 12:
        return f"there is no month {int(m['m'])}"
    return "that day does not exist in that month"
