"""Loading without eager spans (issue 9, item 3): every position and value exactly as an independent reading gives."""

from __future__ import annotations

import yaml

from dcpolicy.dsl import units
from dcpolicy.dsl.diagnostics import Span
from dcpolicy.evaluator import yaml_events
from dcpolicy.evaluator.facts import Fact, from_plain, to_plain
from dcpolicy.evaluator.inputs import load_inputs
from dcpolicy.evaluator.yaml_nodes import Node, load_yaml

import pytest

PORTFOLIO = """\
dcpolicy: portfolio/1
operator: op-1
facilities:
  - id: dc-1
    name: "Quoted: name"
    location: {country: DE, municipality: 'Town', postal_code: '10000'}
    power: {nominal_connected: 250 kW, it_installed: 150 kW}
    started: 2013-01-05
    design_pue: 1.55
    periods:
      - period: 2028
        energy:
          total: 60.385 GWh
          it: 39.591 GWh
      - period: FY2029
        energy: {total: 1 GWh, it: 0.5 GWh}
        full_period: false
  - id: dc-2
    name: >-
      Folded
      name
    power.nominal_connected: 250 kW
    location.country: DE
    periods:
      - {period: 2028, energy: {total: 2 GWh}}
"""


def _expected(node, file: str) -> Span:
    """The span the loader gave every node before issue 9 made it lazy: libyaml's marks, 1-based, at least one wide."""
    start, end = node.start_mark, node.end_mark
    return Span(file, start.line + 1, start.column + 1, end.line + 1, max(end.column + 1, start.column + 2))


def _pairs(ours: Node, theirs, file: str):
    """(our node, the span libyaml's marks give) for every scalar, keys included, walking both trees."""
    if isinstance(theirs, yaml.ScalarNode):
        yield ours, _expected(theirs, file)
    elif isinstance(theirs, yaml.SequenceNode):
        assert ours.kind == "seq" and len(ours.items) == len(theirs.value)
        for a, b in zip(ours.items, theirs.value):
            yield from _pairs(a, b, file)
    else:
        assert ours.kind == "map" and len(ours.entries) == len(theirs.value)
        for (k, v), (tk, tv) in zip(ours.entries, theirs.value):
            yield from _pairs(k, tk, file)
            yield from _pairs(v, tv, file)


def _plain(node: Node):
    if node.kind == "map":
        return {k.text: _plain(v) for k, v in node.entries}
    if node.kind == "seq":
        return [_plain(v) for v in node.items]
    return node.value


def test_every_scalar_is_where_libyaml_marks_it():
    root, problems = load_yaml(PORTFOLIO, "p.yaml")
    assert problems == []
    pairs = list(_pairs(root, yaml.compose(PORTFOLIO, Loader=yaml.CSafeLoader), "p.yaml"))
    assert len(pairs) > 40
    for ours, expected in pairs:
        assert type(ours.at) is tuple  # not made a Span while loading
        assert ours.span == expected
    assert _plain(root) == yaml.safe_load(PORTFOLIO)


def test_facts_name_where_they_were_written_streamed_or_whole(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(PORTFOLIO, encoding="utf-8")
    streamed: list = []
    load_inputs(["-"], stdin_text=PORTFOLIO, sink=streamed.append)  # stdin: read entry by entry
    whole = load_inputs([str(path)]).facilities
    assert [f.id for f in streamed] == [f.id for f in whole] == ["dc-1", "dc-2"]
    theirs = yaml.compose(PORTFOLIO, Loader=yaml.CSafeLoader)
    entry = theirs.value[2][1].value[0]  # facilities[0]
    power = dict((k.value, v) for k, v in entry.value)["power"]
    nominal = dict((k.value, v) for k, v in power.value)["nominal_connected"]
    for facility, file in ((streamed[0], "<stdin>"), (whole[0], str(path))):
        fact = facility.facts["power.nominal_connected"]
        assert (fact.value, fact.written) == (250.0, "250 kW")
        assert fact.span == _expected(nominal, file)
        assert str(fact.span) == f"{file}:7:32"
        assert fact.span == fact.span and fact.at == (file, 7, 32, 7, 38)  # made when asked, the fact unchanged
    def seen(facility):  # the same facts, in the same order, at the same places: only the file's name differs
        return [(path, f.value, f.written, f.span and (f.span.line, f.span.column, f.span.end_line, f.span.end_column))
                for path, f in facility.facts.items()]

    assert seen(streamed[0]) == seen(whole[0]) and seen(streamed[1]) == seen(whole[1])
    # a worker's copy (--jobs) holds Spans: equal facts all the same
    assert from_plain(to_plain(whole[1]), {}).facts == whole[1].facts
    # the schema's defaults: shared, and the same value a fresh Fact has
    first, second = whole[0].periods[0].facts["full_period"], whole[1].periods[0].facts["full_period"]
    assert first == Fact(True, None, None) and first is second
    assert whole[0].periods[1].facts["full_period"].value is False


def test_a_fact_compares_by_its_span_whichever_form_holds_it():
    lazy = Fact(2.5, ("f.yaml", 3, 7, 3, 7), "2.5 kW")  # an end column not past the start: one wide
    eager = Fact(2.5, Span("f.yaml", 3, 7, 3, 8), "2.5 kW")
    assert lazy == eager and hash(lazy) == hash(eager)
    assert lazy.span == Span("f.yaml", 3, 7, 3, 8)
    assert Fact(2.5, None, None).span is None
    assert lazy != Fact(2.5, ("f.yaml", 3, 8, 3, 9), "2.5 kW")


def test_node_compares_by_identity_and_evolves():
    a = Node("scalar", 1, ("f", 1, 1, 1, 2), "1")
    b = Node("scalar", 1, ("f", 1, 1, 1, 2), "1")
    assert a == a and a != b and len({a, b}) == 2
    moved = a.evolve(span=Span("g", 2, 3, 2, 4), value=2)
    assert (moved.span, moved.value, moved.text, a.value) == (Span("g", 2, 3, 2, 4), 2, "1", 1)


def test_plain_texts_typed_as_safe_load_past_the_memo():
    repeated = ["true", "2028", "2024-01-01", "250 kW", "~", "0o17", "1_000", ".inf", "yes", "2001-12-14 21:59:43.10 -5",
                "3.5e+2", "-0x1F", "<<x", "="]
    texts = []
    for i in range(yaml_events.PLAIN_VALUES + 500):  # more distinct texts than a reader remembers
        texts += [f"{i}.5 GWh", repeated[i % len(repeated)]]
    text = "".join(f"- {t}\n" for t in texts if t != "=")
    root, problems = load_yaml(text, "s.yaml")
    assert problems == []
    assert [n.value for n in root.items] == yaml.safe_load(text)


def test_quantity_texts_read_once_still_fail_every_time():
    assert units.quantity_magnitude("2.4 MW", units.POWER) == units.parse_quantity("2.4 MW", units.POWER).magnitude == 2400
    for _ in range(2):
        with pytest.raises(units.NotAQuantity):
            units.quantity_magnitude("about 5 MW", units.POWER)
        with pytest.raises(units.MissingUnit):
            units.quantity_magnitude("2400", units.POWER)
        with pytest.raises(units.WrongDimension):
            units.quantity_magnitude("5 MWh", units.POWER)
        with pytest.raises(units.UnknownUnit):
            units.quantity_magnitude("5 MWW", units.POWER)
