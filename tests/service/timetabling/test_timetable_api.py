"""The timetable workflow through the API with the in-process runner: solve, submit, approve, publish, edit, repair.

Jobs really run (a solver process per job); the tests poll the job's state in the database with a deadline.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from service_testing import Api
from timetable_testing import Term, wait_for

JobApi = Callable[[str], Api]


def finished(api: Api, job: dict[str, Any]) -> dict[str, Any]:
    """The job once it has ended (finished, failed or cancelled)."""
    return wait_for(lambda: (j := api.get(f"/timetable-jobs/{job['id']}"))["status"] not in ("queued", "running") and j)  # type: ignore[no-any-return]


def solved(staff: JobApi, term: Term, kind: str = "lessons", time_limit: float = 2) -> dict[str, Any]:
    """A finished solve of the term's ``kind``; the new draft (with its lessons or exams)."""
    scheduler = staff("scheduler")
    job = scheduler.post("/timetable-jobs", 201, period_id=term.period_id, kind=kind, time_limit=time_limit)
    assert job["status"] == "queued" and job["created_by"].startswith("scheduler")
    done = finished(scheduler, job)
    assert done["status"] == "finished", done["error"]
    assert done["elapsed"] is not None and done["version_id"] is not None and done["attempts"] == 1
    return scheduler.get(f"/timetable-versions/{done['version_id']}")  # type: ignore[no-any-return]


def test_solve_submit_approve_publish_and_everybody_reads_it(staff: JobApi, term: Term) -> None:
    draft = solved(staff, term)
    assert (draft["status"], draft["kind"], draft["number"], draft["hard_violations"]) == ("draft", "lessons", 1, 0)
    assert draft["period_id"] == term.period_id and draft["cost"] == sum(draft["soft"].values())
    assert len(draft["lessons"]) == 4 + 4 * 2 and draft["exams"] is None  # a lecture and two practices a discipline
    scheduler, vice, student = staff("scheduler"), staff("vice_rector"), staff("student")
    url = f"/timetable-versions/{draft['id']}"
    student.get(url, 404)  # a draft is not theirs to see
    vice.post(f"{url}/submit", 403, revision=1)
    scheduler.post(f"{url}/approve", 403, revision=1)
    submitted = scheduler.post(f"{url}/submit", revision=1)
    assert (submitted["status"], submitted["revision"]) == ("submitted", 2)
    assert submitted["submitted_by"].startswith("scheduler")
    scheduler.post(f"{url}/submit", 409, revision=2)  # already submitted
    vice.post(f"{url}/approve", 409, revision=1)  # stale
    errors = vice.post(f"{url}/return", 422, revision=2)["errors"]
    assert errors[0]["field"] == "comment"
    returned = vice.post(f"{url}/return", revision=2, comment="Move PRG off Saturday")
    assert (returned["status"], returned["comment"]) == ("returned", "Move PRG off Saturday")
    scheduler.post(f"{url}/submit", revision=3)
    approved = vice.post(f"{url}/approve", revision=4)
    assert approved["status"] == "approved" and approved["decided_by"].startswith("vice-rector")
    scheduler.post(f"{url}/publish", 403, revision=5)
    published = vice.post(f"{url}/publish", revision=5)
    assert published["status"] == "published"
    seen = student.get(f"/timetables/published?period_id={term.period_id}&kind=lessons")
    assert seen["id"] == draft["id"] and seen["lessons"] == draft["lessons"]
    assert student.get(f"/timetable-versions?period_id={term.period_id}")["total"] == 1
    student.get(f"/timetables/published?period_id={term.period_id}&kind=exams", 404)
    audit = staff("registrar").get(f"/audit?entity=timetable_versions&entity_id={draft['id']}")["items"]
    statuses = [e["new_value"] for e in audit if e["field"] == "status"]
    assert sorted(statuses) == sorted(["submitted", "returned", "submitted", "approved", "published"])


def test_publishing_another_version_supersedes_the_first(staff: JobApi, term: Term) -> None:
    first = solved(staff, term)
    scheduler, vice = staff("scheduler"), staff("vice_rector")

    def publish(version: dict[str, Any]) -> dict[str, Any]:
        url = f"/timetable-versions/{version['id']}"
        scheduler.post(f"{url}/submit", revision=version["revision"])
        vice.post(f"{url}/approve", revision=version["revision"] + 1)
        return vice.post(f"{url}/publish", revision=version["revision"] + 2)  # type: ignore[no-any-return]

    publish(first)
    # changing a published timetable makes a new draft; the published one stays as it is
    # a practice and a free classroom at the same time (practices are unsuitable in the lecture hall A-101)
    lesson, room = next(
        (x, r)
        for x in first["lessons"]
        if x["kind"] == "practice"
        for r in ("A-201", "A-202")
        if all(y["room"] != r for y in first["lessons"] if (y["day"], y["pair"]) == (x["day"], x["pair"]))
    )
    edit = scheduler.post(
        f"/timetable-versions/{first['id']}/lesson-moves",
        revision=4,
        course=lesson["course"],
        day=lesson["day"],
        pair=lesson["pair"],
        room=lesson["room"],
        to_day=lesson["day"],
        to_pair=lesson["pair"],
        to_room=room,
    )
    second = edit["version"]
    assert (second["number"], second["status"], second["based_on_id"]) == (2, "draft", first["id"])
    assert edit["hard_after"] == 0
    assert scheduler.get(f"/timetable-versions/{first['id']}")["status"] == "published"
    moved = scheduler.get(f"/timetable-versions/{first['id']}/compare/{second['id']}")["moved"]
    before, after = [lesson["room"], lesson["day"], lesson["pair"]], [room, lesson["day"], lesson["pair"]]
    assert moved == [{"item": lesson["course"], "before": before, "after": after}]
    publish(second)
    versions = scheduler.get(f"/timetable-versions?period_id={term.period_id}&kind=lessons")["items"]
    assert {v["id"]: v["status"] for v in versions} == {first["id"]: "superseded", second["id"]: "published"}


