"""Benchmarks (DESIGN.md §8): `python -m bench` (or `make bench`).

Figures are ratios, not absolute budgets: these machines are noisy, so every run also times a bare Flask
"hello" and compares data sizes measured in the same run.
"""
