"""Quantifiers over a facility's records at evaluation time: each record's outcome, and the three-valued answer.

``every room in facility.computer_rooms where W: B`` runs W and B once per record (the generated
code reads the record's fields through ``c.record``, a ``RecordView`` that notes every field it
read). Every record is judged, not only up to the first that settles the answer, so a failing
verdict names every failing record. The answer is Kleene's: `every` is false as soon as one
selected record is known to fail, beside undecided ones; a record whose `where` is undecided
counts only if its body could settle the answer. ``Quantified`` is what the trace keeps.
"""

from __future__ import annotations

from ..dsl.data import frozen
from .values import NOT_EVALUATED, U, is_unknown


class RecordView:
    """One record as the generated code reads it: its values, and the fields read with what they gave
    (and the facility's facts and definitions the test read beside them, so that `missing` can name them)."""

    __slots__ = ("values", "read", "outside", "compared")

    def __init__(self, record):
        self.values = record.values
        self.read: dict = {}
        self.outside: dict = {}
        self.compared: dict = {}

    def get(self, field: str):
        value = self.values.get(field, U)
        self.read[field] = value
        return value

    def outer(self, label: str, value):
        """A fact of the facility (`facility.building.economizers`) or a definition read inside the test."""
        self.outside[label] = value
        return value

    def compare(self, text: str, op: str, dimension, function, left, right):
        """A numeric comparison of the test, kept with its figures (a failing record's reason quotes them)."""
        result = function(left, right)
        self.compared[(text, op)] = Compared(text, op, dimension, left, right, result)
        return result


@frozen
class Compared:
    """One numeric comparison a record's test made: `ups.efficiency >= (…)`, 0.94 against 0.943."""

    text: str  # the left side as written: ups.efficiency
    op: str
    dimension: object  # dsl.units.Dimension of both sides
    left: object
    right: object
    result: object


@frozen
class RecordOutcome:
    """One record: whether `where` selected it, whether the body held, and the fields it read."""

    id: str
    selected: object  # True | False | UNKNOWN
    holds: object  # True | False | UNKNOWN | NOT_EVALUATED (not selected)
    read: tuple[tuple[str, object], ...]  # (field, value) in the order read
    outside: tuple[tuple[str, object], ...] = ()  # (facility fact or definition, value) the test read
    compared: tuple[Compared, ...] = ()  # its numeric comparisons, in the order made

    @property
    def missing(self) -> tuple[str, ...]:
        """The record's own fields that were unknown."""
        return tuple(field for field, value in self.read if is_unknown(value))

    @property
    def missing_outside(self) -> tuple[str, ...]:
        """The facility's facts (and definitions) the test read that were unknown."""
        return tuple(label for label, value in self.outside if is_unknown(value))


@frozen
class Quantified:
    """What a quantifier found: its answer and each record's outcome (a trace slot's value)."""

    kind: str  # every | some
    path: str  # facility.computer_rooms
    value: object  # True | False | UNKNOWN
    outcomes: tuple[RecordOutcome, ...] = ()  # () when the list itself is unknown
    head: str = ""  # how reasons name it: "every room in facility.computer_rooms where …"

    @property
    def failing(self) -> tuple[RecordOutcome, ...]:
        """`every`: the selected records known to fail; `some`: the records that might have held but did not."""
        if self.kind == "every":
            return tuple(o for o in self.outcomes if o.selected is True and o.holds is False)
        return tuple(o for o in self.outcomes if o.selected is not False and o.holds is False)

    @property
    def holding(self) -> tuple[RecordOutcome, ...]:
        return tuple(o for o in self.outcomes if o.selected is True and o.holds is True)

    @property
    def undecided(self) -> tuple[RecordOutcome, ...]:
        """The records that leave the answer open (empty once it is decided)."""
        if self.value is not U:
            return ()
        settles = self.kind == "some"
        return tuple(o for o in self.outcomes
                     if o.holds is U or (o.selected is U and o.holds is settles))

    @property
    def selected_count(self) -> int:
        return sum(1 for o in self.outcomes if o.selected is True)

    def __str__(self) -> str:
        if self.value is U and not self.outcomes:
            return "unknown (the list is missing)"
        marks = {True: "✓", False: "✗"}
        shown = [f"{o.id} {marks.get(o.holds, '?')}" for o in self.outcomes if o.selected is not False]
        return ", ".join(shown) if shown else "no record selected"


def quantify(c, kind: str, head: str, path: str, records, where, body) -> Quantified:
    """Judge every record of `records` (a facility fact: a tuple of Records, or UNKNOWN when absent)."""
    if records is U:
        return Quantified(kind, path, U, (), head)
    outcomes = []
    saved = c.record
    try:
        for record in records:
            view = RecordView(record)
            c.record = view
            selected = True if where is None else where()
            holds = NOT_EVALUATED if selected is False else body()
            outcomes.append(RecordOutcome(record.id, selected, holds, tuple(view.read.items()),
                                          tuple(view.outside.items()), tuple(view.compared.values())))
    finally:
        c.record = saved
    return Quantified(kind, path, _answer(kind == "some", outcomes), tuple(outcomes), head)


def _answer(is_some: bool, outcomes) -> object:
    settles = is_some  # `some` is settled by a record that holds, `every` by one that fails
    open_ = False
    for o in outcomes:
        if o.selected is False:
            continue
        if o.selected is True and o.holds is settles:
            return settles
        if o.holds is U or o.holds is settles:
            open_ = True
    return U if open_ else (not settles)


def holds(found: Quantified):
    """The quantifier's answer, from the outcome its trace slot keeps."""
    return found.value
