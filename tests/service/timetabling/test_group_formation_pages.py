"""The group formation page through the Flask test client, on both databases: a ``groups`` job started from the
jobs page runs in the in-process runner, its row links to the formation, whose page shows the scores and the
sections per discipline with the downloads; role rules and unknown ids."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from service_testing import csrf_token, make_user, web_login
from sqlalchemy import select
from timetable_testing import Term, wait_for

from service import db
from service.models import SolveJob
from service.schemas.common import INT_MAX
from service.timetabling import runner

ROLES = ("scheduler", "exam_coordinator", "vice_rector", "registrar", "teacher", "student")


@pytest.fixture
def users(app: Flask, term: Term, password_hash: str) -> dict[str, str]:
    """Users signing in on the web, one per role (the student is the term's first, the teacher the advisor)."""
    links: dict[str, dict[str, Any]] = {"student": {"student_id": term.campus.students[0]["id"]},
                                        "teacher": {"teacher_id": term.campus.advisor["id"]}}  # fmt: skip
    for role in ROLES:
        make_user(app, role.replace("_", "-"), [role], password_hash, **links.get(role, {}))
    return {role: role.replace("_", "-") for role in ROLES}


def signed_in(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    assert web_login(client, username).status_code == 302
    return client


def text(response: Any) -> str:
    return response.get_data(as_text=True)


def finished_job(app: Flask) -> SolveJob:
    def ended() -> SolveJob | None:
        with app.app_context():
            job = db.session().scalars(select(SolveJob).order_by(SolveJob.id.desc()).limit(1)).first()
            return job if job is not None and job.status not in ("queued", "running") else None

    return wait_for(ended)  # type: ignore[no-any-return]


def test_a_groups_job_from_the_jobs_page_links_to_its_formation(app: Flask, term: Term,
                                                                users: dict[str, str]) -> None:  # fmt: skip
    client = signed_in(app, users["scheduler"])
    assert '<option value="groups">group formation</option>' in text(client.get("/timetables"))
    started = client.post(
        "/timetables/jobs",
        data={
            "csrf_token": csrf_token(client, "/timetables"),
            "period": term.period_id,
            "kind": "groups",
            "time_limit": "2",
        },
    )
    assert started.status_code == 302
    job = finished_job(app)
    assert (job.kind, job.status, job.timetable_id) == ("groups", "finished", None), job.error
    listing = text(client.get("/timetables"))
    assert f"Job {job.id} started: groups of autumn 2025/2026, at most 2 s." in listing
    assert f'<a href="/timetables/formations/{job.formation_id}">formation {job.formation_id}</a>' in listing
    polled = client.get("/timetables/jobs.json").get_json()["jobs"][0]
    assert polled["result_url"] == f"/timetables/formations/{job.formation_id}" and polled["version_url"] is None

    page = text(client.get(f"/timetables/formations/{job.formation_id}"))
    assert f"Group formation {job.formation_id}: autumn 2025/2026" in page
    assert re.search(r'<dd id="hard-violations">0</dd>', page)
    assert "lower bound 8, 0 above it" in page and "Imbalance" in page and "Strays" in page
    for code in ("ELA", "HIST", "MATH", "PRG"):
        assert f'aria-label="Sections of {code}"' in page
    for name in ("sections.csv", "assignments.csv", "sections.xlsx"):
        link = f"/api/group-formations/{job.formation_id}/{name}"
        assert f'href="{link}"' in page and client.get(link).status_code == 200


def test_groups_refused_on_the_page(app: Flask, term: Term, users: dict[str, str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setattr(runner, "dispatch", lambda job_id, app=None: pytest.fail("no job should start"))
    client = signed_in(app, users["scheduler"])
    spring = term.campus.periods["spring"]["id"]
    client.post("/timetables/jobs", data={"csrf_token": csrf_token(client, "/timetables"), "period": spring,
                                          "kind": "groups", "time_limit": "2"})  # fmt: skip
    assert f"No job started: period {spring} has no submitted or confirmed registrations" in text(
        client.get("/timetables"))  # fmt: skip
    coordinator = signed_in(app, users["exam_coordinator"])
    assert '<option value="groups">' not in text(coordinator.get("/timetables"))
    coordinator.post(
        "/timetables/jobs",
        data={
            "csrf_token": csrf_token(coordinator, "/timetables"),
            "period": term.period_id,
            "kind": "groups",
            "time_limit": "2",
        },
    )
    assert "solve of a group formation needs the role scheduler" in text(coordinator.get("/timetables"))
    with app.app_context():
        assert db.session().query(SolveJob).count() == 0


def test_the_formation_page_for_staff_only_and_unknown_ids(app: Flask, term: Term, users: dict[str, str]) -> None:
    scheduler = signed_in(app, users["scheduler"])
    scheduler.post(
        "/timetables/jobs",
        data={
            "csrf_token": csrf_token(scheduler, "/timetables"),
            "period": term.period_id,
            "kind": "groups",
            "time_limit": "2",
        },
    )
    job = finished_job(app)
    page = f"/timetables/formations/{job.formation_id}"
    for role in ("exam_coordinator", "vice_rector", "registrar"):
        assert signed_in(app, users[role]).get(page).status_code == 200
    for role in ("teacher", "student"):
        assert signed_in(app, users[role]).get(page).status_code == 403
    assert app.test_client().get(page).status_code == 302  # anonymous: to the login page
    for missing in (job.formation_id + 1, 0, INT_MAX + 1):
        assert scheduler.get(f"/timetables/formations/{missing}").status_code == 404
