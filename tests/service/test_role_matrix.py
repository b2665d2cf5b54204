"""The role-rule matrix: every route of the app (API and web pages) has a declared rule equal to the policy
written here, and the app enforces it: each role (and an anonymous caller, and a user with no role)
calls every endpoint and is let through exactly when the policy says so. Refused means 401 (API) or a
redirect to the login page (web) for an anonymous caller, 403 for a signed-in one.

A new endpoint makes this test fail until its rule is added to :data:`POLICY` below.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from service_testing import Api

from service.auth import ROLES, RoleRule

Org = dict[str, dict[str, Any]]
Body = Callable[..., dict[str, Any]]
EVERY = frozenset(ROLES)
REGISTRAR = frozenset({"registrar"})
READERS = frozenset({"registrar", "vice_rector", "exam_coordinator", "archivist"})
REFERENCE = ("faculties", "departments", "programmes", "study_plans", "plan_disciplines", "academic_years", "periods",
             "teachers", "groups", "streams")  # fmt: skip
SIGNED_IN = "any signed-in user"
PUBLIC = "public"


def _policy() -> dict[str, frozenset[str] | str]:
    """Endpoint name -> the roles admitted (full or scoped), or PUBLIC / SIGNED_IN."""
    policy: dict[str, frozenset[str] | str] = {}
    for name in REFERENCE:
        area = next(a for a, names in AREAS.items() if name in names)
        policy |= {f"{area}.list_{name}": EVERY, f"{area}.get_{name}": EVERY}
        policy |= {f"{area}.{op}_{name}": REGISTRAR for op in ("create", "update", "delete")}
    policy |= {"rooms.list_rooms": EVERY, "rooms.get_rooms": EVERY}
    policy |= {f"rooms.{op}_rooms": frozenset({"registrar", "scheduler"}) for op in ("create", "update", "delete")}
    students = READERS | {"student", "advisor", "teacher"}
    policy |= {"students.list_students": students, "students.get_students": students}
    policy |= {f"students.{op}_students": REGISTRAR for op in ("create", "update")}
    policy |= {f"account.{op}": SIGNED_IN for op in ("get_me", "list_my_tokens", "create_my_token", "revoke_my_token")}
    policy |= {f"account.{op}": REGISTRAR for op in ("list_users", "get_user", "create_user", "update_user")}
    policy |= {"audit.list_audit": REGISTRAR}
    policy |= {"web.login": PUBLIC, "web.logout": PUBLIC, "web.home": SIGNED_IN}
    policy |= {"web.students": students, "web.student": students}
    policy |= {"meta.openapi_document": PUBLIC}
    policy |= {f"orders.{op}": READERS for op in ("list_orders", "get_order")}
    policy |= {"orders.register_order": REGISTRAR}
    policy |= {f"orders.{op}": READERS | {"student", "advisor"} for op in ("student_history", "student_state")}
    policy |= {f"applications.{op}": READERS | {"student"} for op in ("list_applications", "get_application")}
    policy |= {f"applications.{op}": REGISTRAR | {"student"} for op in ("submit_application", "attach_document")}
    policy |= {"applications.decide_application": REGISTRAR}
    reports = ("contingent_on", "contingent_students", "movement_report", "state_form", "on_leave_list",
               "expelled_list")  # fmt: skip
    policy |= {f"contingent.{op}": READERS for op in reports}
    policy |= {"contingent.get_policy": EVERY, "contingent.replace_policy": REGISTRAR}
    file_keepers = frozenset({"registrar", "vice_rector", "archivist"})
    policy |= {f"personal_files.{op}_personal_file_documents": file_keepers | {"student"} for op in ("list", "get")}
    policy |= {f"personal_files.{op}_personal_file_documents": REGISTRAR for op in ("create", "update", "delete")}
    policy |= {"personal_files.get_personal_file": file_keepers | {"student"},
               "personal_files.list_personal_data_changes": file_keepers | {"student"},
               "personal_files.incomplete_personal_files": file_keepers,
               "personal_files.change_personal_data": REGISTRAR}  # fmt: skip
    archive_readers = frozenset({"archivist", "registrar", "vice_rector"})
    archive_keepers = frozenset({"archivist", "registrar"})
    reads = ("list_archive_nomenclature", "get_archive_nomenclature", "list_archive_files", "get_archive_file",
             "list_archive_loans", "list_inventories", "get_inventory", "list_storage_readings", "archive_norms",
             "list_archive_acts", "get_archive_act", "inventory_pdf", "archive_act_pdf")  # fmt: skip
    keeps = ("create_archive_nomenclature", "update_archive_nomenclature", "delete_archive_nomenclature",
             "create_archive_file", "prepare_archive_files", "update_archive_file", "record_file_condition",
             "lend_archive_file", "return_archive_file", "compile_inventory", "accept_inventory",
             "record_storage_reading", "compile_archive_act", "execute_archive_act", "discard_archive_act")  # fmt: skip
    policy |= {f"archive.{name}": archive_readers for name in reads}
    policy |= {f"archive.{name}": archive_keepers for name in keeps}
    document_readers = frozenset({"registrar", "vice_rector", "archivist", "student"})
    policy |= {f"documents.{op}": document_readers for op in ("list_documents", "get_document", "document_pdf")}
    policy |= {"documents.issue_document": REGISTRAR, "documents.revoke_document": REGISTRAR}
    policy |= {"documents.verify_document": PUBLIC, "web.verify_page": PUBLIC}
    graduation = frozenset({"registrar", "vice_rector"})
    policy |= {f"graduation.{op}": graduation for op in ("list_graduates", "ranking", "graduation_statistics",
                                                         "graduation_chart", "get_honours_rule")}  # fmt: skip
    policy |= {"graduation.change_honours_rule": REGISTRAR}
    policy |= {"archive.approve_inventory": REGISTRAR,
               "archive.approve_archive_act": frozenset({"vice_rector", "registrar"})}  # fmt: skip
    policy |= {"web.orders": READERS, "web.order": READERS, "web.contingent_reports": READERS}
    policy |= {"web.new_order": REGISTRAR}
    policy |= {"web.applications": READERS | {"student"}, "web.application": READERS | {"student"}}
    policy |= {"web.new_application": REGISTRAR | {"student"}}
    policy |= {"settings.get_grading_policy": EVERY, "settings.get_credit_limits": EVERY}
    policy |= {"settings.change_grading_policy": REGISTRAR, "settings.change_credit_limits": REGISTRAR}
    policy |= {"sections.list_sections": EVERY, "sections.get_sections": EVERY}
    policy |= {f"sections.{op}": REGISTRAR for op in ("create_sections", "update_sections", "delete_sections",
                                                      "build_sections", "reopen_grade_sheet")}  # fmt: skip
    policy |= {"sections.get_grade_sheet": READERS | {"teacher"}, "sections.enter_marks": REGISTRAR | {"teacher"}}
    policy |= {f"registration.{op}": READERS | {"student", "advisor"} for op in ("list_registrations",
                                                                               "get_registrations")}  # fmt: skip
    editors = REGISTRAR | {"student", "advisor"}
    policy |= {f"registration.{op}": editors for op in ("create_registrations", "delete_registrations",
               "add_registration_discipline", "drop_registration_discipline", "submit_registration")}  # fmt: skip
    policy |= {f"registration.{op}": REGISTRAR | {"advisor"} for op in ("confirm_registration", "return_registration")}
    policy |= {"standing.get_record_book": READERS | {"student", "advisor"},
               "standing.list_rankings": READERS | {"advisor"}, "standing.list_transfer_risks": READERS}  # fmt: skip
    policy |= {f"monitoring.{op}": READERS | {"teacher"} for op in ("list_overdue_sheets", "list_not_admitted")}
    policy |= {"web.grade_sheets": READERS | {"teacher"}, "web.grade_sheet": READERS | {"teacher"}}
    policy |= {
        f"web.{page}": archive_readers
        for page in (
            "archive",
            "nomenclature",
            "archive_files",
            "archive_file",
            "inventories",
            "inventory",
            "storage",
            "acts",
            "act",
        )
    }
    policy |= {"web.documents": document_readers, "web.document": document_readers, "web.new_document": REGISTRAR}
    policy |= {"web.personal_file": file_keepers | {"student"}, "web.incomplete": file_keepers}
    authors = frozenset({"scheduler", "exam_coordinator"})
    timetable_staff = frozenset({"scheduler", "exam_coordinator", "vice_rector", "registrar"})
    policy |= {f"timetables.{op}": authors for op in ("start_timetable_job", "cancel_timetable_job",
               "submit_timetable_version", "copy_timetable_version", "move_timetable_lesson", "move_timetable_exam",
               "repair_timetable_version")}  # fmt: skip
    policy |= {"timetables.list_timetable_jobs": timetable_staff, "timetables.get_timetable_job": timetable_staff}
    policy |= {f"formations.{op}": timetable_staff for op in ("get_group_formation", "group_formation_sections_csv",
               "group_formation_assignments_csv", "group_formation_sections_xlsx")}  # fmt: skip
    policy |= {f"timetables.{op}": EVERY for op in ("list_timetable_versions", "get_timetable_version",
               "get_published_timetable", "compare_timetable_versions")}  # fmt: skip
    policy |= {"timetables.approve_timetable_version": frozenset({"vice_rector"}),
               "timetables.return_timetable_version": frozenset({"vice_rector"}),
               "timetables.publish_timetable_version": frozenset({"vice_rector", "registrar"})}  # fmt: skip
    policy |= {f"web.{page}": timetable_staff for page in (
        "timetables", "timetable_jobs", "start_timetable_job", "cancel_timetable_job", "timetable_transition",
        "timetable_new_draft", "timetable_repair", "timetable_move", "timetable_compare",
        "group_formation")}  # fmt: skip
    policy |= {"web.timetable_version": SIGNED_IN, "web.timetable_export": SIGNED_IN, "web.my_timetable": SIGNED_IN}
    return policy


AREAS = {
    "organisation": ("faculties", "departments"),
    "programmes": ("programmes", "study_plans", "plan_disciplines"),
    "calendar": ("academic_years", "periods"),
    "teachers": ("teachers",),
    "groups": ("groups", "streams"),
}
POLICY = _policy()
SCOPED: dict[str, set[str]] = {f"students.{op}_students": {"student", "advisor", "teacher"} for op in ("list", "get")}
SCOPED |= {f"sections.{name}": {"teacher"} for name in ("get_grade_sheet", "enter_marks")}
SCOPED |= {
    f"registration.{name}": {"student", "advisor"}
    for name in ("list_registrations", "get_registrations", "create_registrations", "delete_registrations",
                 "add_registration_discipline", "drop_registration_discipline", "submit_registration")
}  # fmt: skip
SCOPED |= {f"registration.{name}": {"advisor"} for name in ("confirm_registration", "return_registration")}
SCOPED |= {"standing.get_record_book": {"student", "advisor"}, "standing.list_rankings": {"advisor"}}
SCOPED |= {f"monitoring.{name}": {"teacher"} for name in ("list_overdue_sheets", "list_not_admitted")}
SCOPED |= {"web.grade_sheets": {"teacher"}, "web.grade_sheet": {"teacher"}}
SCOPED |= {"web.students": SCOPED["students.list_students"], "web.student": SCOPED["students.get_students"]}
SCOPED |= {f"orders.{op}": {"student", "advisor"} for op in ("student_history", "student_state")}
SCOPED |= {f"web.{page}": {"student"} for page in ("applications", "application", "new_application")}
SCOPED |= {f"applications.{op}": {"student"} for op in ("list_applications", "get_application", "submit_application",
                                                        "attach_document")}  # fmt: skip
SCOPED |= {f"documents.{op}": {"student"} for op in ("list_documents", "get_document", "document_pdf")}
SCOPED |= {f"web.{page}": {"student"} for page in ("documents", "document", "personal_file")}
SCOPED |= {f"personal_files.{name}": {"student"} for name in ("list_personal_file_documents",
           "get_personal_file_documents", "get_personal_file", "list_personal_data_changes")}  # fmt: skip


def declared_rule(app: Flask, endpoint: str) -> RoleRule | None:
    view = app.view_functions[endpoint]
    spec = getattr(view, "api_endpoint", None)
    rule = spec.roles if spec is not None else getattr(view, "role_rule", None)
    return rule if isinstance(rule, RoleRule) else None


def test_every_route_declares_the_policy_rule(app: Flask) -> None:
    problems = []
    routed = set()
    for url_rule in app.url_map.iter_rules():
        if url_rule.endpoint.endswith("static"):  # style sheets: public files, no view of ours
            continue
        routed.add(url_rule.endpoint)
        rule = declared_rule(app, url_rule.endpoint)
        expected = POLICY.get(url_rule.endpoint)
        if rule is None:
            problems.append(f"{url_rule.rule} ({url_rule.endpoint}) declares no role rule")
        elif expected is None:
            problems.append(f"{url_rule.endpoint} is missing from POLICY in {__name__}: add its intended roles")
        elif expected == PUBLIC:
            assert rule.public, url_rule.endpoint
        elif expected == SIGNED_IN:
            assert rule.signed_in, url_rule.endpoint
        else:
            assert rule.admitted == expected, (url_rule.endpoint, sorted(rule.admitted), sorted(expected))
            assert set(rule.scopes) == SCOPED.get(url_rule.endpoint, set()), url_rule.endpoint
    assert problems == []
    assert set(POLICY) == routed, set(POLICY) ^ routed


def test_the_app_enforces_the_matrix(
    app: Flask, anonymous: FlaskClient, client_as: Callable[..., FlaskClient], api: Api, org: Org, student_body: Body
) -> None:
    other = api.create("/teachers", code="Kim_DS", last_name="Kim", first_name="Dana")
    student = api.create("/students", **student_body())
    links = {"teacher": {"teacher_id": other["id"]}, "advisor": {"teacher_id": org["teacher"]["id"]},
             "student": {"student_id": student["id"]}}  # fmt: skip
    callers: dict[str, tuple[FlaskClient, frozenset[str]]] = {"anonymous": (anonymous, frozenset())}
    callers["no role"] = (client_as(), frozenset())
    for role in ROLES:
        callers[role] = (client_as(role, **links.get(role, {})), frozenset({role}))
    checked = 0
    wrong = []
    for url_rule in app.url_map.iter_rules():
        if url_rule.endpoint.endswith("static"):
            continue
        expected = POLICY[url_rule.endpoint]
        url = re.sub(r"<int:\w+>", "999999", url_rule.rule)
        url = re.sub(r"<any\(([^,)]+)[^>]*>", r"\1", url)  # an any() converter: its first value
        for method in sorted((url_rule.methods or set()) - {"HEAD", "OPTIONS"}):
            for who, (client, roles) in callers.items():
                status = client.open(url, method=method, json={}).status_code
                if expected == PUBLIC:
                    let_through = True
                elif expected == SIGNED_IN:
                    let_through = who != "anonymous"
                else:
                    let_through = bool(roles & expected)  # type: ignore[operator]
                page = not url.startswith("/api/")
                # an anonymous form post to a page fails the CSRF check (400) before the role gate; a GET goes to login
                anonymous_page = 400 if method == "POST" and expected != PUBLIC else 302
                refused = (anonymous_page if page else 401) if who == "anonymous" else 403
                if let_through != (status not in (401, 403, refused)) or (not let_through and status != refused):
                    wrong.append(f"{who}: {method} {url} -> {status}")
                checked += 1
    assert wrong == []
    assert checked > 400
