"""Signing in and out in a real browser on the demo data; a wrong password is refused on the page."""

from __future__ import annotations

import re

from browsing import screenshot, sign_in
from playwright.sync_api import Page, expect


def test_scheduler_signs_in_sees_their_roles_and_signs_out(page: Page) -> None:
    sign_in(page, "scheduler")
    expect(page.locator("header")).to_contain_text("Demo Scheduler (scheduler)")
    screenshot(page, "start-page-scheduler")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.goto("/students")
    expect(page).to_have_url(re.compile(r"/login\?next="))


def test_a_wrong_password_is_refused(page: Page) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill("vice-rector")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("wrong username or password")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
