"""The web pages through the Flask test client, on both databases: login and logout with CSRF, redirects for
anonymous visitors, the same role and row rules as the API, role-appropriate navigation, error pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from service_testing import PASSWORD, Api, csrf_token, make_user, web_login

from models.iin import make_iin
from service import db
from service.auth import accounts
from service.models import User

Org = dict[str, dict[str, Any]]


@pytest.fixture
def people(
    app: Flask, api: Api, org: Org, student_body: Callable[..., dict[str, Any]], password_hash: str
) -> dict[str, Any]:
    """Two students of the advised group, a student user for the first, an advisor and a registrar user."""
    first = api.create("/students", **student_body(1, last_name="Nurlanov"))
    second = api.create("/students", **student_body(2, iin=make_iin(dt.date(2007, 3, 12), "male", 2),
                                                    last_name="Omarov", first_name="Dias"))  # fmt: skip
    make_user(app, "arman", ["student"], password_hash, student_id=first["id"])
    make_user(app, "abenov", ["advisor"], password_hash, teacher_id=org["teacher"]["id"])
    make_user(app, "aliya", ["registrar"], password_hash)
    make_user(app, "planner", ["scheduler"], password_hash)
    return {"first": first, "second": second}


def test_anonymous_visitors_are_sent_to_login(anonymous: FlaskClient) -> None:
    for path in ("/", "/students", "/students/1"):
        response = anonymous.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")
    login = anonymous.get("/login?next=/students")
    assert login.status_code == 200 and 'value="/students"' in login.get_data(as_text=True)


def test_login_logout_cycle(app: Flask, anonymous: FlaskClient, people: dict[str, Any]) -> None:
    response = web_login(anonymous, "aliya", next="/students?q=nurl")
    assert response.status_code == 302 and response.headers["Location"] == "/students?q=nurl"
    page = anonymous.get("/students?q=nurl").get_data(as_text=True)
    assert "Nurlanov" in page and "Omarov" not in page and "1 student found" in page
    assert anonymous.get("/api/me").json["username"] == "aliya"  # the session also signs API calls
    token = csrf_token(anonymous, "/")
    response = anonymous.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert anonymous.get("/students").status_code == 302
    assert anonymous.get("/api/me").status_code == 401


def test_failed_logins(anonymous: FlaskClient, people: dict[str, Any], app: Flask) -> None:
    response = web_login(anonymous, "aliya", password="not the password")
    assert response.status_code == 401 and "wrong username or password" in response.get_data(as_text=True)
    response = web_login(anonymous, "nobody")
    assert response.status_code == 401 and "wrong username or password" in response.get_data(as_text=True)
    response = anonymous.post("/login", data={"username": "aliya", "password": PASSWORD})
    assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True)
    assert response.content_type.startswith("text/html")
    with app.app_context():
        session = db.session()
        accounts.set_active(session, accounts.find_user(session, "planner"), False)
        session.commit()
    response = web_login(anonymous, "planner")
    assert response.status_code == 403 and "deactivated" in response.get_data(as_text=True)


def test_no_open_redirect(anonymous: FlaskClient, people: dict[str, Any]) -> None:
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        response = web_login(FlaskClient(anonymous.application), "aliya", next=target)
        assert response.headers["Location"] == "/", target


def test_student_sees_only_their_own_page(anonymous: FlaskClient, people: dict[str, Any]) -> None:
    web_login(anonymous, "arman")
    own = anonymous.get(f"/students/{people['first']['id']}")
    assert own.status_code == 200
    page = own.get_data(as_text=True)
    assert "Nurlanov" in page and people["first"]["iin"] in page and "CS-25-1k" in page and "Abenov" in page
    assert "Change history" not in page  # registrar only
    other = anonymous.get(f"/students/{people['second']['id']}")
    assert other.status_code == 403 and "may not see student" in other.get_data(as_text=True)
    listing = anonymous.get("/students").get_data(as_text=True)
    assert "Nurlanov" in listing and "Omarov" not in listing
    home = anonymous.get("/").get_data(as_text=True)
    assert "My record" in home and ">Students<" not in home
    assert anonymous.get("/students/999999").status_code == 404


def test_advisor_and_registrar_pages(anonymous: FlaskClient, app: Flask, people: dict[str, Any]) -> None:
    advisor = FlaskClient(app)
    web_login(advisor, "abenov")
    listing = advisor.get("/students").get_data(as_text=True)
    assert "Nurlanov" in listing and "Omarov" in listing
    assert "My record" not in advisor.get("/").get_data(as_text=True)
    web_login(anonymous, "aliya")
    page = anonymous.get(f"/students/{people['first']['id']}").get_data(as_text=True)
    assert "Change history" in page and "registrar-test" in page  # who created the record through the API
    assert "Students" in anonymous.get("/").get_data(as_text=True)


def test_refused_role_gets_a_403_page(anonymous: FlaskClient, people: dict[str, Any]) -> None:
    web_login(anonymous, "planner")
    response = anonymous.get("/students")
    assert response.status_code == 403 and response.content_type.startswith("text/html")
    assert "this needs the role" in response.get_data(as_text=True)
    assert "Students" not in anonymous.get("/").get_data(as_text=True)


def test_session_ends_when_password_changes_or_user_is_deactivated(
    anonymous: FlaskClient, app: Flask, people: dict[str, Any]
) -> None:
    web_login(anonymous, "aliya")
    assert anonymous.get("/").status_code == 200
    with app.app_context():
        session = db.session()
        accounts.set_password(session, accounts.find_user(session, "aliya"), "a brand new password")
        session.commit()
    assert anonymous.get("/").status_code == 302
    web_login(anonymous, "aliya", password="a brand new password")
    assert anonymous.get("/").status_code == 200
    with app.app_context():
        session = db.session()
        user = session.get(User, accounts.find_user(session, "aliya").id)
        assert user is not None
        accounts.set_active(session, user, False)
        session.commit()
    assert anonymous.get("/").status_code == 302


def test_cookie_api_writes_need_the_csrf_header(anonymous: FlaskClient, people: dict[str, Any]) -> None:
    web_login(anonymous, "aliya")
    response = anonymous.post("/api/me/tokens", json={"name": "from the browser"})
    assert response.status_code == 400 and response.is_json
    assert "CSRF" in response.json["errors"][0]["message"]
    token = csrf_token(anonymous, "/")
    response = anonymous.post("/api/me/tokens", json={"name": "from the browser"}, headers={"X-CSRFToken": token})
    assert response.status_code == 201


def test_error_pages_are_html_outside_the_api(anonymous: FlaskClient, client: FlaskClient) -> None:
    response = anonymous.get("/no-such-page")
    assert response.status_code == 404 and response.content_type.startswith("text/html")
    assert client.get("/api/no-such-thing").is_json
    with anonymous.get("/static/web/style.css") as css:
        assert css.status_code == 200 and b"--accent" in css.data
    assert anonymous.get("/logout").status_code == 405
