"""The shipped policy files (package data)."""
