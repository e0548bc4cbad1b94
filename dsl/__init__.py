"""Policy language: grammar, AST, checker and diagnostics."""
