"""Lists of records inside a facility (computer rooms, cooling systems, UPS units): read, checked and linked.

Each entry is a mapping of the list's fields (dsl/records.py); every value goes through the same
conversion as the facility's own fields (fields.convert), so every error is located and worded
alike. Ids are unique within a list (F210), a reference names a record of its list (F210), and a
derived field is computed when the file leaves it out. A list is one fact of the facility whose
value is the tuple of its records.
"""

from __future__ import annotations

import math

from ..dsl.diagnostics import Span
from ..dsl.facility_messages import F106, F107, F205, F210
from ..dsl.records import RECORD_LISTS, RecordList

from .facts import Fact, Record
from .fields import Report, closest, convert
from .yaml_nodes import Node


def read_lists(nodes: dict[str, tuple[Node, Node]], facts: dict[str, Fact], report: Report) -> None:
    """Read every list the facility writes (key node, value node by list name) into `facts`, linked."""
    read: dict[str, list[Record]] = {}
    for name, (key, node) in nodes.items():
        records = _read_list(RECORD_LISTS[name], node, report)
        if records is not None:
            read[name] = records
    for name, records in read.items():
        lst = RECORD_LISTS[name]
        linked = [_linked(lst, record, read, nodes, report) for record in records]
        facts[name] = Fact(tuple(linked), nodes[name][1].span, f"{len(linked)} {lst.singular}"
                           + ("" if len(linked) == 1 else "s"))


def _read_list(lst: RecordList, node: Node, report: Report) -> list[Record] | None:
    if node.is_null:
        return []
    if node.kind != "seq":
        report(F205.records.at(node.span, path=lst.name, singular=lst.singular, found=node.describe()))
        return None
    records: list[Record] = []
    first: dict[str, Span] = {}
    ok = True
    for position, entry in enumerate(node.items, start=1):
        record = _read_record(lst, entry, position, report)
        if record is None:
            ok = False
            continue
        if record.id in first:
            where = first[record.id]
            report(F210.at(record.facts["id"].span, list=lst.name, singular=lst.singular, id=record.id,
                           line=where.line, column=where.column))
            continue  # (reported: the facility is not evaluated, but its references are still checked)
        first[record.id] = record.facts["id"].span  # type: ignore[assignment]
        records.append(record)
    return records if ok else None


def _read_record(lst: RecordList, node: Node, position: int, report: Report) -> Record | None:
    if node.kind != "map":
        report(F205.record_entry.at(node.span, path=lst.name, singular=lst.singular, found=node.describe()))
        return None
    id_node = node.get("id")
    label = f"{lst.name}[{id_node.text}]" if id_node is not None and id_node.kind == "scalar" and id_node.text \
        else f"{lst.name}[{position}]"
    facts: dict[str, Fact] = {}
    ok = True
    for key, value in node.entries:
        name = key.text or ""
        field = lst.fields.get(name)
        if field is None:
            near = closest(name, lst.fields)
            hint = f'did you mean "{near}"?' if near else "allowed here: " + ", ".join(lst.fields)
            report(F106.at(key.span, key=name, where=f" in {label}", hint=hint))
            ok = False
            continue
        if field.kind == "flag" and value.is_null:  # in a record an absent flag is unknown: null is not "false"
            report(F205.no_value.at(value.span, path=f"{label}.{name}"))
            ok = False
            continue
        fact = convert(f"{label}.{name}", field, value, report)
        if fact is None:
            ok = False
        elif isinstance(fact, Fact):
            facts[name] = fact
    if "id" not in facts:
        if id_node is None:
            report(F107.record_id.at(Span.point(node.span.file, node.span.line, node.span.column), label=label,
                                     singular=lst.singular))
        return None
    return Record(lst.name, str(facts["id"].value), facts, node.span) if ok else None


def _linked(lst: RecordList, record: Record, read: dict[str, list[Record]], nodes, report: Report) -> Record:
    """The record with each reference followed (`cooling_system.economizer`) and its derived fields."""
    facts = dict(record.facts)
    for field, target in lst.refers.items():
        ref = facts.get(field)
        if ref is None:
            continue
        if target not in nodes:
            report(F210.no_list.at(ref.span, label=f"{lst.name}[{record.id}].{field}", id=ref.value, list=target))
            continue
        found = next((r for r in read.get(target, ()) if r.id == ref.value), None)
        if found is None:
            if target in read:  # (a list with errors was reported already)
                known_ids = [r.id for r in read[target]]
                near = closest(str(ref.value), known_ids)
                report(F210.unknown_id.at(ref.span, label=f"{lst.name}[{record.id}].{field}", id=ref.value,
                                          list=target, ids=", ".join(known_ids) or "none",
                                          suggestion=f'did you mean "{near}"? ' if near else ""))
            continue
        for name, fact in found.facts.items():
            facts[f"{field}.{name}"] = fact
    for field, (top, bottom) in lst.derived.items():
        if field in facts or top not in facts or bottom not in facts:
            continue
        numerator, denominator = facts[top].value, facts[bottom].value
        if isinstance(numerator, float) and isinstance(denominator, float) and denominator > 0:
            ratio = numerator / denominator
            if math.isfinite(ratio):
                facts[field] = Fact(ratio, None, None, derived=f"{top} / {bottom}")
    return Record(record.list_name, record.id, facts, record.span)
