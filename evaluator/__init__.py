"""Evaluator: facility facts in, verdicts with rule traces out."""
