"""What generated plan code reads: one facility's facts in one period, and its operator's members."""

from __future__ import annotations

from .facts import Facility, Period
from .periods import NO_PERIOD, FactValues, period_values
from .plan import Plan
from .values import NOT_EVALUATED, UNKNOWN


_UNSET = object()  # not yet in the memo (any value, None included, may be memoised)


def _no_period(k: int) -> None:
    return None


class Context:
    """Facts of one facility in one period, seen by generated code (created per evaluation)."""

    __slots__ = ("F", "P", "periods_back", "plan", "memo", "dtrace", "members", "all_members", "fiscal_start", "name",
                 "period_asked", "in_scope", "scope_missing", "facility_facts", "period_facts", "record_members",
                 "period", "provenance", "shared", "dtraces", "closures", "wheres", "record")

    def __init__(self, plan: Plan, facility: Facility | None = None, period: Period | None = None,
                 periods_back=_no_period, members=()):
        self.name = facility.id if facility is not None else ""  # whose fact is missing in an aggregate
        self.period_asked: str | None = None  # the --period label, when one was asked for
        self.plan = plan
        self.facility_facts = facility.facts if facility is not None else {}
        self.period = period
        self.period_facts = period.facts if period is not None else {}
        self.F = FactValues(self.facility_facts)
        self.P = period_values(period)
        self.periods_back = periods_back  # k -> the period k years before, or None
        self.memo: dict = {}
        self.dtrace: dict = {}
        self.members = list(members)  # the operator's facilities in the jurisdiction's scope (all, while scope is decided)
        self.all_members = self.members  # all the operator's facilities, for `including out-of-scope`
        self.fiscal_start = plan.fiscal_start
        # True, or UNKNOWN for a facility whose scope cannot be decided: an aggregate counts it as
        # "perhaps a member" rather than leaving it out (its missing scope facts in `scope_missing`)
        self.in_scope = True
        self.scope_missing: tuple[str, ...] = ()
        self.record_members = False  # operator results name each member's facts in their traces
        self.record = None  # inside a quantifier: the record being judged (quantify.RecordView)
        self.provenance = True  # traces record where each fact came from (only --explain / --trace full shows it)
        # what is the same for every facility of the run (constant clauses and definitions, engine.py shares one)
        self.shared: dict = {}
        self.dtraces: dict = {}  # definition name -> its DefinitionTrace, made once however many clauses read it
        self.closures: dict = {}  # definition name -> its trace and those of the definitions it read (tracing.py)
        self.wheres: dict = {}  # fact path -> where it came from (`where`)

    def back(self, k: int) -> dict:
        return period_values(self.periods_back(k)) if self.P is not NO_PERIOD else NO_PERIOD

    def lookup(self, text: str):
        """A fact by its written path: facility.x, period.x or period[-k].x (UNKNOWN when absent)."""
        root, _, path = text.partition(".")
        if root == "facility":
            return self.F.get(path, UNKNOWN)
        if root == "period":
            return self.P.get(path, UNKNOWN)
        return self.back(_offset(root)).get(path, UNKNOWN)

    def where(self, text: str) -> str | None:
        """Where a fact came from: 'examples/fra-3.yaml:14:15', 'derived: …', 'default', or None if absent.
        Asked once per fact and context (many clauses read the same fact), then remembered."""
        wheres = self.wheres
        if text in wheres:
            return wheres[text]
        found = wheres[text] = self._where(text)
        return found

    def _where(self, text: str) -> str | None:
        root, _, path = text.partition(".")
        if root == "facility":
            period, table = None, self.facility_facts
        else:
            period = self.period if root == "period" else (
                self.periods_back(_offset(root)) if self.P is not NO_PERIOD else None)
            table = period.facts if period is not None else {}
        fact = table.get(path)
        if fact is None and period is not None and path in ("start", "end"):
            span = period.span  # the period's bounds come from its label
            return f"{span.file}:{span.line}:{span.column}"
        if fact is None:
            return None
        if fact.derived:
            return f"derived: {fact.derived}"
        at = fact.at  # a Span, or the loader's position tuple (file, line, column, …): no Span made for it
        if at is None:
            return "default"
        if type(at) is tuple:
            return f"{at[0]}:{at[1]}:{at[2]}"
        return f"{at.file}:{at.line}:{at.column}"

    def d(self, name: str):
        value = self.memo.get(name, _UNSET)
        if value is not _UNSET:
            return value
        compiled = self.plan.definitions[name]
        if compiled.constant:  # computed once for every facility of the run
            found = self.shared.get(name)
            if found is None:
                found = self.shared[name] = compiled.run(self)
            else:  # the constant definitions it read are this facility's too, as if it had run here
                for slot in compiled.definition_slots:
                    if found[1][slot] is not NOT_EVALUATED:
                        self.d(compiled.nodes[slot].path)
            value, trace = found
        else:  # CompiledExpr.run, inlined
            trace = [NOT_EVALUATED] * len(compiled.nodes)
            value = compiled.function(self, trace)
        self.memo[name] = value
        self.dtrace[name] = trace
        return value


def _offset(root: str) -> int:
    return int(root[len("period[-"):-1])
