"""Teachers: positions, departments, search."""

from __future__ import annotations

from typing import Any

from service_testing import Api


def test_teachers(api: Api, org: dict[str, dict[str, Any]]) -> None:
    teacher = org["teacher"]
    assert teacher["position"] == "lecturer" and teacher["middle_name"] is None
    other = api.create("/teachers", code="Petrova_MS", last_name="Petrova", first_name="Madina",
                       middle_name="Serikovna", position="professor")  # fmt: skip
    assert api.get(f"/teachers/{other['id']}") == other
    assert [t["code"] for t in api.get("/teachers?q=petro")["items"]] == ["Petrova_MS"]
    assert [t["code"] for t in api.get(f"/teachers?department_id={org['department']['id']}")["items"]] == ["Abenov_AB"]
    assert [t["code"] for t in api.get("/teachers?position=professor")["items"]] == ["Petrova_MS"]
    assert set(api.fails("POST", "/teachers", 409, {"code": "Abenov_AB", "last_name": "A", "first_name": "B"})) == {
        "code"
    }
    errors = api.fails("POST", "/teachers", 422, {"code": "X", "last_name": "", "first_name": "B", "position": "dean",
                                                  "department_id": 999})  # fmt: skip
    assert set(errors) == {"last_name", "position"}
    unknown = {"code": "X", "last_name": "A", "first_name": "B", "department_id": 999}
    errors = api.fails("POST", "/teachers", 422, unknown)
    assert errors == {"department_id": "no department with id 999"}
    assert api.patch(f"/teachers/{other['id']}", position="associate_professor")["position"] == "associate_professor"
    assert "groups (advisor_id)" in api.fails("DELETE", f"/teachers/{teacher['id']}", 409)[None]
    assert api.client.delete(f"/api/teachers/{other['id']}").status_code == 204
