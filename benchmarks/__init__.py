"""Benchmarks: run from the project folder, not part of the unit suite (see the README, "Benchmarks")."""
