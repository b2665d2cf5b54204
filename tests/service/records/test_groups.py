"""Academic groups and lecture streams."""

from __future__ import annotations

from typing import Any

from service_testing import Api

Org = dict[str, dict[str, Any]]


def test_groups(api: Api, org: Org) -> None:
    group = org["group"]
    assert api.get(f"/groups/{group['id']}") == group
    programme_id = org["programme"]["id"]
    api.create("/groups", code="CS-24-1r", programme_id=programme_id, admission_year=2024, language="ru")
    assert [g["code"] for g in api.get("/groups?admission_year=2024")["items"]] == ["CS-24-1r"]
    assert [g["code"] for g in api.get("/groups?language=kk")["items"]] == ["CS-25-1k"]
    assert set(api.fails("POST", "/groups", 409, {"code": "CS-25-1k", "programme_id": programme_id,
                                                  "admission_year": 2025, "language": "kk"})) == {"code"}  # fmt: skip
    errors = api.fails("POST", "/groups", 422, {"code": "X", "programme_id": 999, "admission_year": 2025,
                                                "language": "de"})  # fmt: skip
    assert set(errors) == {"language"}
    errors = api.fails("POST", "/groups", 422, {"code": "X", "programme_id": 999, "admission_year": 2025,
                                                "language": "en", "advisor_id": 998})  # fmt: skip
    assert errors == {"programme_id": "no programme with id 999", "advisor_id": "no teacher with id 998"}
    assert api.patch(f"/groups/{group['id']}", advisor_id=None)["advisor_id"] is None


def test_streams(api: Api, org: Org) -> None:
    programme_id = org["programme"]["id"]
    second = api.create("/groups", code="CS-25-2k", programme_id=programme_id, admission_year=2025, language="kk")
    russian = api.create("/groups", code="CS-25-3r", programme_id=programme_id, admission_year=2025, language="ru")
    ids = [org["group"]["id"], second["id"]]
    stream = api.create("/streams", code="CS-25-kk", language="kk", group_ids=list(reversed(ids)))
    assert stream["group_ids"] == ids  # ordered by group code
    assert api.get(f"/streams/{stream['id']}") == stream
    assert [s["code"] for s in api.get(f"/streams?group_id={second['id']}")["items"]] == ["CS-25-kk"]
    assert api.get(f"/streams?group_id={russian['id']}")["total"] == 0
    errors = api.fails("POST", "/streams", 422, {"code": "S", "language": "kk", "group_ids": [russian["id"]]})
    assert errors == {"group_ids": "not taught in kk: CS-25-3r (ru)"}
    assert api.fails("POST", "/streams", 422, {"code": "S", "group_ids": [999]}) == {
        "group_ids": "no academic group with id 999"
    }
    assert set(api.fails("POST", "/streams", 422, {"code": "S", "group_ids": []})) == {"group_ids"}
    assert set(api.fails("POST", "/streams", 422, {"code": "S", "group_ids": [ids[0], ids[0]]})) == {"group_ids"}
    assert set(api.fails("POST", "/streams", 409, {"code": "CS-25-kk", "group_ids": [russian["id"]]})) == {"code"}
    mixed = api.patch(f"/streams/{stream['id']}", language=None, group_ids=[russian["id"], ids[0]])
    assert mixed["group_ids"] == [ids[0], russian["id"]] and mixed["code"] == "CS-25-kk"
    assert "group_ids" in api.fails("PATCH", f"/streams/{stream['id']}", 422, {"language": "kk"})
    assert "stream_groups (group_id)" in api.fails("DELETE", f"/groups/{russian['id']}", 409)[None]
    assert api.client.delete(f"/api/streams/{stream['id']}").status_code == 204
    assert api.client.delete(f"/api/groups/{russian['id']}").status_code == 204
