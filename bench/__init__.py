"""Benchmark suite (issue 7): `python -m bench [--quick]`; results in `bench/RESULTS.md`."""