def test_moves_report_new_violations_and_repair_restores_validity(staff: JobApi, term: Term) -> None:
    draft = solved(staff, term)
    scheduler = staff("scheduler")
    url = f"/timetable-versions/{draft['id']}"
    a = draft["lessons"][0]
    b = next(x for x in draft["lessons"] if (x["day"], x["pair"]) != (a["day"], a["pair"]))
    edit = scheduler.post(
        f"{url}/lesson-moves",
        revision=1,
        course=a["course"],
        day=a["day"],
        pair=a["pair"],
        room=a["room"],
        to_day=b["day"],
        to_pair=b["pair"],
    )
    assert edit["hard_before"] == 0 and edit["hard_after"] > 0 and edit["new_violations"]
    assert edit["cost_change"] == edit["cost_after"] - edit["cost_before"]
    assert edit["version"]["id"] == draft["id"] and edit["version"]["revision"] == 2
    scheduler.post(f"{url}/submit", 409, revision=2)  # hard violations
    errors = scheduler.post(
        f"{url}/lesson-moves", 422, revision=2, course="NOPE", day=0, pair=0, room="A-101", to_day=1, to_pair=1
    )["errors"]
    assert "no lesson of NOPE" in errors[0]["message"]
    staff("teacher").post(
        f"{url}/lesson-moves",
        403,
        revision=2,
        course=a["course"],
        day=b["day"],
        pair=b["pair"],
        room=a["room"],
        to_day=a["day"],
        to_pair=a["pair"],
    )
    scheduler.post(f"{url}/repair", 409, revision=1, time_limit=5)
    job = scheduler.post(f"{url}/repair", 201, revision=2, time_limit=5)
    assert job["kind"] == "repair" and job["base_version_id"] == draft["id"]
    done = finished(scheduler, job)
    assert done["status"] == "finished", done["error"]
    repaired = scheduler.get(f"/timetable-versions/{done['version_id']}")
    assert (repaired["source"], repaired["based_on_id"], repaired["hard_violations"]) == ("repair", draft["id"], 0)
    moved = scheduler.get(f"{url}/compare/{repaired['id']}")["moved"]
    assert 1 <= len(moved) <= 2  # the clash is undone by moving one of the two lessons


def test_exam_session_job_and_exam_moves(staff: JobApi, term: Term) -> None:
    coordinator = staff("exam_coordinator")
    staff("scheduler")
    job = coordinator.post("/timetable-jobs", 201, period_id=term.period_id, kind="exams", time_limit=2)
    done = finished(coordinator, job)
    assert done["status"] == "finished", done["error"]
    version = coordinator.get(f"/timetable-versions/{done['version_id']}")
    assert version["kind"] == "exams" and len(version["exams"]) == 3 and version["hard_violations"] == 0
    first, second = version["exams"][0], version["exams"][1]
    edit = coordinator.post(
        f"/timetable-versions/{version['id']}/exam-moves", revision=1, exam=first["exam"], to_period=second["period"]
    )
    assert edit["hard_after"] > 0  # the same students sit both
    coordinator.post("/timetable-jobs", 403, period_id=term.period_id, kind="lessons")
    staff("scheduler").post(
        f"/timetable-versions/{version['id']}/lesson-moves",
        422,
        revision=2,
        course="x",
        day=0,
        pair=0,
        room="A-101",
        to_day=0,
        to_pair=1,
    )


def test_records_problems_are_422_and_create_no_job(staff: JobApi, term: Term, api: Api) -> None:
    scheduler = staff("scheduler")
    for room in api.get("/rooms")["items"]:
        api.delete(f"/rooms/{room['id']}")
    errors = scheduler.post("/timetable-jobs", 422, period_id=term.period_id, kind="lessons")["errors"]
    assert errors == [{"field": "period_id", "message": "there are no rooms: add rooms before building a timetable"}]
    errors = scheduler.post("/timetable-jobs", 422, period_id=999, kind="lessons")["errors"]
    assert errors[0]["message"] == "there is no period 999"
    scheduler.post("/timetable-jobs", 422, period_id=term.period_id, kind="lessons", time_limit=0)
    assert scheduler.get("/timetable-jobs")["total"] == 0


def test_cancel_a_running_job(staff: JobApi, term: Term) -> None:
    scheduler = staff("scheduler")
    job = scheduler.post("/timetable-jobs", 201, period_id=term.period_id, kind="lessons", time_limit=600)
    wait_for(lambda: scheduler.get(f"/timetable-jobs/{job['id']}")["status"] == "running")
    staff("vice_rector").post(f"/timetable-jobs/{job['id']}/cancel", 403)
    cancelled = scheduler.post(f"/timetable-jobs/{job['id']}/cancel")
    assert cancelled["status"] == "cancelled" and cancelled["version_id"] is None
    scheduler.post(f"/timetable-jobs/{job['id']}/cancel", 409)
    assert scheduler.get(f"/timetable-versions?period_id={term.period_id}")["total"] == 0
