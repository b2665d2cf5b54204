"""Command line of the records service, mounted on ``registrar`` (:mod:`registrar.cli`).

- ``registrar db upgrade [REVISION]`` / ``downgrade REVISION`` / ``current`` / ``revision -m MESSAGE``:
  Alembic migrations against the configured database (``REGISTRAR_DATABASE_URL``, default the
  SQLite file in the instance folder);
- ``registrar demo-data [--size small|medium|large] [--seed N]``: migrate, then fill an EMPTY
  database with a generated university and one demo user per role (password
  :data:`service.demo.DEMO_PASSWORD`; refuses a database that already holds records);
- ``registrar service run [--host --port --debug]``: the development server (use a WSGI server such
  as gunicorn with ``service:create_app()`` in production).
"""

from __future__ import annotations

import click
from flask import Flask

from service import create_app, db, migrate
from service.demo import fill, is_empty


def _app() -> Flask:
    """The app from the environment; a bad configuration value is a clear error (exit 1), not a traceback."""
    try:
        return create_app()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None


def _database_url() -> str:
    """The configured database URL (environment or the instance folder's SQLite file)."""
    app = _app()
    db.dispose(app)
    return str(app.config["DATABASE_URL"])


def _url_for_humans(url: str) -> str:
    """The URL with any password hidden."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@click.group("db")
def db_cli() -> None:
    """Database migrations (Alembic) of the records service."""


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the database up to REVISION (default: the newest)."""
    url = _database_url()
    migrate.upgrade(url, revision)
    click.echo(f"{_url_for_humans(url)} is at revision {migrate.current(url)}")


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Migrate the database down to REVISION; base drops every table (all records are lost)."""
    url = _database_url()
    migrate.downgrade(url, revision)
    click.echo(f"{_url_for_humans(url)} is at revision {migrate.current(url) or 'base'}")


@db_cli.command("current")
def db_current() -> None:
    """Print the database's revision and the newest one."""
    url = _database_url()
    click.echo(f"database: {_url_for_humans(url)}")
    click.echo(f"current:  {migrate.current(url) or 'none (not migrated)'}")
    click.echo(f"newest:   {migrate.head()}")


@db_cli.command("revision")
@click.option("-m", "--message", required=True, help="What the migration does.")
@click.option("--empty", is_flag=True, help="An empty script instead of the models' difference from the database.")
def db_revision(message: str, empty: bool) -> None:
    """Write a migration script (into service/migrations/versions); review it before committing."""
    migrate.revision(_database_url(), message, autogenerate=not empty)


@click.command("demo-data")
@click.option("--size", type=click.Choice(["small", "medium", "large"]), default="small", show_default=True,
              help="Size of the generated university.")  # fmt: skip
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the generator.")
def demo_data_cli(size: str, seed: int) -> None:
    """Migrate, then fill an empty database with a generated university (faculties to students)."""
    app = _app()
    url = app.config["DATABASE_URL"]
    migrate.upgrade(url)
    try:
        with app.app_context():
            session = db.session()
            if not is_empty(session):
                raise click.ClickException(
                    f"{_url_for_humans(url)} already holds records; demo data go only into an empty database"
                )
            counts = fill(session, size, seed)
    finally:
        db.dispose(app)
    click.echo(f"{_url_for_humans(url)}: " + ", ".join(f"{n} {table}" for table, n in counts.items()))


@click.group("service")
def service_cli() -> None:
    """The records service (a Flask app with a JSON API under /api)."""


@service_cli.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=5000, show_default=True)
@click.option("--debug", is_flag=True, help="Reload on code changes and show the debugger (never in production).")
def service_run(host: str, port: int, debug: bool) -> None:
    """Start the development server (sign in at /login; API tokens: `registrar users token`)."""
    app = _app()
    url = app.config["DATABASE_URL"]
    revision = migrate.current(url)
    if revision != migrate.head():
        click.echo(
            f"warning: {_url_for_humans(url)} is at revision {revision or 'none'}, not {migrate.head()}: "
            "run `registrar db upgrade`",
            err=True,
        )
    click.echo(f"database {_url_for_humans(url)}; API at http://{host}:{port}/api (document: /api/openapi.json)")
    app.run(host=host, port=port, debug=debug)
