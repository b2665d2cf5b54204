"""Faculties and departments: create, get, list, update, delete; 404, 409 and 422."""

from __future__ import annotations

from typing import Any

from service_testing import Api


def test_faculty_create_get_list_update(api: Api) -> None:
    fit = api.create("/faculties", code="FIT", name_en="Faculty of IT", name_kk="АТ факультеті")
    api.create("/faculties", code="FEN", name_en="Faculty of Engineering")
    assert api.get(f"/faculties/{fit['id']}") == fit
    listed = api.get("/faculties")
    assert listed["total"] == 2 and [f["code"] for f in listed["items"]] == ["FIT", "FEN"]
    assert [f["code"] for f in api.get("/faculties?q=engin")["items"]] == ["FEN"]
    changed = api.patch(f"/faculties/{fit['id']}", name_ru="Факультет ИТ")
    assert changed == fit | {"name_ru": "Факультет ИТ"}


def test_paging(api: Api) -> None:
    for n in range(5):
        api.create("/faculties", code=f"F{n}", name_en=f"Faculty {n}")
    page = api.get("/faculties?page=2&per_page=2")
    assert page["total"] == 5 and page["page"] == 2 and page["per_page"] == 2
    assert [f["code"] for f in page["items"]] == ["F2", "F3"]
    assert api.get("/faculties?page=4&per_page=2")["items"] == []
    assert set(api.fails("GET", "/faculties?per_page=500", 422)) == {"per_page"}
    assert set(api.fails("GET", "/faculties?colour=red", 422)) == {"colour"}
    assert set(api.fails("GET", "/faculties?page=1&page=2", 422)) == {"page"}


def test_faculty_errors(api: Api) -> None:
    api.create("/faculties", code="FIT", name_en="Faculty of IT")
    assert api.fails("POST", "/faculties", 409, {"code": "FIT", "name_en": "Again"}) == {
        "code": "a faculty with code FIT already exists"
    }
    errors = api.fails("POST", "/faculties", 422, {"code": "no spaces", "name_en": "", "extra": 1})
    assert set(errors) == {"code", "name_en", "extra"}
    assert set(api.fails("POST", "/faculties", 422, {})) == {"code", "name_en"}
    assert set(api.fails("POST", "/faculties", 422, {"code": 7, "name_en": "X"})) == {"code"}
    assert api.fails("POST", "/faculties", 422, ["FIT"]) == {None: "Input should be an object"}
    assert "404" not in api.fails("GET", "/faculties/999", 404)
    api.fails("PATCH", "/faculties/999", 404, {"name_en": "X"})
    api.fails("DELETE", "/faculties/999", 404)


def test_invalid_json_is_400(api: Api) -> None:
    response = api.client.post("/api/faculties", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json["errors"][0]["message"].startswith("the request body is not valid JSON")
    assert api.client.post("/api/faculties").status_code == 400


def test_patch_validates_merged_record(api: Api) -> None:
    fit = api.create("/faculties", code="FIT", name_en="Faculty of IT")
    api.create("/faculties", code="FEN", name_en="Engineering")
    assert set(api.fails("PATCH", f"/faculties/{fit['id']}", 422, {"name_en": None})) == {"name_en"}
    assert set(api.fails("PATCH", f"/faculties/{fit['id']}", 409, {"code": "FEN"})) == {"code"}
    assert api.patch(f"/faculties/{fit['id']}", code="FIT") == fit


def test_department_references_and_delete_rules(api: Api) -> None:
    fit = api.create("/faculties", code="FIT", name_en="Faculty of IT")
    cs = api.create("/departments", code="CS", name_en="Computer Science", faculty_id=fit["id"])
    pe = api.create("/departments", code="PE", name_en="Physical Education")
    assert pe["faculty_id"] is None
    assert api.fails("POST", "/departments", 422, {"code": "X", "name_en": "X", "faculty_id": 999}) == {
        "faculty_id": "no faculty with id 999"
    }
    assert [d["code"] for d in api.get(f"/departments?faculty_id={fit['id']}")["items"]] == ["CS"]
    assert api.get(f"/departments/{pe['id']}") == pe
    moved = api.patch(f"/departments/{pe['id']}", faculty_id=fit["id"], name_kk="Дене шынықтыру")
    assert moved == pe | {"faculty_id": fit["id"], "name_kk": "Дене шынықтыру"}
    assert api.patch(f"/departments/{pe['id']}", faculty_id=None)["faculty_id"] is None
    message = api.fails("DELETE", f"/faculties/{fit['id']}", 409)[None]
    assert "departments (faculty_id)" in message
    assert api.client.delete(f"/api/departments/{cs['id']}").status_code == 204
    api.get(f"/departments/{cs['id']}", expect=404)
    assert api.client.delete(f"/api/faculties/{fit['id']}").status_code == 204


def test_org_fixture(org: dict[str, dict[str, Any]]) -> None:
    assert org["programme"]["credits"] == 240
    assert org["group"]["advisor_id"] == org["teacher"]["id"]


def test_values_the_database_cannot_store_are_422_not_500(api: Api) -> None:
    huge = 2**31
    assert set(api.fails("POST", "/faculties", 422, {"code": "F", "name_en": "a\u0000b"})) == {"name_en"}
    assert set(api.fails("POST", "/departments", 422, {"code": "D", "name_en": "D", "faculty_id": huge})) == {
        "faculty_id"
    }
    assert set(api.fails("GET", f"/departments?faculty_id={huge}", 422)) == {"faculty_id"}
    assert set(api.fails("GET", "/faculties?q=%00", 422)) == {"q"}
    assert set(api.fails("GET", "/faculties?page=1000000000000", 422)) == {"page"}
    api.fails("GET", f"/faculties/{huge}", 404)
    api.fails("GET", f"/faculties/{10**30}", 404)
    api.fails("PATCH", f"/faculties/{huge}", 404, {"name_en": "X"})
