"""Authentication and role rules of the records service.

- :mod:`service.auth.roles`: the eight roles and :class:`RoleRule` (declared on every endpoint);
- :mod:`service.auth.identity`: :func:`current_user` (bearer token or web session) and :func:`authorize`,
  which every API view calls through :func:`service.api.routing.endpoint` and every page through
  :func:`service.web.pages.page`: 401 for anonymous callers, 403 naming the missing role;
- :mod:`service.auth.scopes`: row-level helpers (a student sees only their own record, an advisor their
  groups' students) for other areas to call;
- :mod:`service.auth.tokens`: API tokens (only a hash stored; expiry; revocation);
- :mod:`service.auth.accounts`: users, passwords (werkzeug hashes) and roles;
- :mod:`service.auth.csrf`: CSRF protection of cookie-authenticated writes (Flask-WTF).
"""

from service.auth.identity import Actor, authorize, current_rule, current_user, require_actor
from service.auth.roles import EVERY_ROLE, PUBLIC, REGISTRAR, ROLES, SIGNED_IN, RoleRule, allow
from service.auth.scopes import (
    has_full_access,
    register_student_scope,
    require_self_or_role,
    require_student,
    student_filter,
)

__all__ = [
    "EVERY_ROLE",
    "PUBLIC",
    "REGISTRAR",
    "ROLES",
    "SIGNED_IN",
    "Actor",
    "RoleRule",
    "allow",
    "authorize",
    "current_rule",
    "current_user",
    "has_full_access",
    "register_student_scope",
    "require_actor",
    "require_self_or_role",
    "require_student",
    "student_filter",
]
