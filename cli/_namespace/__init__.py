"""dcpolicy: an exact language for data-centre energy-efficiency law, and its evaluator."""

__version__ = "0.1.0"
