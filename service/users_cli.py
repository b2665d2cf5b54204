"""``registrar users ...``: users, roles and API tokens from the command line (bootstrap the first registrar).

- ``users create USERNAME --role registrar [--role ...] [--name "Full Name"] [--teacher CODE] [--student IIN]``
  (the password is asked twice, or read from ``--password-stdin``);
- ``users list``, ``users roles USERNAME [--add R] [--remove R]``, ``users password USERNAME``,
  ``users deactivate|activate USERNAME``;
- ``users token USERNAME --name NAME [--days 90]`` prints a new API token (shown once),
  ``users tokens USERNAME`` lists them, ``users revoke USERNAME TOKEN_ID`` revokes one;
- ``users rules`` prints every endpoint with its role rule.

Every change is committed in one transaction; bad input exits with status 1 and a message naming it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask import Flask
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from service import create_app, db
from service.api.openapi import registered_endpoints
from service.auth import accounts, tokens
from service.auth.roles import ROLES
from service.errors import ApiError, field_errors
from service.models import ApiToken, Student, Teacher, User
from service.schemas.users import UserCreate


@contextmanager
def _session() -> Iterator[Session]:
    """A session on the configured database; ApiError / ValueError become a clean error exit."""
    app: Flask = create_app()
    try:
        with app.app_context():
            session = db.session()
            try:
                yield session
            except ValidationError as exc:
                session.rollback()
                problems = "; ".join(f"{e.field or 'input'}: {e.message}" for e in field_errors(exc))
                raise click.ClickException(problems) from None
            except (ApiError, ValueError) as exc:
                session.rollback()
                raise click.ClickException(str(exc)) from None
    finally:
        db.dispose(app)


def _user(session: Session, username: str) -> User:
    return accounts.find_user(session, username)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@click.group("users")
def users_cli() -> None:
    """Users, roles and API tokens of the records service."""


@users_cli.command("create")
@click.argument("username")
@click.option("--role", "roles", multiple=True, type=click.Choice(list(ROLES)), help="A role (repeat for several).")
@click.option("--name", "full_name", help="Full name (default: the username).")
@click.option("--teacher", "teacher_code", help="Link to the teacher record with this code (teacher, advisor).")
@click.option("--student", "student_iin", help="Link to the student record with this IIN (student).")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
def create_cmd(username: str, roles: tuple[str, ...], full_name: str | None, teacher_code: str | None,
               student_iin: str | None, password_stdin: bool) -> None:  # fmt: skip
    """Create USERNAME with the given roles (asks for the password)."""
    password = _read_password(password_stdin)
    with _session() as session:
        links: dict[str, int] = {}
        if teacher_code is not None:
            teacher = session.scalar(select(Teacher).where(Teacher.code == teacher_code))
            if teacher is None:
                raise click.ClickException(f"no teacher with code {teacher_code!r}")
            links["teacher_id"] = teacher.id
        if student_iin is not None:
            student = session.scalar(select(Student).where(Student.iin == student_iin))
            if student is None:
                raise click.ClickException(f"no student with IIN {student_iin!r}")
            links["student_id"] = student.id
        data = UserCreate(username=username, full_name=full_name or username, password=password,
                          roles=list(roles), **links)  # type: ignore[arg-type]  # fmt: skip
        user = accounts.create_user(session, data)
        session.commit()
        click.echo(f"created user {user.username} (id {user.id}) with roles: {', '.join(user.roles) or 'none'}")


@users_cli.command("list")
def list_cmd() -> None:
    """List users with their roles and links."""
    with _session() as session:
        table = Table("id", "username", "name", "roles", "teacher", "student", "active")
        for user in session.scalars(select(User).order_by(User.id)):
            links = (str(user.teacher_id or ""), str(user.student_id or ""))
            table.add_row(str(user.id), user.username, user.full_name, ", ".join(user.roles), *links,
                          "yes" if user.active else "no")  # fmt: skip
        Console(width=160).print(table)


@users_cli.command("roles")
@click.argument("username")
@click.option("--add", multiple=True, type=click.Choice(list(ROLES)), help="Role to give.")
@click.option("--remove", multiple=True, type=click.Choice(list(ROLES)), help="Role to take away.")
def roles_cmd(username: str, add: tuple[str, ...], remove: tuple[str, ...]) -> None:
    """Show USERNAME's roles, or change them with --add / --remove."""
    with _session() as session:
        user = _user(session, username)
        if add or remove:
            accounts.set_roles(session, user, [r for r in (*user.roles, *add) if r not in remove])
            session.commit()
        click.echo(f"{user.username}: {', '.join(user.roles) or 'no roles'}")


