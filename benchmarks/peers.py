"""The EnEfG §11 PUE rules (BUILTIN's pue_existing_2027, pue_existing_2030, pue_new, with its scope) in the
general policy engines, for issue 9's comparison: Rego via regopy, Cedar via cedarpy (`pip install -e
'.[bench]'`). Each takes the same facts of each facility (`facts_of`, prepared outside the timing) and
returns the three verdicts, which the benchmark checks against dcpolicy's."""

from __future__ import annotations

import datetime
import json

RULES = ("pue_existing_2027", "pue_existing_2030", "pue_new")
D = datetime.date

REGO = """\
package pue

import rego.v1

in_scope if {
  input.nominal_kw >= 300
  not input.network_node
}

existing := input.started < "2026-07-01"

new := input.started >= "2026-07-01"

new_from := sprintf("%d%s", [to_number(substring(input.started, 0, 4)) + 2, substring(input.started, 4, -1)])

pue := input.total / input.it if {
  is_number(input.total)
  is_number(input.it)
  input.it != 0
}

requirement(limit) := "pass" if pue <= limit
requirement(limit) := "fail" if pue > limit
requirement(limit) := "unknown" if not pue

decide(applies, from, limit) := "not_applicable" if not applies
decide(applies, from, limit) := "not_in_force" if {
  applies
  input.as_of < from
}
decide(applies, from, limit) := requirement(limit) if {
  applies
  input.as_of >= from
}

verdicts := ["not_applicable", "not_applicable", "not_applicable"] if not in_scope
verdicts := [decide(existing, "2027-07-01", 1.5), decide(existing, "2030-07-01", 1.3),
             decide(new, new_from, 1.2)] if in_scope
"""

# Cedar has no division or fractions: PUE <= 1.5 is written total * 2 <= it * 3 over whole kWh, and
# dates are whole numbers YYYYMMDD (started + 2 years = started + 20000). One request per facility;
# the policies that hold (the response's reasons) are the three verdicts.
_SCOPE = "(context.nominal_kw >= 300 && !context.network_node)"
_KNOWN = "(context has total && context has it && context.it != 0)"


def _cedar_rule(applies: str, start: str, le: str, gt: str) -> list[tuple[str, str]]:
    live = f"{_SCOPE} && {applies} && context.as_of >= {start}"
    return [
        ("not_applicable", f"!{_SCOPE} || !({applies})"),
        ("not_in_force", f"{_SCOPE} && {applies} && context.as_of < {start}"),
        ("pass", f"{live} && {_KNOWN} && {le}"),
        ("fail", f"{live} && {_KNOWN} && {gt}"),
        ("unknown", f"{live} && !{_KNOWN}"),
    ]


CEDAR_VERDICTS = (
    [(0, v, c) for v, c in _cedar_rule("context.started < 20260701", "20270701",
                                        "context.total * 2 <= context.it * 3", "context.total * 2 > context.it * 3")]
    + [(1, v, c) for v, c in _cedar_rule("context.started < 20260701", "20300701",
                                          "context.total * 10 <= context.it * 13", "context.total * 10 > context.it * 13")]
    + [(2, v, c) for v, c in _cedar_rule("context.started >= 20260701", "(context.started + 20000)",
                                          "context.total * 5 <= context.it * 6", "context.total * 5 > context.it * 6")])
CEDAR = "\n".join(f"permit(principal, action, resource) when {{ {condition} }};" for _, _, condition in CEDAR_VERDICTS)


def facts_of(facility, as_of: datetime.date) -> dict:
    """What the three rules read: the facility's figures and those of the latest calendar year ended by as_of."""
    f = {path: fact.value for path, fact in facility.facts.items()}
    years = [p for p in facility.periods if p.start.month == 1 and p.start.day == 1 and p.end == D(p.start.year, 12, 31)]
    ended = [p for p in years if p.end <= as_of]
    chosen = max(ended, key=lambda p: p.end) if ended else None
    period = {k: v.value for k, v in chosen.facts.items()} if chosen else {}
    facts = {"nominal_kw": f["power.nominal_connected"], "network_node": bool(f.get("network_node")),
             "started": f["started"].isoformat(), "as_of": as_of.isoformat()}
    for name in ("total", "it"):
        if period.get(f"energy.{name}") is not None:
            facts[name] = period[f"energy.{name}"]
    return facts


def available() -> dict[str, str | None]:
    """Peer name -> None when importable, else why not."""
    found = {}
    for name in ("regopy", "cedarpy"):
        try:
            __import__(name)
            found[name] = None
        except ImportError as err:
            found[name] = f"not installed ({err}); pip install -e '.[bench]'"
    return found


def rego_runner():
    from regopy import Interpreter

    rego = Interpreter()
    rego.add_module("pue", REGO)

    def run(facts_list) -> list[tuple[str, ...]]:
        out = []
        for facts in facts_list:
            rego.set_input(facts)
            result = rego.query("data.pue.verdicts")
            out.append(tuple(json.loads(str(result.expressions()[0]))))
        return out

    return run


def cedar_runner():
    import cedarpy

    def context(facts: dict) -> dict:
        c = {"nominal_kw": int(facts["nominal_kw"]), "network_node": facts["network_node"],
             "started": int(facts["started"].replace("-", "")), "as_of": int(facts["as_of"].replace("-", ""))}
        for name in ("total", "it"):
            if name in facts:
                c[name] = round(facts[name])  # kWh
        return c

    def run(facts_list) -> list[tuple[str, ...]]:
        requests = [{"principal": 'User::"benchmark"', "action": 'Action::"evaluate"', "resource": 'Site::"dc"',
                     "context": context(facts)} for facts in facts_list]
        out = []
        for response in cedarpy.is_authorized_batch(requests, CEDAR, []):
            verdicts = ["?"] * 3
            for reason in response.diagnostics.reasons:
                rule, verdict, _ = CEDAR_VERDICTS[int(reason.removeprefix("policy"))]
                verdicts[rule] = verdict
            out.append(tuple(verdicts))
        return out

    return run
