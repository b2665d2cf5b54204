"""Fixtures shared by the test suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The public benchmark data: ``$REGISTRAR_DATA``, else ``../shared/datasets`` next to the repository.

    Skips the requesting test, naming the folder tried, when it does not exist.
    """
    env = os.environ.get("REGISTRAR_DATA")
    path = Path(env).expanduser() if env else REPO_ROOT.parent / "shared" / "datasets"
    if not path.is_dir():
        pytest.skip(f"benchmark data folder {path} not found (set REGISTRAR_DATA to the shared datasets folder)")
    return path
