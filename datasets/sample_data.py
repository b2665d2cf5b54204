"""Bundled sample instances (package data ``datasets/samples/*.json``).

``small-university.json`` is ``generate_university("small", seed=1)`` from
:mod:`datasets.synthetic_university`, saved with :func:`datasets.instance_json.write_instance_json`.
Regenerate it whenever the generator changes::

    python -m datasets.synthetic_university small --seed 1 --json datasets/samples/small-university.json
"""

from __future__ import annotations

from importlib import resources

from datasets.instance_json import parse_instance_json
from models.course_instance import CourseInstance

SAMPLES_PACKAGE = "datasets"
SAMPLES_FOLDER = "samples"


def sample_names() -> list[str]:
    """Names of the bundled samples (file names without ``.json``), sorted."""
    folder = resources.files(SAMPLES_PACKAGE) / SAMPLES_FOLDER
    return sorted(item.name.removesuffix(".json") for item in folder.iterdir() if item.name.endswith(".json"))


def load_sample(name: str = "small-university") -> CourseInstance:
    """Load a bundled sample instance by name. Raises ``ValueError`` for an unknown name and
    ``FormatError`` if the file is damaged."""
    resource = resources.files(SAMPLES_PACKAGE) / SAMPLES_FOLDER / f"{name}.json"
    if not resource.is_file():
        raise ValueError(f"unknown sample {name!r}: expected one of {', '.join(sample_names()) or '(none)'}")
    return parse_instance_json(resource.read_text(encoding="utf-8"), f"{SAMPLES_FOLDER}/{name}.json")
