"""Benchmarks: `python3 -m bench` runs them all and prints a table (see docs/benchmarks.md)."""
