"""``registrar users``: bootstrap a registrar, roles, passwords, tokens that work against the API, clear errors."""

from __future__ import annotations

from click.testing import CliRunner, Result

from registrar.cli import main
from service import create_app, db, migrate


def run(url: str, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, ["users", *args], env={"REGISTRAR_DATABASE_URL": url}, input=stdin)


def test_bootstrap_a_registrar_and_use_the_token(empty_database_url: str) -> None:
    url = empty_database_url
    migrate.upgrade(url)
    result = run(url, "create", "boss", "--role", "registrar", "--name", "Head of Office", "--password-stdin",
                 stdin="a long password\n")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "created user boss (id 1) with roles: registrar" in result.output
    result = run(url, "token", "boss", "--name", "setup", "--days", "2")
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip().splitlines()[-1]
    assert secret.startswith("rgt_")
    app = create_app({"DATABASE_URL": url})
    try:
        client = app.test_client()
        response = client.post("/api/faculties", json={"code": "FIT", "name_en": "IT"},
                               headers={"Authorization": f"Bearer {secret}"})  # fmt: skip
        assert response.status_code == 201, response.json
        assert "active" in run(url, "tokens", "boss").output
        assert run(url, "revoke", "boss", "1").exit_code == 0
        assert "revoked" in run(url, "tokens", "boss").output
        assert client.get("/api/faculties", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    finally:
        db.dispose(app)
    result = run(url, "roles", "boss", "--add", "archivist")
    assert result.exit_code == 0 and "boss: archivist, registrar" in result.output
    assert "boss" in run(url, "list").output
    assert run(url, "password", "boss", "--password-stdin", stdin="another password\n").exit_code == 0
    assert run(url, "deactivate", "boss").exit_code == 0
    assert "| no" in run(url, "list").output.replace("│", "|")


def test_bad_input_exits_1_with_a_message(empty_database_url: str) -> None:
    url = empty_database_url
    migrate.upgrade(url)
    result = run(url, "create", "x", "--password-stdin", stdin="short\n")
    assert result.exit_code == 1
    assert "username: String should have at least 3 characters" in result.output
    assert "password: String should have at least 8 characters" in result.output
    result = run(url, "create", "stud", "--role", "student", "--password-stdin", stdin="long enough\n")
    assert result.exit_code == 1 and "student role needs student_id" in result.output
    result = run(url, "create", "teach", "--role", "teacher", "--teacher", "Nobody", "--password-stdin",
                 stdin="long enough\n")  # fmt: skip
    assert result.exit_code == 1 and "no teacher with code 'Nobody'" in result.output
    assert run(url, "token", "ghost", "--name", "x").exit_code == 1
    assert "no user 'ghost'" in run(url, "roles", "ghost").output
    assert run(url, "create", "y", "--role", "dean").exit_code == 2
    assert run(url, "revoke", "ghost", "1").exit_code == 1


def test_rules_lists_every_endpoint() -> None:
    result = CliRunner().invoke(main, ["users", "rules"])
    assert result.exit_code == 0
    assert "students.list_students" in result.output and "NO RULE" not in result.output
