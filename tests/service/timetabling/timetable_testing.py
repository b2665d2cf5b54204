"""Helpers of the timetable workflow tests (test modules import this module, never ``conftest``)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from campus import Campus


def wait_for(check: Callable[[], Any], timeout: float = 120.0) -> Any:
    """Poll ``check`` until it returns something truthy (a database state), failing after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        time.sleep(0.05)


@dataclass
class Term:
    """The campus's autumn 2025 with two confirmed students (sections PRG, MATH, HIST, ELA) and three rooms."""

    campus: Campus
    period_id: int
    sections: list[int]
