"""``python -m benchmarks ctt ...``: the benchmark command line without the main ``registrar`` CLI."""

from benchmarks.cli import benchmark_cli

if __name__ == "__main__":  # guard: spawned worker processes re-import this module as __mp_main__
    benchmark_cli(prog_name="python -m benchmarks")
