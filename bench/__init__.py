"""Synthetic N× databases and the benchmarks of `make bench` (bench/run.py)."""
