"""Roles and role rules: who may call an endpoint.

Every endpoint declares a :class:`RoleRule` where it is declared (``endpoint(..., roles=...)``, a
:class:`~service.records.crud.Resource`'s ``read``/``write``, ``page(..., roles=...)`` for the web).
A rule is one of:

- :data:`PUBLIC`: anyone, signed in or not (the OpenAPI document, the login page);
- :data:`SIGNED_IN`: any signed-in user, whatever their roles (their own profile and tokens);
- :func:`allow` ``("registrar", ...)``: a signed-in user holding at least one of the roles. Such a rule
  may also name *scoped* roles (``.scoped(student="own record")``): a caller with only scoped roles
  passes the gate, and the view then limits them to the rows they relate to with the helpers of
  :mod:`service.auth.scopes` (a student to their own record, an advisor to their groups' students).

Anonymous callers of a non-public endpoint get 401; a signed-in caller without a fitting role 403
naming the roles that would do.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

Role = Literal[
    "registrar", "vice_rector", "exam_coordinator", "scheduler", "teacher", "advisor", "student", "archivist"
]
ROLES: dict[str, str] = {
    "registrar": "Office of the Registrar: keeps every record (the only role that changes them)",
    "vice_rector": "vice-rector for academic work: reads every record, approves timetables",
    "exam_coordinator": "organises examination sessions: reads the records",
    "scheduler": "builds timetables: reads reference data, maintains rooms",
    "teacher": "teaches sections: reads reference data and the students they teach",
    "advisor": "advises academic groups: reads reference data and their groups' students",
    "student": "reads reference data and their own record",
    "archivist": "prepares personal files for the archive: reads the records",
}
"""Every role and what it is for (the order is the one used in listings)."""


def check_role(name: str) -> str:
    """``name`` if it is a role; ``ValueError`` naming the known roles otherwise."""
    if name not in ROLES:
        raise ValueError(f"unknown role {name!r}; roles: {', '.join(ROLES)}")
    return name


@dataclass(frozen=True)
class RoleRule:
    """Who may call an endpoint: see the module doc. ``scopes`` maps a scoped role to the rows it may reach."""

    roles: frozenset[str] = frozenset()
    scopes: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    public: bool = False
    signed_in: bool = False

    def __post_init__(self) -> None:
        for role in (*self.roles, *self.scopes):
            check_role(role)
        if self.roles & set(self.scopes):
            raise ValueError(f"roles both full and scoped: {sorted(self.roles & set(self.scopes))}")
        if (self.public or self.signed_in) and (self.roles or self.scopes):
            raise ValueError("a public or signed-in rule names no roles")

    def scoped(self, **scopes: str) -> RoleRule:
        """This rule plus roles limited to some rows (``student="own record"``)."""
        return RoleRule(self.roles, MappingProxyType(dict(self.scopes) | scopes))

    @property
    def admitted(self) -> frozenset[str]:
        """Roles that pass the gate (full and scoped)."""
        return self.roles | frozenset(self.scopes)

    def admits(self, roles: Iterable[str], signed_in: bool) -> bool:
        """Whether a caller with ``roles`` passes the gate."""
        if self.public:
            return True
        if not signed_in:
            return False
        return self.signed_in or bool(self.admitted & set(roles))

    def full(self, roles: Iterable[str]) -> bool:
        """Whether a caller with ``roles`` reaches every row (holds a full, not only a scoped, role)."""
        return self.public or self.signed_in or bool(self.roles & set(roles))

    def describe(self) -> str:
        """The rule in words, for the OpenAPI document and ``registrar users rules``."""
        if self.public:
            return "public (no sign-in needed)"
        if self.signed_in:
            return "any signed-in user"
        text = "roles: " + ", ".join(r for r in ROLES if r in self.roles)
        if self.scopes:
            text += "; limited: " + "; ".join(f"{r} ({what})" for r, what in self.scopes.items())
        return text


PUBLIC = RoleRule(public=True)
SIGNED_IN = RoleRule(signed_in=True)


def allow(*roles: str) -> RoleRule:
    """A rule admitting callers with any of ``roles`` to every row."""
    return RoleRule(frozenset(roles))


EVERY_ROLE = allow(*ROLES)
"""Any user holding any role: reference data (faculties, programmes, plans, calendar, rooms, teachers, groups)."""
REGISTRAR = allow("registrar")
"""Changes to records."""
RECORD_READERS = ("registrar", "vice_rector", "exam_coordinator", "archivist")
"""Roles that read every student's record."""
