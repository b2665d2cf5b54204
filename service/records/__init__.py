"""The records API: one blueprint per area, each mounted under ``/api`` (see :mod:`service.records.crud`).

| area | resources |
|---|---|
| organisation | ``/faculties``, ``/departments`` |
| programmes | ``/programmes``, ``/study-plans``, ``/plan-disciplines`` |
| calendar | ``/academic-years``, ``/periods`` |
| rooms | ``/rooms`` |
| teachers | ``/teachers`` |
| groups | ``/groups``, ``/streams`` |
| students | ``/students`` (no delete: a student leaves by a change of status) |
| orders | ``/orders``, ``/students/{id}/history``, ``/students/{id}/state`` (movement orders, status history) |
| applications | ``/applications`` and their review and documents |
| contingent | ``/contingent``, ``/contingent/students``, ``/contingent/policy``, ``/reports/...`` |
| account | ``/me``, ``/me/tokens`` (the caller's own API tokens), ``/users`` (registrar) |
| audit | ``/audit``: the audit log, read only (registrar) |
| personal_files | ``/personal-file-documents``, ``/students/<id>/personal-file``, ``/personal-files/incomplete``, |
| | ``/students/<id>/personal-data-changes`` |
| archive | ``/archive/...``: nomenclature, files, inventories, loans, storage readings, acts |
| settings | ``/grading-policy``, ``/credit-limits`` (versioned) |
| registration | ``/registrations`` and their disciplines, submit / confirm / return |
| sections | ``/sections``, ``/sections/build``, grade sheets, marks, reopenings |
| documents | ``/documents`` (issue, register, PDF, revoke), ``/verify`` (public) |
| graduation | ``/graduation/graduates``, ``/graduation/ranking``, ``/graduation/statistics`` (and ``.png``) |
| standing | ``/students/{id}/record-book``, ``/rankings``, ``/transfer-list`` |
| monitoring | ``/monitoring/overdue-sheets``, ``/monitoring/not-admitted`` |
| timetables | ``/timetable-jobs`` (solve, progress, cancel), ``/timetable-versions`` (approval workflow, moves, |
| | repair, comparison), ``/timetables/published`` |
| formations | ``/group-formations/{id}`` (sections formed by a ``groups`` job) and its CSV / Excel files |

Every endpoint declares its role rule (:mod:`service.auth.roles`).
"""

from __future__ import annotations

from flask import Blueprint

from service.records import (
    account,
    applications,
    archive,
    audit_log,
    calendar,
    contingent,
    documents,
    formations,
    graduation,
    groups,
    monitoring,
    orders,
    organisation,
    personal_files,
    programmes,
    registration,
    rooms,
    sections,
    settings,
    standing,
    students,
    teachers,
    timetables,
)

BLUEPRINTS: tuple[Blueprint, ...] = (
    organisation.bp,
    programmes.bp,
    calendar.bp,
    rooms.bp,
    teachers.bp,
    groups.bp,
    students.bp,
    account.bp,
    audit_log.bp,
    orders.bp,
    applications.bp,
    contingent.bp,
    personal_files.bp,
    archive.bp,
    settings.bp,
    registration.bp,
    sections.bp,
    documents.bp,
    graduation.bp,
    standing.bp,
    monitoring.bp,
    timetables.bp,
    formations.bp,
)
