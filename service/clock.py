"""Today's date and the current time as the records see them.

Deadlines (add/drop, grade entry) are compared with :func:`today`: the server's local date, unless
the app's config sets ``TODAY`` (a ``datetime.date`` or an ISO date string), which tests and
demonstrations use to look at the records as of another day. Timestamps (:func:`now`) are UTC
without a time zone, the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app, has_app_context


def today() -> dt.date:
    """The date deadlines are compared with (``app.config["TODAY"]`` if set, else the local date)."""
    if has_app_context():
        configured = current_app.config.get("TODAY")
        if isinstance(configured, dt.date):
            return configured
        if configured:
            return dt.date.fromisoformat(str(configured))
    return dt.date.today()


def now() -> dt.datetime:
    """The current UTC time, naive (as stored)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
