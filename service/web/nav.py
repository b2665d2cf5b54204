"""Role-appropriate navigation: each link shows only to users the target page's role rule admits.

Other areas add links with :func:`register_nav` (``register_nav("Grade sheets", "web.grade_sheets")``);
the link's visibility comes from the page's own rule, so navigation and access cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app, request, url_for

from service.auth import Actor, RoleRule, current_user
from service.errors import ApiError


@dataclass(frozen=True)
class NavItem:
    """A link: its label, the page endpoint, and optionally a function giving its URL for a user (else url_for)."""

    label: str
    endpoint: str
    url: Callable[[Actor], str | None] | None = None


NAV: list[NavItem] = []


def register_nav(label: str, endpoint: str, url: Callable[[Actor], str | None] | None = None) -> None:
    """Add a link to the navigation bar (after the existing ones)."""
    NAV.append(NavItem(label, endpoint, url))


def visible(actor: Actor, item: NavItem) -> bool:
    rule: RoleRule | None = getattr(current_app.view_functions.get(item.endpoint), "role_rule", None)
    return rule is not None and rule.admits(actor.roles, signed_in=True)


def links(actor: Actor) -> list[dict[str, Any]]:
    """The links ``actor`` may follow: ``{"label", "url", "active"}``."""
    out = []
    for item in NAV:
        if not visible(actor, item):
            continue
        url = item.url(actor) if item.url else url_for(item.endpoint)
        if url is not None:
            out.append({"label": item.label, "url": url, "active": request.path == url})
    return out


def template_context() -> dict[str, Any]:
    """``user`` and ``nav`` for every template (a bad token on a page leaves the user anonymous there)."""
    try:
        actor = current_user()
    except ApiError:
        actor = None
    return {"user": actor, "nav": links(actor) if actor else []}
