"""What generated plan code reads: one facility's facts in one period, and its operator's members."""

from __future__ import annotations

from .plan import Plan
from .values import UNKNOWN


class Context:
    """Facts of one facility in one period, seen by generated code (created per evaluation)."""

    __slots__ = ("F", "P", "periods_back", "plan", "memo", "dtrace", "members", "all_members", "fiscal_start", "name",
                 "period_asked", "in_scope", "scope_missing")

    def __init__(self, plan: Plan, facility_values: dict, period_values: dict, periods_back, members,
                 name: str = ""):
        self.name = name  # the facility id, to say whose fact is missing in an aggregate
        self.period_asked: str | None = None  # the --period label, when one was asked for
        self.plan = plan
        self.F = facility_values
        self.P = period_values
        self.periods_back = periods_back
        self.memo: dict = {}
        self.dtrace: dict = {}
        self.members = members  # the operator's facilities in the jurisdiction's scope (all, while scope is decided)
        self.all_members = members  # all the operator's facilities, for `including out-of-scope` (set by the engine)
        self.fiscal_start = plan.fiscal_start
        # True, or UNKNOWN for a facility whose scope cannot be decided: an aggregate counts it as
        # "perhaps a member" rather than leaving it out (its missing scope facts in `scope_missing`)
        self.in_scope = True
        self.scope_missing: tuple[str, ...] = ()

    def back(self, k: int) -> dict:
        return self.periods_back(k)

    def lookup(self, text: str):
        """A fact by its written path: facility.x, period.x or period[-k].x (UNKNOWN when absent)."""
        root, _, path = text.partition(".")
        if root == "facility":
            return self.F.get(path, UNKNOWN)
        if root == "period":
            return self.P.get(path, UNKNOWN)
        k = int(root[len("period[-"):-1])
        return self.back(k).get(path, UNKNOWN)

    def d(self, name: str):
        if name in self.memo:
            return self.memo[name]
        compiled = self.plan.definitions[name]
        value, trace = compiled.run(self)
        self.memo[name] = value
        self.dtrace[name] = trace
        return value
