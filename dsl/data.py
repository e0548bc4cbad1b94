"""`frozen`: the project's frozen attrs classes, with one shared `__repr__` instead of one compiled per class.

attrs writes each class's `__init__`, `__eq__`, `__hash__` and `__repr__` as Python source and compiles
it when the class is made, that is at import. The `__repr__` was about 30 % of that (0.14 of 0.48 ms for a
class of eight fields), and a one-facility `policy eval` makes some sixty classes before it reads a line:
7 % of the instructions of a warm start (measured with callgrind, benchmarks/README.md). `data_repr`
gives the text attrs' own gives — `Name(field=value, …)`, fields with `repr=False` left out, a field's own
repr function used, `...` for an object already being shown — from the class's fields, read when called.
"""

from __future__ import annotations

import threading

import attrs

_SHOWING = threading.local()  # ids of the objects whose repr is being made on this thread (cycles show "...")


def data_repr(self) -> str:
    showing = getattr(_SHOWING, "ids", None)
    if showing is None:
        showing = _SHOWING.ids = set()
    if id(self) in showing:
        return "..."
    showing.add(id(self))
    try:
        shown = []
        for field in attrs.fields(type(self)):
            if field.repr is False:
                continue
            value = getattr(self, field.name, attrs.NOTHING)
            shown.append(f"{field.name}={value!r}" if field.repr is True else f"{field.name}={field.repr(value)}")
        return f"{type(self).__qualname__.rsplit('>.', 1)[-1]}({', '.join(shown)})"
    finally:
        showing.discard(id(self))


def frozen(cls):
    """`attrs.frozen` (slots, immutable, compared and hashed by value) with the shared `data_repr`."""
    made = attrs.frozen(cls, repr=False)
    made.__repr__ = data_repr
    return made
