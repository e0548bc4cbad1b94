"""What-if: `--set PATH=VALUE` overrides a fact by editing the YAML node tree before it is converted.

The override goes through the facility loader exactly like the file's own text (same conversion, same
invariants, same F2xx errors), located in a pseudo-file `--set` whose line N is the N-th override.
`period.x` edits the facility's latest period (by the year in its label), `period[LABEL].x` a named
one; `ID:PATH=VALUE` edits only facility ID (otherwise every facility of the input).
"""

from __future__ import annotations

import re

from ..dsl.data import frozen
from ..dsl.diagnostics import Span
from .yaml_nodes import Node, load_yaml

SOURCE = "--set"
_SPEC = re.compile(r"^(?:(?P<facility>[A-Za-z0-9][A-Za-z0-9._-]*):)?(?P<path>[A-Za-z_][A-Za-z0-9_.\[\]-]*)=(?P<value>.*)$",
                   re.S)
_PERIOD = re.compile(r"^period(?:\[(?P<label>[^\]]+)\])?\.(?P<field>.+)$")


class OverrideError(ValueError):
    """An override that cannot be read (no '=', a bad path, a facility that is not in the input)."""


@frozen
class Override:
    """One --set: where it applies and the value as written; `line` is its line in the --set pseudo-file."""

    text: str
    facility: str | None
    period: str | None  # None: a facility field; "" the latest period; else the period's label
    path: str  # the field's dotted path inside the facility or the period
    value: Node
    line: int
    key_span: Span  # where the path is written in the --set pseudo-file (unknown-key errors point there)

    @property
    def shown_path(self) -> str:
        where = "" if self.period is None else ("period." if self.period == "" else f"period[{self.period}].")
        return f"{self.facility + ':' if self.facility else ''}{where}{self.path}"


@frozen
class Applied:
    """An override as applied to one facility: for the results (which facts were overridden)."""

    facility: str
    path: str  # facility.x or period[LABEL].x
    written: str
    previous: str | None  # the file's text for it, None when the file did not give it


def parse_overrides(texts) -> tuple[tuple[Override, ...], str]:
    """The overrides and the pseudo-file text that locates them (one per line)."""
    out = []
    for line, text in enumerate(texts, 1):
        match = _SPEC.match(text.strip())
        if match is None:
            raise OverrideError(f'--set "{text}": write PATH=VALUE, e.g. --set period.energy.total="27 GWh"')
        path = match["path"]
        if path.startswith("facility."):
            path, period = path[len("facility."):], None
        elif (found := _PERIOD.match(path)) is not None:
            path, period = found["field"], found["label"] or ""
        elif path.startswith("period"):
            raise OverrideError(f'--set "{text}": write period.FIELD or period[LABEL].FIELD, e.g. period.energy.total')
        else:
            period = None
        value_text = match["value"]
        column = len(text) - len(value_text) + 1
        node, problems = load_yaml(value_text or "null", SOURCE)
        if problems or node is None or node.kind != "scalar":
            raise OverrideError(f'--set "{text}": the value must be one plain value, e.g. "27 GWh", 0.55 or true')
        node = node.evolve(span=Span(SOURCE, line, column, line, column + max(len(value_text), 1)))
        start = match.start("path") + 1
        key_span = Span(SOURCE, line, start, line, start + len(match["path"]))
        out.append(Override(text, match["facility"], period, path, node, line, key_span))
    return tuple(out), "\n".join(texts) + "\n"


def apply(node: Node, facility_id: str | None, overrides) -> tuple[Node, tuple[Applied, ...]]:
    """The facility mapping with the overrides that concern it written in, and what they replaced."""
    applied = []
    for override in overrides:
        if override.facility is not None and override.facility != facility_id or node.kind != "map":
            continue
        key = Node("scalar", override.path, override.key_span, override.path)
        if override.period is None:
            node, previous = _set(node, override.path, key, override.value)
            applied.append(Applied(facility_id or "?", f"facility.{override.path}", override.value.text or "",
                                   previous))
            continue
        periods = node.get("periods")
        entries = periods.items if periods is not None and periods.kind == "seq" else ()
        index = _period_index(entries, override.period)
        if index is None:
            raise OverrideError(f'--set {override.text}: {facility_id} has no period '
                                + (f'"{override.period}"' if override.period else "at all"))
        changed, previous = _set(entries[index], override.path, key, override.value)
        label = entries[index].get("period")
        new_periods = periods.evolve(value=entries[:index] + (changed,) + entries[index + 1:])
        node = node.evolve(value=tuple((k, new_periods if k.text == "periods" else v) for k, v in node.entries))
        applied.append(Applied(facility_id or "?", f"period[{label.text if label else '?'}].{override.path}",
                               override.value.text or "", previous))
    return node, tuple(applied)


def _period_index(entries, label: str) -> int | None:
    labelled = [(i, e.get("period")) for i, e in enumerate(entries) if e.kind == "map"]
    labelled = [(i, str(l.text)) for i, l in labelled if l is not None and l.kind == "scalar"]
    if label:
        wanted = "".join(label.split()).upper()
        return next((i for i, text in labelled if "".join(text.split()).upper() == wanted), None)
    if not labelled:
        return None

    def year(text: str) -> int:
        digits = re.findall(r"\d{4}", text)
        return int(digits[-1]) if digits else -1

    return max(labelled, key=lambda pair: (year(pair[1]), pair[0]))[0]


def _set(mapping: Node, path: str, key: Node, value: Node) -> tuple[Node, str | None]:
    """The mapping without any spelling of `path` (nested or dotted keys), with `path: value` added."""
    kept, previous = _without(mapping, path.split("."))
    return mapping.evolve(value=kept + ((key, value),)), previous


def _without(mapping: Node, parts: list[str]) -> tuple[tuple, str | None]:
    kept, previous = [], None
    for k, v in mapping.entries:
        written = (k.text or "").split(".")
        if written == parts:
            previous = v.text if v.kind == "scalar" else v.describe()
            continue
        if parts[: len(written)] == written and v.kind == "map":
            inner, found = _without(v, parts[len(written):])
            previous = previous or found
            kept.append((k, v.evolve(value=inner)))
            continue
        kept.append((k, v))
    return tuple(kept), previous
