"""``registrar benchmark contingent`` on a small university: every step runs and is timed, on SQLite."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from benchmarks.contingent import run


def test_every_step_is_timed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bench.sqlite3'}"
    table = run(url, 200, seed=1)
    assert list(table.columns) == ["step", "size", "seconds"]
    steps = list(table["step"])
    assert steps[0].startswith("insert the university") and steps[-1] == "one student's history"
    assert sum(s.startswith("register a promotion order") for s in steps) == 4
    assert (table["seconds"] >= 0).all()
    with pytest.raises(click.ClickException, match="already holds students"):
        run(url, 200, seed=1)
