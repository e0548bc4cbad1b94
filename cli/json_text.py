"""Evaluation records as JSON text assembled from pre-encoded fragments, byte-identical to encoding the dicts.

`policy eval --format json|jsonl` writes one line per evaluation. Encoding it as a dict per result, per clause
and per step (cli/jsonl.py `evaluation_record`, which stays as the reference the tests compare against) spent
most of the rendering time building small dicts and re-escaping the same rule titles, quotes, expressions and
spans for every facility. Here the parts that never change for a rule or a node of a policy are encoded once
per writer and the line is joined from them and the encoded values. Every fragment is made by the encoder
cli/jsonl.py hands the writer or by the string escaper that encoder itself calls, so the bytes are the same:
key order, `ensure_ascii=False`, compact separators and `allow_nan=False` (a non-finite float is an error).
"""

from __future__ import annotations

import datetime
import json
import math

from ..evaluator.status import beside_status, set_aside
from ..evaluator.values import UNKNOWN, Bounds, NOT_EVALUATED

from .explain import bounds_json, json_value, members_json, records_json
from .phrasing import gap_text, reason, scope_reason

# The escaper the C encoder itself calls for every str when ensure_ascii=False (json.encoder.c_make_encoder
# is given `encode_basestring`), so a string escaped here reads exactly as inside an encoded dict.
_string = json.encoder.encode_basestring


def value_text(value, encode) -> str:
    """`json_value(value)` encoded: the common values directly, anything else through the encoder."""
    kind = type(value)
    if kind is bool:
        return "true" if value else "false"
    if value is UNKNOWN or value is None:
        return "null"
    if kind is float:
        return repr(round(value, 10)) if math.isfinite(value) else "null"  # float.__repr__, as the encoder
    if kind is str:
        return _string(value)
    if kind is int:
        return repr(value)
    if kind is datetime.date:
        return _string(value.isoformat())
    return encode(json_value(value))


def trace_mode(trace: str | bool) -> str:
    """result_json's trace argument as a word: True is "full", False "reasons"."""
    if trace is True or trace == "full":
        return "full"
    if trace is False or trace == "reasons":
        return "reasons"
    return "none"


