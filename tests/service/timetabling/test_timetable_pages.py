"""The timetable pages through the Flask test client, on both databases: the jobs page and its poll, a version's
grid by group, teacher and room with conflicts, the workflow buttons by role, a manual move with its new hard
violations and cost change, the comparison, the exports and the published timetable of a student and a teacher."""

from __future__ import annotations

import io
import re
from typing import Any

import icalendar
import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from service_testing import csrf_token, make_user, web_login
from timetable_testing import Term

from models.course_instance import CourseInstance
from models.course_timetable import CourseTimetable
from service import db
from service.models import SolveJob, TimetableVersion
from service.timetabling import instances, runner, versions

GROUP = "CS-25-1k"


@pytest.fixture
def users(app: Flask, term: Term, password_hash: str) -> dict[str, str]:
    """Users signing in on the web: one per role; the student is the term's first, the teacher the advisor."""
    links: dict[str, dict[str, Any]] = {"student": {"student_id": term.campus.students[0]["id"]},
                                        "teacher": {"teacher_id": term.campus.advisor["id"]}}  # fmt: skip
    for role in ("scheduler", "vice_rector", "registrar", "exam_coordinator", "teacher", "student"):
        make_user(app, role.replace("_", "-"), [role], password_hash, **links.get(role, {}))
    return {role: role.replace("_", "-") for role in ("scheduler", "vice_rector", "registrar", "teacher", "student")}


