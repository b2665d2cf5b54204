"""Rooms: types, capacity filters, uniqueness, delete."""

from __future__ import annotations

from service_testing import Api


def test_rooms(api: Api) -> None:
    hall = api.create("/rooms", code="A-101", building="A", capacity=120, type="lecture_hall")
    api.create("/rooms", code="A-102", building="A", capacity=30, type="classroom")
    api.create("/rooms", code="B-201", building="B", capacity=20, type="computer_lab")
    assert api.get(f"/rooms/{hall['id']}") == hall
    assert [r["code"] for r in api.get("/rooms?min_capacity=25")["items"]] == ["A-101", "A-102"]
    assert [r["code"] for r in api.get("/rooms?building=B")["items"]] == ["B-201"]
    assert [r["code"] for r in api.get("/rooms?type=classroom")["items"]] == ["A-102"]
    assert set(api.fails("GET", "/rooms?type=kitchen", 422)) == {"type"}
    assert set(api.fails("POST", "/rooms", 409, {"code": "A-101", "building": "A", "capacity": 1, "type": "lab"})) == {
        "code"
    }
    errors = api.fails("POST", "/rooms", 422, {"code": "C-1", "building": "C", "capacity": 0, "type": "kitchen"})
    assert set(errors) == {"capacity", "type"}
    assert set(api.fails("POST", "/rooms", 422, {"code": "C-1", "building": "C", "capacity": 1.5, "type": "lab"})) == {
        "capacity"
    }
    assert api.patch(f"/rooms/{hall['id']}", capacity=150)["capacity"] == 150
    assert api.client.delete(f"/api/rooms/{hall['id']}").status_code == 204
    assert api.get("/rooms")["total"] == 2
