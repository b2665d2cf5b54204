"""Who is making the request: the single place where authentication and role rules will go.

AUTHENTICATION IS NOT IMPLEMENTED YET. Every request acts as :data:`UNAUTHENTICATED_REGISTRAR`, an
anonymous caller with the registrar role, so anyone who can reach the service can read and change
every record. Run it only on a trusted machine until the next step lands: users and roles
(registrar, vice-rector, exam coordinator, scheduler, teacher, advisor, student, archivist), session
login and API tokens, and a role rule per endpoint checked in :func:`authorize`, which every API
view already calls (:func:`service.api.routing.endpoint`).
"""

from __future__ import annotations

from dataclasses import dataclass

Role = str


@dataclass(frozen=True)
class Actor:
    """The caller of a request: a name, roles, and whether the identity was proven."""

    name: str
    roles: frozenset[Role]
    authenticated: bool


UNAUTHENTICATED_REGISTRAR = Actor(name="anonymous", roles=frozenset({"registrar"}), authenticated=False)


def current_user() -> Actor:
    """The caller of the current request; for now always :data:`UNAUTHENTICATED_REGISTRAR` (see module doc)."""
    return UNAUTHENTICATED_REGISTRAR


def authorize(operation_id: str) -> Actor:
    """Check that the caller may run the operation; returns the caller.

    No rule exists yet, so every operation is allowed. The next step raises
    :class:`service.errors.Forbidden` here (403) by the operation's role rule.
    """
    return current_user()
