"""The generic record endpoints, for every resource: unknown ids are 404, bodies are checked before lookups,
and students cannot be deleted."""

from __future__ import annotations

import pytest
from flask import Flask
from service_testing import Api

from service.api.openapi import registered_endpoints
from service.records import crud
from service.records.archive import NOMENCLATURE
from service.records.calendar import ACADEMIC_YEARS, PERIODS
from service.records.groups import GROUPS, STREAMS
from service.records.organisation import DEPARTMENTS, FACULTIES
from service.records.personal_files import DOCUMENTS
from service.records.programmes import PLAN_DISCIPLINES, PROGRAMMES, STUDY_PLANS
from service.records.rooms import ROOMS
from service.records.sections import SECTIONS
from service.records.students import STUDENTS
from service.records.teachers import TEACHERS

RESOURCES = (FACULTIES, DEPARTMENTS, PROGRAMMES, STUDY_PLANS, PLAN_DISCIPLINES, ACADEMIC_YEARS, PERIODS, ROOMS,
             TEACHERS, GROUPS, STREAMS, STUDENTS, DOCUMENTS, NOMENCLATURE, SECTIONS)  # fmt: skip
PATHS = [r.path for r in RESOURCES]


def test_every_resource_is_listed_here(app: Flask) -> None:
    collections = {
        rule.removeprefix("/api")
        for rule, name, _ in registered_endpoints(app)
        if "create_" in name
        and not name.startswith(("account.", "registration."))
        and name != "archive.create_archive_file"
    }  # fmt: skip (a file is made by its own rules, not crud)
    assert collections == set(PATHS)


@pytest.mark.parametrize("path", PATHS)
def test_unknown_ids_are_404(api: Api, path: str) -> None:
    label = next(r.label for r in RESOURCES if r.path == path)
    assert api.fails("GET", f"{path}/12345", 404) == {None: f"no {label} with id 12345"}
    api.fails("PATCH", f"{path}/12345", 404, {})
    if path == "/students":
        api.fails("DELETE", f"{path}/12345", 405)
    else:
        api.fails("DELETE", f"{path}/12345", 404)
    assert api.get(path) == {"items": [], "total": 0, "page": 1, "per_page": 50}


@pytest.mark.parametrize("path", PATHS)
def test_bodies_are_validated_before_lookup(api: Api, path: str) -> None:
    assert "unknown_field" in api.fails("PATCH", f"{path}/12345", 422, {"unknown_field": 1})
    api.fails("PATCH", f"{path}/12345", 400, None)


def test_update_schema_is_derived_from_create_schema() -> None:
    for resource in RESOURCES:
        assert set(resource.update.model_fields) == set(resource.create.model_fields)
        assert all(not f.is_required() for f in resource.update.model_fields.values())
    assert {"page", "per_page", "q"} == crud.PAGING
