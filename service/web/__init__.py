"""The minimal server-rendered web interface (Jinja templates, one base layout, plain CSS).

Pages (:mod:`service.web.pages`): ``/login`` and ``/logout``, ``/`` (the signed-in user's start page
with role-appropriate navigation), ``/students`` (search) and ``/students/<id>`` (a student's record).
They obey the same role rules as the API, declared on each page with :func:`service.web.pages.page`:
an anonymous visitor is sent to the login page, a refused one gets a 403 page. Writes (login, logout)
carry a CSRF token (Flask-WTF).

The movement of the contingent (orders, applications, reports, the status-history section) is in
:mod:`service.web.contingent`; timetables (solve jobs, versions, the approval workflow, exports) in
:mod:`service.web.timetables`, and the group formations of ``groups`` jobs in :mod:`service.web.formations`.

Extension points for other areas (:mod:`service.web.record`, :mod:`service.web.nav`):
:func:`register_record_section` adds a section to the student record page (e.g. grades and GPA),
:func:`register_nav` a navigation link shown to the roles that may open it.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static", static_url_path="/static/web")


def init_app(app: Flask) -> None:
    """Register the pages, the navigation and the HTML error pages on ``app``."""
    from service.web import (  # noqa: F401  (pages declare their routes on import)
        archive,
        contingent,
        documents,
        errors,
        formations,
        grades,
        nav,
        pages,
        timetables,
    )

    app.register_blueprint(bp)
    app.context_processor(nav.template_context)
    errors.init_app(app)
