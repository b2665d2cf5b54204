"""The application factory, configuration and error handlers."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service import create_app, db
from service.config import from_environment


def test_config_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'env.sqlite3'}"
    monkeypatch.setenv("REGISTRAR_DATABASE_URL", url)
    monkeypatch.setenv("REGISTRAR_SECRET_KEY", "from-env")
    app = create_app()
    assert app.config["DATABASE_URL"] == url
    assert app.config["SECRET_KEY"] == "from-env"
    assert str(db.engine(app).url) == url
    db.dispose(app)


def test_config_argument_overrides_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("REGISTRAR_DATABASE_URL", "sqlite:///ignored.sqlite3")
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'arg.sqlite3'}", "SECRET_KEY": "arg"})
    assert app.config["DATABASE_URL"].endswith("arg.sqlite3")
    assert app.config["SECRET_KEY"] == "arg"
    db.dispose(app)


def test_defaults_sqlite_in_instance_folder_and_random_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("REGISTRAR_DATABASE_URL", "REGISTRAR_SECRET_KEY"):
        monkeypatch.delenv(key, raising=False)
    first, second = create_app(), create_app()
    assert first.config["DATABASE_URL"] == f"sqlite:///{Path(first.instance_path) / 'registrar.sqlite3'}"
    assert Path(first.instance_path).is_dir()
    assert len(first.config["SECRET_KEY"]) >= 32
    assert first.config["SECRET_KEY"] != second.config["SECRET_KEY"]
    for app in (first, second):
        db.dispose(app)


def test_empty_environment_values_are_ignored() -> None:
    assert from_environment({"REGISTRAR_DATABASE_URL": "", "REGISTRAR_SECRET_KEY": "k", "OTHER": "x"}) == {
        "SECRET_KEY": "k"
    }


def test_unknown_route_and_method_answer_json(app: Flask) -> None:
    client = app.test_client()
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response.json["errors"][0]["field"] is None
    response = client.put("/api/faculties")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"] and "errors" in response.json


@pytest.mark.parametrize(
    "path",
    [
        "/api/timetable-versions/2862319466389324155976821687275487232/compare/600",
        "/api/timetable-versions/1/compare/99999999999",
        "/api/timetable-jobs/99999999999",
        "/timetables/versions/99999999999",
    ],
)
def test_timetable_ids_beyond_the_id_columns_are_404_not_500(client: FlaskClient, path: str) -> None:
    """An id larger than the integer columns hold is no record (the fuzz found a 500 from the driver)."""
    assert client.get(path).status_code == 404


def test_bug_answers_500_json_and_is_logged(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    @app.get("/api/broken")
    def broken() -> str:
        raise RuntimeError("a bug")

    response = app.test_client().get("/api/broken")
    assert response.status_code == 500
    assert "a bug" not in response.get_data(as_text=True)
    assert response.json["errors"][0]["message"].startswith("internal error")
    assert "a bug" in caplog.text


def test_session_is_per_request_and_closed(app: Flask) -> None:
    with app.app_context():
        first = db.session()
        assert db.session() is first
    with app.app_context():
        assert db.session() is not first


def test_secure_cookie_flag_from_environment() -> None:
    assert from_environment({"REGISTRAR_SESSION_COOKIE_SECURE": "TRUE"}) == {"SESSION_COOKIE_SECURE": True}
    assert from_environment({"REGISTRAR_SESSION_COOKIE_SECURE": "0"}) == {"SESSION_COOKIE_SECURE": False}
