"""Which expressions are the same for every facility: evaluation computes those once per run."""

from __future__ import annotations

from ..dsl import ast
from ..dsl.builtins import FUNCTIONS


class Constancy:
    """Whether an expression is the same for every facility: it names no fact and no aggregate, itself or
    through the definitions it reads. Conservative: any name that is not a constant definition counts as
    reading the facility."""

    def __init__(self, definitions: dict[str, ast.Definition]):
        self.definitions = definitions
        self.known: dict[str, bool] = {}

    # the expressions whose value depends only on their parts (a construct not listed here counts as reading facts)
    PURE = (ast.Quantity, ast.DateLit, ast.StringLit, ast.BoolLit, ast.Paren, ast.Neg, ast.Not, ast.Arith, ast.Compare,
            ast.Logical, ast.Member, ast.Tiered, ast.Call, ast.Ref)

    def __call__(self, expr) -> bool:
        for node in ast.walk(expr):
            if type(node) not in self.PURE or (isinstance(node, ast.Call) and FUNCTIONS[node.name].is_aggregate):
                return False
            if isinstance(node, ast.Ref) and not self._constant_definition(node.root):
                return False
        return True

    def _constant_definition(self, name: str) -> bool:
        if name not in self.definitions:
            return False
        if name not in self.known:
            self.known[name] = False  # definitions are acyclic (checked); guards re-entry
            self.known[name] = self(self.definitions[name].expr)
        return self.known[name]
