"""Command-line interface: wires the stages together and renders."""