class RecordWriter:
    """Writes the records of one call (a batch or a document). It keeps, per rule and per node of a policy's
    node tables, the encoded parts that never change. Node caches are keyed by `id()` of the node and hold
    the node itself, so no id is reused by another object while its entry lives; the writer is dropped with
    the call, so nothing outlives it (and nothing is shared between processes)."""

    def __init__(self, trace: str | bool, encode):
        self.trace = trace_mode(trace)
        self.encode = encode
        self.rules: dict[int, tuple] = {}  # id(title) -> (the rule's fields, before the verdict, after the reason)
        self.clauses: dict[int, tuple] = {}  # id(root) -> (root, label, before value, after value)
        self.nodes: dict[int, tuple] = {}  # id(node) -> (node, its encoded parts …: _node)
        self.items: dict[tuple, str] = {}  # (name, title, public) of a report item -> its encoding before "present"

    # ------------------------------------------------------------ records
    def evaluation(self, e, kind: bool) -> str:
        """evaluation_record(e) encoded, with "kind": "evaluation" first when `kind`."""
        head = {"kind": "evaluation"} if kind else {}
        head.update(jurisdiction=e.jurisdiction, facility=e.facility,
                    source={"file": e.source_file, "sha256": e.source_sha256},
                    policy={"file": e.policy_file, "sha256": e.policy_sha256}, status=e.status)
        return self._record(head, e)

    def operator(self, o, kind: bool) -> str:
        """operator_record(o) encoded, with "kind": "operator" first when `kind`."""
        head = {"kind": "operator"} if kind else {}
        head.update(jurisdiction=o.jurisdiction, operator=o.operator, facilities=list(o.facilities),
                    policy={"file": o.policy_file, "sha256": o.policy_sha256}, status=o.status)
        return self._record(head, o)

    def _record(self, head: dict, group) -> str:
        text = scope_reason(group.scope)
        if text:
            head["scope_reason"] = text
        # only a result set aside for some reason can be listed beside the status: most groups have none
        aside = [r for r in group.results if set_aside(r)]
        head["proposed"] = beside_status(aside, "proposed")
        head["projection"] = beside_status(aside, "projection")
        head["period"] = group.period
        out = [self.encode(head)[:-1], ',"results":[']
        first = True
        for result in group.results:
            if not first:
                out.append(",")
            first = False
            self._result(result, out)
        out.append("]}")
        return "".join(out)

    # ------------------------------------------------------------ one rule's result
    def _rule(self, r) -> tuple[str, str]:
        """The encoded fields of a rule that are the same for every facility: before the verdict, after the reason.
        Results of one rule share these objects; an entry holds them and is used only for the same objects."""
        entry = self.rules.get(id(r.title))
        if entry is not None:
            rule, title, citation, severity, legal_status, quotes = entry[0]
            if (rule is r.rule and title is r.title and citation is r.citation and severity is r.severity
                    and legal_status is r.legal_status and quotes is r.quotes):
                return entry[1], entry[2]
        fields = (r.rule, r.title, r.citation, r.severity, r.legal_status, r.quotes)
        encode = self.encode
        head = encode({"rule": r.rule, "title": r.title, "citation": r.citation, "severity": r.severity})
        tail = {}
        if r.legal_status:
            tail["legal_status"] = r.legal_status
        if r.quotes:
            tail["quote"] = list(r.quotes)
        entry = self.rules[id(r.title)] = (fields, head[:-1] + ',"verdict":', "," + encode(tail)[1:-1] if tail else "")
        return entry[1], entry[2]

    def _result(self, r, out: list) -> None:
        encode = self.encode
        head, tail = self._rule(r)
        verdict, period, reason_text = r.verdict, r.period, reason(r)
        out += (head, _string(verdict) if type(verdict) is str else encode(verdict), ',"period":',
                "null" if period is None else _string(period) if type(period) is str else encode(period),
                ',"in_force_from":', _string(r.in_force_from.isoformat()) if r.in_force_from else "null",
                ',"reason":', _string(reason_text) if type(reason_text) is str else encode(reason_text), tail)
        if r.value is not None:
            out += (',"value":', value_text(r.value, encode))
        if r.limit is not None:
            out += (',"limit":', value_text(r.limit, encode))
        if r.unit:
            out += (',"unit":', _text(r.unit, encode))
        if r.missing or r.projection or r.relief or r.gap or r.due or r.items:
            self._rare(r, out)
        if self.trace == "reasons":
            out.append(',"trace":[')
            clauses = self.clauses
            sep = ""
            for t in r.trace:
                root = t.nodes[0]
                entry = clauses.get(id(root))
                if entry is None or entry[1] != t.label:
                    entry = self._clause(t)
                out += (sep, entry[2], value_text(t.values[0], encode), entry[3])
                sep = ","
            out.append("]")
        elif self.trace == "full":
            out.append(',"trace":[')
            sep = ""
            for t in r.trace:
                out.append(sep)
                self._tree(t, out)
                sep = ","
            out.append("]")
        out.append("}")

    def _rare(self, r, out: list) -> None:
        """The fields few results have (missing … items), in result_json's order."""
        encode = self.encode
        if r.missing:
            out += (',"missing":', _strings(r.missing, encode))
        if r.projection:
            out.append(',"projection":true')
        if r.relief:
            out += (',"relief":', encode({"kind": r.relief.keyword, "citation": r.relief.citation,
                                          "because": r.relief.because}))
        if r.gap:
            from .render import gap_json

            out += (',"gap":', _text(gap_text(r.gap), encode), ',"gap_detail":', encode(gap_json(r.gap)))
        if r.due:
            out += (',"due":', _text(r.due.isoformat(), encode))
        if r.items:
            out += (',"items":', self._items(r.items))

    def _items(self, items) -> str:
        """A report's items; each item's name, title and publicity are encoded once per writer."""
        parts = []
        for n, t, p, present in items:
            if not (type(n) is str and type(t) is str and type(p) is bool and type(present) is bool):
                return self.encode([{"item": n, "title": t, "public": p, "present": present}
                                    for n, t, p, present in items])
            head = self.items.get((n, t, p))
            if head is None:
                head = self.items[(n, t, p)] = self.encode({"item": n, "title": t, "public": p})[:-1] + ',"present":'
            parts.append(head + ("true}" if present else "false}"))
        return "[" + ",".join(parts) + "]"

    # ------------------------------------------------------------ traces
    def _clause(self, t) -> tuple:
        """--trace reasons: a clause's step before and after its value, encoded once per clause of the policy;
        the entry holds the root node, so its id names no other object while the writer lives."""
        root = t.nodes[0]
        encode = self.encode
        span = root.span
        entry = self.clauses[id(root)] = (
            root, t.label, encode({"clause": t.label, "expression": root.text})[:-1] + ',"value":',
            ',"span":' + encode({"file": span.file, "line": span.line, "column": span.column}) + "}")
        return entry

    def _node(self, info) -> tuple:
        """A step's encoded parts that never change: before its value; after it (span, unit, fact) when the value
        is known, and when it is unknown; span and unit alone and the fact alone (around bounds); its kind."""
        encode = self.encode
        span = info.span
        fixed = ',"span":' + encode({"file": span.file, "line": span.line, "column": span.column})
        if info.type_kind == "number" and not info.dimension.is_dimensionless:
            fixed += ',"unit":' + encode(info.dimension.canonical_unit)
        fact = ',"fact":' + encode(info.path) if info.kind == "fact" else ""
        entry = self.nodes[id(info)] = (info, encode({"expression": info.text})[1:-1] + ',"value":', fixed + fact,
                                        fixed + ',"unknown":true' + fact, fixed, fact, info.kind)
        return entry

    def _tree(self, trace, out: list) -> None:
        """--trace full: explain.clause_tree(trace) encoded. Like it, a stack of its own rather than recursion, so
        no nesting meets Python's recursion limit. The stack holds a slot of the current node table (int), text
        to write when reached (str: separators, closing brackets), or the node table to continue in (tuple:
        pushed around a definition's steps, so the walk enters and leaves it in order)."""
        encode, cache = self.encode, self.nodes
        definitions = {d.name: d for d in trace.definitions}
        definition_members = {id(d.nodes): d.members for d in trace.definitions}
        out += ('{"clause":', _text(trace.label, encode), ",")
        nodes, values, sources, expanded, members = trace.nodes, trace.values, trace.sources, frozenset(), trace.members
        stack: list = [0]
        pop, push = stack.pop, stack.append
        while stack:
            slot = pop()
            if type(slot) is not int:
                if type(slot) is str:
                    out.append(slot)
                else:
                    nodes, values, sources, expanded, members = slot
                continue
            info = nodes[slot]
            value = values[slot]
            entry = cache.get(id(info)) or self._node(info)
            if value is UNKNOWN:
                out += (entry[1], "null", entry[3])
            elif type(value) is bool:
                out += (entry[1], "true" if value else "false", entry[2])
            elif isinstance(value, Bounds):
                out += (entry[1], "null", entry[4], ',"unknown":true,"bounds":', encode(bounds_json(value)), entry[5])
            else:
                out += (entry[1], value_text(value, encode), entry[2])
            kind = entry[6]
            if kind == "fact":
                if slot in sources:
                    out += (',"source":', _text(sources[slot], encode))
            elif kind == "records" and hasattr(value, "outcomes"):
                out += (',"records":', encode(records_json(value)))
            if members:
                supplied = members.get(slot)
                if supplied:
                    out += (',"members":', encode(members_json(supplied)))
            children = info.children
            if children:
                children = [child for child in children if values[child] is not NOT_EVALUATED]
            inner = definitions.get(info.path) if kind == "definition" else None
            if inner is not None and info.path not in expanded:
                out += (',"definition":', _text(info.path, encode))
            else:
                inner = None
            if not children and inner is None:
                out.append("}")
                continue
            out.append(',"steps":[{')
            push("]}")
            if inner is not None:  # the definition's steps come last, in its own node table
                push((nodes, values, sources, expanded, members))
                push(0)
                push((inner.nodes, inner.values, inner.sources, expanded | {info.path},
                      trace.members if inner.nodes is trace.nodes else definition_members.get(id(inner.nodes), {})))
                if children:
                    push(",{")
            for index in range(len(children) - 1, 0, -1):
                push(children[index])
                push(",{")
            if children:
                push(children[0])


def _text(value, encode) -> str:
    """A field as the encoder writes it: a str escaped directly, anything else (None, a number) encoded."""
    return _string(value) if type(value) is str else encode(value)


def _strings(texts, encode) -> str:
    """A list of str encoded (the escaper rejects anything else, which then goes through the encoder)."""
    try:
        return "[" + ",".join(map(_string, texts)) + "]"
    except TypeError:
        return encode(list(texts))
