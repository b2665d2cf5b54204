"""registrar: a university registrar's engine.

CP-SAT based course (lesson) timetabling with a validator-faithful scorer, public benchmark
harnesses and a command line (``registrar``, see :mod:`registrar.cli`). Exams, student groups and
an academic-records service are to come.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("registrar")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
