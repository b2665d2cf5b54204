"""Fixtures shared by the test suite."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

# The project is not installed in the virtualenv and pytest does not put the repository root on sys.path.
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))


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
