"""iCalendar (RFC 5545) export of coming deadlines: one all-day event per deadline, byte-stable output."""

from __future__ import annotations

import datetime
import hashlib

from . import site_words as words

PRODUCT = "-//dcpolicy//operator deadlines//EN"


def escape_text(text: str) -> str:
    """RFC 5545 3.3.11: backslash, semicolon, comma and newline are escaped in TEXT values."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n")
            .replace("\n", "\\n"))


def fold(line: str) -> str:
    """RFC 5545 3.1: lines longer than 75 octets are folded (CRLF and one space), never inside a character."""
    out, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def calendar(deadlines, as_of) -> str:
    """The VCALENDAR text (CRLF line ends); the stamp is the as-of date so the same input gives the same file."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODUCT}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    stamp = as_of.strftime("%Y%m%dT000000Z")
    for deadline in deadlines:
        key = f"{deadline.facility}|{deadline.rule}|{deadline.kind}|{deadline.date.isoformat()}"
        uid = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + "@dcpolicy"
        end = deadline.date.toordinal() + 1
        lines += ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{stamp}",
                  f"DTSTART;VALUE=DATE:{deadline.date.strftime('%Y%m%d')}",
                  f"DTEND;VALUE=DATE:{datetime.date.fromordinal(end).strftime('%Y%m%d')}",
                  f"SUMMARY:{escape_text(words.event_summary(deadline))}",
                  f"DESCRIPTION:{escape_text(words.event_description(deadline))}",
                  "TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
