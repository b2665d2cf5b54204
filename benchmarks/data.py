"""Where the public benchmark data lives, and the published ITC2007 track 3 (CB-CTT) and Toronto results.

The data folder is resolved in this order: an explicit path (the ``--data-dir`` option), the
``REGISTRAR_DATA`` environment variable, then ``../shared/datasets`` next to the repository root
(the folder holding ``pyproject.toml``). See ``README.md`` section 1 in that folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from datasets.toronto import TORONTO_INSTANCES

ENV_VAR = "REGISTRAR_DATA"
CTT_DIR = "itc2007-cbctt"
CTT_PUBLISHED = "best_known_ud2.csv"
CTT_NAMES: tuple[str, ...] = tuple(f"comp{n:02d}" for n in range(1, 22))
"""The 21 ITC2007 track 3 instances, comp01..comp21 (comp15..comp21 were the hidden ones)."""
TORONTO_DIR = "toronto"
TORONTO_PUBLISHED = "published_results.csv"
TORONTO_NAMES: tuple[str, ...] = tuple(TORONTO_INSTANCES)
"""The 13 Toronto (version I) instances by literature name, car91..yor83 (files: ``TORONTO_INSTANCES``)."""


def _repo_root() -> Path:
    """The nearest folder above this file that holds ``pyproject.toml`` (else the package's parent)."""
    here = Path(__file__).resolve().parent
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file():
            return folder
    return here.parent


REPO_ROOT = _repo_root()
DEFAULT_DATA_DIR = REPO_ROOT.parent / "shared" / "datasets"


class DataDirError(FileNotFoundError):
    """The benchmark data (folder or file) is missing; the message names the path tried."""


def data_dir(explicit: str | Path | None = None) -> Path:
    """The benchmark data folder: ``explicit``, else ``$REGISTRAR_DATA``, else ``../shared/datasets``.

    Raises :class:`DataDirError` naming the path tried (and where it came from) if it is not a folder.
    """
    if explicit is not None and str(explicit) != "":
        path, origin = Path(explicit), "--data-dir"
    elif os.environ.get(ENV_VAR):
        path, origin = Path(os.environ[ENV_VAR]), f"${ENV_VAR}"
    else:
        path, origin = DEFAULT_DATA_DIR, f"the default (../shared/datasets next to {REPO_ROOT})"
    path = path.expanduser()
    if not path.is_dir():
        raise DataDirError(
            f"benchmark data folder {path} (from {origin}) does not exist or is not a folder; "
            f"pass --data-dir or set {ENV_VAR}"
        )
    return path.resolve()


def _ctt_folder(data: str | Path) -> Path:
    folder = Path(data) / CTT_DIR
    if not folder.is_dir():
        raise DataDirError(f"ITC2007 CB-CTT folder {folder} does not exist (expected {CTT_DIR}/ in the data folder)")
    return folder


def published_ctt(data: str | Path) -> pd.DataFrame:
    """Published UD2 results per instance (index ``instance``: comp01..comp21) from ``best_known_ud2.csv``.

    Columns used by the harness: ``bks_ud2`` (best known cost), ``bks_optimal`` (bool: proven optimal),
    ``best_lb`` (best published lower bound) and ``mueller_itc2007_avg10`` (the ITC2007 winner's mean of
    10 runs under the competition time limit); the other published columns are kept as they are.
    """
    path = _ctt_folder(data) / CTT_PUBLISHED
    if not path.is_file():
        raise DataDirError(f"published results {path} do not exist")
    table = pd.read_csv(path, index_col="instance")
    missing = {"bks_ud2", "bks_optimal", "best_lb", "mueller_itc2007_avg10"} - set(table.columns)
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    table["bks_optimal"] = table["bks_optimal"].astype(str).str.strip().str.lower().isin({"yes", "true", "1"})
    return table


def ctt_instances(data: str | Path, names: Iterable[str] | None = None) -> list[Path]:
    """Paths of the ``.ctt`` files of ``names`` (default: all of comp01..comp21), in the order given.

    Raises ``ValueError`` listing the valid names for an unknown name, :class:`DataDirError` for a missing file.
    """
    folder = _ctt_folder(data)
    wanted = list(CTT_NAMES) if names is None else [n.strip() for n in names if n.strip()]
    unknown = [n for n in wanted if n not in CTT_NAMES]
    if unknown:
        raise ValueError(f"unknown ITC2007 CB-CTT instance(s) {', '.join(unknown)}; valid: {', '.join(CTT_NAMES)}")
    paths = []
    for name in dict.fromkeys(wanted):
        path = folder / f"{name}.ctt"
        if not path.is_file():
            raise DataDirError(f"instance file {path} does not exist")
        paths.append(path)
    return paths


def _toronto_folder(data: str | Path) -> Path:
    folder = Path(data) / TORONTO_DIR
    if not folder.is_dir():
        raise DataDirError(f"Toronto folder {folder} does not exist (expected {TORONTO_DIR}/ in the data folder)")
    return folder


def published_toronto(data: str | Path) -> pd.DataFrame:
    """Published Toronto results per instance (index ``instance``: literature names) from ``published_results.csv``.

    Columns used by the harness: ``best_in_source`` (the best known proximity per student in the source's
    comparison tables), ``timeslots`` (the standard slot count) and, when present, ``cMA_min`` and
    ``cMA_avg`` (Leite et al.'s cellular memetic algorithm); the other published columns are kept as they are.
    """
    path = _toronto_folder(data) / TORONTO_PUBLISHED
    if not path.is_file():
        raise DataDirError(f"published results {path} do not exist")
    table = pd.read_csv(path, index_col="instance")
    missing = {"best_in_source", "timeslots"} - set(table.columns)
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    return table


def toronto_instances(data: str | Path, names: Iterable[str] | None = None) -> list[Path]:
    """Paths of the ``.stu`` files of the literature ``names`` (default: all 13, car91..yor83), in the order given.

    Raises ``ValueError`` listing the valid names for an unknown name, :class:`DataDirError` for a missing file.
    """
    folder = _toronto_folder(data)
    wanted = list(TORONTO_NAMES) if names is None else [n.strip() for n in names if n.strip()]
    unknown = [n for n in wanted if n not in TORONTO_INSTANCES]
    if unknown:
        raise ValueError(f"unknown Toronto instance(s) {', '.join(unknown)}; valid: {', '.join(TORONTO_NAMES)}")
    paths = []
    for name in dict.fromkeys(wanted):
        path = folder / f"{TORONTO_INSTANCES[name][0]}.stu"
        if not path.is_file():
            raise DataDirError(f"instance file {path} does not exist")
        paths.append(path)
    return paths
