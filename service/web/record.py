"""The sections of a student's record page, and the extension point for other areas.

A :class:`RecordSection` is a title, a template (rendered with the mapping its ``context`` function
returns) and optionally a role rule narrowing who sees it. The page shows, in order, every registered
section whose rule admits the viewer and whose ``context`` does not return ``None``. For example, the
grades area adds its record book::

    register_record_section(RecordSection("Grades and GPA", "grades/record_book.html", record_book_context))

Built in: "Change history" (the audit log of the student's record; registrar only).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import render_template
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.auth import Actor, RoleRule, allow
from service.models import AuditEntry, Student

SectionContext = Callable[[Session, Student], Mapping[str, Any] | None]


@dataclass(frozen=True)
class RecordSection:
    """One section of the student record page; ``context`` returning ``None`` hides it for that student."""

    title: str
    template: str
    context: SectionContext
    roles: RoleRule | None = None
    """Who sees it, beyond the page's own rule (``None``: everyone who may open the page)."""


RECORD_SECTIONS: list[RecordSection] = []


def register_record_section(section: RecordSection) -> None:
    """Add ``section`` to the student record page (after the existing ones)."""
    RECORD_SECTIONS.append(section)


def render_sections(db: Session, student: Student, actor: Actor) -> list[tuple[str, Markup]]:
    """``(title, html)`` of the sections ``actor`` sees on ``student``'s page."""
    out = []
    for section in RECORD_SECTIONS:
        if section.roles is not None and not section.roles.admits(actor.roles, signed_in=True):
            continue
        context = section.context(db, student)
        if context is not None:
            out.append((section.title, Markup(render_template(section.template, student=student, **context))))
    return out


HISTORY_LIMIT = 50


def change_history(db: Session, student: Student) -> dict[str, Any]:
    entries = db.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity == "students", AuditEntry.entity_id == student.id)
        .order_by(AuditEntry.id.desc())
        .limit(HISTORY_LIMIT)
    ).all()
    return {"entries": entries, "limit": HISTORY_LIMIT}


register_record_section(RecordSection("Change history", "web/sections/history.html", change_history,
                                      allow("registrar")))  # fmt: skip