def signed_in(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    assert web_login(client, username).status_code == 302
    return client


def spread(instance: CourseInstance) -> CourseTimetable:
    """Every lecture of the (small) instance in a period of its own, in a room of its type that suits it: no hard
    violation."""
    slots = iter(instance.slots())
    rows = []
    for course in instance.courses:
        room = next(
            r for r in instance.rooms if course.room_type in (None, r.type) and r.id not in course.unsuitable_rooms
        )
        rows += [(course.id, room.id, *next(slots)) for _ in range(course.lectures)]
    return CourseTimetable.of(rows)


def draft(app: Flask, term: Term) -> int:
    """The term's lessons spread over the week (no solver) and stored as a draft; the version id."""
    with app.app_context():
        session = db.session()
        built = instances.lesson_instance(session, term.period_id)
        assert isinstance(built.instance, CourseInstance)
        timetable = versions.timetable_for(session, term.period_id, "lessons")
        version = versions.add_version(session, timetable, built.instance_json(), built.legend,
                                       spread(built.instance), source="solve", actor="test")  # fmt: skip
        session.commit()
        assert version.hard_violations == 0
        return version.id


def revision(app: Flask, version_id: int) -> int:
    with app.app_context():
        return db.session().get_one(TimetableVersion, version_id).revision


def post(client: FlaskClient, path: str, page: str, **data: Any) -> Any:
    return client.post(path, data={"csrf_token": csrf_token(client, page), **data})


def text(response: Any) -> str:
    return response.get_data(as_text=True)


def test_jobs_page_starts_lists_polls_and_cancels(app: Flask, term: Term, users: dict[str, str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    sent: list[int] = []
    monkeypatch.setattr(runner, "dispatch", lambda job_id, app=None: sent.append(job_id))
    client = signed_in(app, users["scheduler"])
    page = text(client.get("/timetables"))
    assert "Start job" in page and "No jobs yet." in page
    started = post(client, "/timetables/jobs", "/timetables", period=term.period_id, kind="lessons", time_limit="5")
    assert started.status_code == 302
    assert len(sent) == 1
    page = text(client.get("/timetables"))
    assert f"Job {sent[0]} started: lessons of autumn 2025/2026, at most 5 s." in page
    assert f'data-job="{sent[0]}" data-active="1"' in page
    polled = client.get("/timetables/jobs.json").get_json()["jobs"][0]
    assert (polled["id"], polled["status"], polled["active"], polled["version_url"]) == (sent[0], "queued", True, None)
    assert post(client, f"/timetables/jobs/{sent[0]}/cancel", "/timetables").status_code == 302
    assert f"Job {sent[0]} cancelled." in text(client.get("/timetables"))
    assert client.get("/timetables/jobs.json").get_json()["jobs"][0]["status"] == "cancelled"


def test_a_job_the_records_cannot_make_is_refused_on_the_page(app: Flask, term: Term, users: dict[str, str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setattr(runner, "dispatch", lambda job_id, app=None: pytest.fail("no job should start"))
    client = signed_in(app, users["scheduler"])
    spring = term.campus.periods["spring"]["id"]
    post(client, "/timetables/jobs", "/timetables", period=spring, kind="lessons", time_limit="5")
    page = text(client.get("/timetables"))
    assert "No job started: period" in page and "has no sections" in page
    post(client, "/timetables/jobs", "/timetables", period=term.period_id, kind="lessons", time_limit="0")
    assert "time limit must be between 1 and 3600 seconds" in text(client.get("/timetables"))
    with app.app_context():
        assert db.session().query(SolveJob).count() == 0


def test_only_staff_see_jobs_and_only_authors_start_them(app: Flask, term: Term, users: dict[str, str]) -> None:
    assert signed_in(app, users["student"]).get("/timetables").status_code == 403
    assert signed_in(app, users["teacher"]).get("/timetables/jobs.json").status_code == 403
    rector = signed_in(app, users["vice_rector"])
    assert "Start job" not in text(rector.get("/timetables"))
    refused = post(rector, "/timetables/jobs", "/timetables", period=term.period_id, kind="lessons", time_limit="5")
    assert refused.status_code == 302
    assert "needs the role scheduler" in text(rector.get("/timetables"))
    assert app.test_client().get("/timetables").status_code == 302  # anonymous: to the login page


def test_version_grid_by_group_teacher_and_room(app: Flask, term: Term, users: dict[str, str]) -> None:
    version_id = draft(app, term)
    client = signed_in(app, users["scheduler"])
    listing = text(client.get("/timetables"))
    assert f'/timetables/versions/{version_id}">version 1</a>' in listing and "draft" in listing
    page = text(client.get(f"/timetables/versions/{version_id}"))
    assert "Choose a group, a teacher or a room" in page and "Submit for approval" in page
    page = text(client.get(f"/timetables/versions/{version_id}?group={GROUP}"))
    assert f"Lesson timetable autumn 2025/2026: group {GROUP}" in page
    assert page.count('class="lesson"') >= 4 and "conflict</span>" not in page
    for day in ("Monday", "Saturday"):
        assert day in page
    with app.app_context():
        rows = versions.lesson_rows(db.session().get_one(TimetableVersion, version_id))
    room = rows[0].room
    by_room = text(client.get(f"/timetables/versions/{version_id}?room={room}"))
    assert f"room {room}" in by_room and by_room.count('class="lesson"') == sum(r.room == room for r in rows)
    assert client.get(f"/timetables/versions/{version_id}?group=NOPE").status_code == 404
    assert client.get("/timetables/versions/999999").status_code == 404


def test_move_shows_new_hard_violations_and_cost_change(app: Flask, term: Term, users: dict[str, str]) -> None:
    version_id = draft(app, term)
    with app.app_context():
        version = db.session().get_one(TimetableVersion, version_id)
        course, room, day, pair = version.placements[0]
        other = next(r for r in version.placements if r[0] != course)  # the same group: a conflict there
    client = signed_in(app, users["scheduler"])
    path = f"/timetables/versions/{version_id}?group={GROUP}"
    page = text(client.get(path))
    assert f'value="{course}|{day}|{pair}|{room}"' in page
    moved = post(client, f"/timetables/versions/{version_id}/move", path, lesson=f"{course}|{day}|{pair}|{room}",
                 to_day=other[2] + 1, to_pair=other[3] + 1, to_room="", revision=1, group=GROUP)  # fmt: skip
    assert moved.status_code == 302 and moved.headers["Location"].endswith(f"?group={GROUP}")
    page = text(client.get(path))
    assert "Result of the move" in page and "Hard violations 0 →" in page and "New hard violations:" in page
    assert re.search(r"cost \d+ → \d+ \([+-]\d+\)", page)
    assert 'class="lesson conflict"' in page and "conflict</span>" in page
    assert "Result of the move" not in text(client.get(path))  # shown once
    back = f"{course}|{other[2]}|{other[3]}|{room}"
    stale = post(client, f"/timetables/versions/{version_id}/move", path, lesson=back, to_day=day + 1,
                 to_pair=pair + 1, revision=1)  # fmt: skip
    assert stale.status_code == 302
    assert "changed by someone else" in text(client.get(path))
    assert revision(app, version_id) == 2
    refused = post(client, f"/timetables/versions/{version_id}/submit", path, revision=2)
    assert refused.status_code == 302
    assert "hard violations; repair or edit it first" in text(client.get(path))
    assert "Repair (fewest moves)" in text(client.get(path))


def test_workflow_buttons_by_role_and_the_published_timetable(app: Flask, term: Term, users: dict[str, str]) -> None:
    version_id = draft(app, term)
    base = f"/timetables/versions/{version_id}"
    scheduler, rector = signed_in(app, users["scheduler"]), signed_in(app, users["vice_rector"])
    student, teacher = signed_in(app, users["student"]), signed_in(app, users["teacher"])
    assert student.get(base).status_code == 404  # a draft is for staff only
    assert "Approve" not in text(rector.get(base)) and "Submit for approval" not in text(rector.get(base))
    post(scheduler, f"{base}/submit", base, revision=revision(app, version_id))
    assert "Version 1 submitted." in text(scheduler.get(base))
    page = text(rector.get(base))
    assert "Approve" in page and "Return with comment" in page and "Submit for approval" not in page
    post(rector, f"{base}/return", base, revision=revision(app, version_id), comment="  ")
    assert "returning a version needs a comment" in text(rector.get(base))
    post(rector, f"{base}/return", base, revision=revision(app, version_id), comment="No lessons on Saturday, please")
    page = text(rector.get(base))
    assert "Version 1 returned." in page and "No lessons on Saturday, please" in page
    assert post(teacher, f"{base}/submit", "/", revision=revision(app, version_id)).status_code == 403
    post(scheduler, f"{base}/submit", base, revision=revision(app, version_id))
    post(rector, f"{base}/approve", base, revision=revision(app, version_id))
    assert "Publish" in text(rector.get(base))
    post(rector, f"{base}/publish", base, revision=revision(app, version_id))
    assert "Version 1 published." in text(rector.get(base))
    assert "New draft from this version" in text(scheduler.get(base))

    mine = text(student.get("/my-timetable"))
    assert f"My timetable: group {GROUP}" in mine and "Lesson timetable autumn 2025/2026: group" in mine
    assert mine.count('class="lesson"') >= 4
    ics = student.get(f"{base}/export.ics?group={GROUP}")
    assert ics.status_code == 200 and ics.mimetype == "text/calendar"
    events = list(icalendar.Calendar.from_ical(ics.data).walk("VEVENT"))
    assert len(events) == mine.count('class="lesson"')
    assert all(str(e["RRULE"]["UNTIL"][0].date()) == "2025-12-14" for e in events)  # before session week 16
    assert min(e.decoded("DTSTART").date().isoformat() for e in events) >= "2025-09-01"
    mine_teacher = text(teacher.get("/my-timetable"))
    assert "My timetable: " in mine_teacher
    book = load_workbook(io.BytesIO(scheduler.get(f"{base}/export.xlsx?group={GROUP}").data))
    assert book.sheetnames == ["Timetable", "Lessons"] and book["Timetable"]["B2"].value == "Monday"
    pdf = rector.get(f"{base}/export.pdf?group={GROUP}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert 'filename="timetable-lessons-' in pdf.headers["Content-Disposition"]
    assert student.get(f"{base}/export.pdf?group=NOPE").status_code == 404


def test_edit_of_published_makes_a_draft_and_compare_shows_what_moved(app: Flask, term: Term,
                                                                       users: dict[str, str]) -> None:  # fmt: skip
    version_id = draft(app, term)
    base = f"/timetables/versions/{version_id}"
    scheduler, rector = signed_in(app, users["scheduler"]), signed_in(app, users["vice_rector"])
    for client, action in ((scheduler, "submit"), (rector, "approve"), (rector, "publish")):
        post(client, f"{base}/{action}", base, revision=revision(app, version_id))
    with app.app_context():
        course, room, day, pair = db.session().get_one(TimetableVersion, version_id).placements[0]
        taken = {(d, p) for _, _, d, p in db.session().get_one(TimetableVersion, version_id).placements}
    free = next((d, p) for d in range(6) for p in range(6) if (d, p) not in taken)
    moved = post(scheduler, f"{base}/move", f"{base}?group={GROUP}", lesson=f"{course}|{day}|{pair}|{room}",
                 to_day=free[0] + 1, to_pair=free[1] + 1, revision=revision(app, version_id), group=GROUP)  # fmt: skip
    new_id = int(re.search(r"/versions/(\d+)", moved.headers["Location"]).group(1))  # type: ignore[union-attr]
    assert new_id != version_id
    page = text(scheduler.get(f"/timetables/versions/{new_id}?group={GROUP}"))
    assert "version 2" in page and "draft" in page and "the move went into this new draft" in page
    compared = text(scheduler.get(f"/timetables/versions/{new_id}/compare?with={version_id}"))
    assert "1 moved." in compared and "pair" in compared
    same = text(scheduler.get(f"/timetables/versions/{version_id}/compare?with={version_id}"))
    assert "Nothing moved" in same
    student = signed_in(app, users["student"])
    assert student.get(f"/timetables/versions/{new_id}/compare?with={version_id}").status_code == 403


def test_my_timetable_before_anything_is_published(app: Flask, term: Term, users: dict[str, str]) -> None:
    draft(app, term)
    assert "No timetable is published yet." in text(signed_in(app, users["student"]).get("/my-timetable"))
