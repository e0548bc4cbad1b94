"""Facilities grouped into bounded batches for streamed evaluation, each operator's facilities in one batch.

An operator's facilities must be judged together (a scope may aggregate over them, and `for operator`
rules read them all), so a batch closes only where the operator changes, once it holds `size`
facilities. Streamed input therefore keeps input order exactly; an operator whose facilities reappear
after its batch was closed is refused (`OperatorSplit`) rather than judged on part of its facilities.
"""

from __future__ import annotations

from .facts import Facility


class OperatorSplit(Exception):
    """A facility of an operator whose batch was already evaluated."""


def operator_key(facility: Facility) -> str:
    """The group a facility is judged with: its operator, or itself when it has none."""
    return facility.operator_id or f"{facility.id} (no operator_id)"


class Batches:
    """Collects streamed facilities; `add` returns a full batch when one closes, `finish` the rest."""

    def __init__(self, size: int):
        self.size = max(1, size)
        self.pending: list[Facility] = []
        self.last_key: str | None = None
        self.closed: set[str] = set()

    def add(self, facility: Facility) -> list[Facility] | None:
        key = operator_key(facility)
        if key in self.closed:
            raise OperatorSplit(
                f"facility {facility.id} ({facility.span.file}:{facility.span.line}:{facility.span.column}) belongs "
                f"to operator {facility.operator_id}, whose other facilities were already evaluated; a streamed "
                f"run needs each operator's facilities together in the input (or use --format json)")
        batch = None
        if len(self.pending) >= self.size and key != self.last_key:
            batch = self.finish()
        self.pending.append(facility)
        self.last_key = key
        return batch

    def finish(self) -> list[Facility]:
        batch, self.pending = self.pending, []
        self.closed.update(operator_key(f) for f in batch if f.operator_id)
        return batch
