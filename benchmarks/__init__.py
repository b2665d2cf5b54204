"""Benchmark harnesses: run the solvers on public instances, verify every result and compare with the literature."""