@users_cli.command("password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
def password_cmd(username: str, password_stdin: bool) -> None:
    """Set USERNAME's password (their web sessions end)."""
    password = _read_password(password_stdin)
    with _session() as session:
        accounts.set_password(session, _user(session, username), password)
        session.commit()
        click.echo(f"password of {username} changed")


@users_cli.command("deactivate")
@click.argument("username")
def deactivate_cmd(username: str) -> None:
    """Lock USERNAME out (sessions and tokens stop working); users are never deleted."""
    with _session() as session:
        accounts.set_active(session, _user(session, username), False)
        session.commit()
        click.echo(f"{username} deactivated")


@users_cli.command("activate")
@click.argument("username")
def activate_cmd(username: str) -> None:
    """Let a deactivated USERNAME in again."""
    with _session() as session:
        accounts.set_active(session, _user(session, username), True)
        session.commit()
        click.echo(f"{username} activated")


@users_cli.command("token")
@click.argument("username")
@click.option("--name", required=True, help="What the token is for.")
@click.option("--days", type=click.IntRange(1, tokens.MAX_DAYS), default=tokens.DEFAULT_DAYS, show_default=True,
              help="Days until it expires.")  # fmt: skip
def token_cmd(username: str, name: str, days: int) -> None:
    """Issue an API token for USERNAME and print it (it is shown only this once)."""
    with _session() as session:
        token, secret = tokens.issue(session, _user(session, username), name, days)
        session.commit()
        click.echo(f"token {token.id} of {username}, expires {tokens.aware(token.expires_at):%Y-%m-%d %H:%M} UTC:",
                   err=True)  # fmt: skip
        click.echo(secret)


@users_cli.command("tokens")
@click.argument("username")
def tokens_cmd(username: str) -> None:
    """List USERNAME's API tokens (prefix, expiry, state)."""
    with _session() as session:
        user = _user(session, username)
        table = Table("id", "name", "prefix", "created (UTC)", "expires (UTC)", "state")
        for token in session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)):
            table.add_row(str(token.id), token.name, token.prefix + "...", f"{token.created_at:%Y-%m-%d %H:%M}",
                          f"{token.expires_at:%Y-%m-%d %H:%M}", tokens.state(token))  # fmt: skip
        Console(width=160).print(table)


@users_cli.command("revoke")
@click.argument("username")
@click.argument("token_id", type=int)
def revoke_cmd(username: str, token_id: int) -> None:
    """Revoke USERNAME's API token TOKEN_ID."""
    with _session() as session:
        user = _user(session, username)
        token = session.get(ApiToken, token_id)
        if token is None or token.user_id != user.id:
            raise click.ClickException(f"{username} has no API token with id {token_id}")
        tokens.revoke(session, token)
        session.commit()
        click.echo(f"token {token_id} of {username} revoked")


@users_cli.command("rules")
def rules_cmd() -> None:
    """Print every API endpoint with the roles that may call it."""
    app = create_app({"DATABASE_URL": "sqlite://"})
    table = Table("method", "path", "operation", "access")
    for rule, name, spec in registered_endpoints(app):
        table.add_row(spec.method, rule, name, spec.roles.describe() if spec.roles else "NO RULE")
    db.dispose(app)
    Console(width=200).print(table)
