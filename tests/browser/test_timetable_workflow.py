"""The timetable workflow in a real browser on the demo university: a scheduler starts a solve job and watches
its progress until the draft's grid appears, submits it; the vice-rector approves and publishes it; a student
sees the published timetable of their group. Screenshots of the grids go to tests/artifacts/."""

from __future__ import annotations

import re

from browsing import screenshot, sign_in
from playwright.sync_api import Page, expect

SOLVE_SECONDS = 20
"""The job's time limit: the demo autumn term solves in a few seconds."""


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_scheduler_solves_and_submits_vice_rector_publishes_student_sees_it(page: Page) -> None:
    sign_in(page, "scheduler")
    page.get_by_role("navigation").get_by_role("link", name="Timetables").click()
    expect(page.get_by_role("heading", name="Timetables", exact=True)).to_be_visible()
    start = page.get_by_role("form", name="Start a solve job")
    autumn = next(o for o in start.locator("select[name=period] option").all_inner_texts() if o.startswith("autumn"))
    start.get_by_label("Period").select_option(label=autumn)
    start.get_by_label("Kind").select_option(label="lesson timetable")
    start.get_by_label("Time limit (s)").fill(str(SOLVE_SECONDS))
    start.get_by_role("button", name="Start job").click()
    expect(page.get_by_role("status").filter(has_text="started: lessons of autumn")).to_be_visible()
    job = page.locator("#jobs tbody tr").first
    expect(job.locator(".state")).to_contain_text(re.compile("queued|running|finished"))
    result = job.locator(".result a")
    expect(result).to_have_text("version 1", timeout=(SOLVE_SECONDS + 90) * 1000)  # the page polls the job
    expect(job.locator(".state")).to_have_text("finished")
    expect(job.locator(".elapsed")).to_have_text(re.compile(r"\d+\.\d s"))
    screenshot(page, "timetable-jobs")
    result.click()

    expect(page.get_by_role("heading", name=re.compile(r"Lesson timetable autumn .*, version 1"))).to_be_visible()
    expect(page.locator("#version-status")).to_have_text("draft")
    expect(page.locator("#hard-violations")).to_have_text("0")
    version_url = page.url
    shows = page.get_by_role("form", name="Show", exact=True)
    group = shows.locator("select[name=group] option").nth(1).inner_text()
    shows.get_by_label("Group").select_option(label=group)
    shows.get_by_role("button", name="Show group").click()
    grid = page.get_by_role("table", name=re.compile(f"group {re.escape(group)}$"))
    expect(grid).to_be_visible()
    expect(grid.locator(".lesson").first).to_be_visible()
    expect(grid.locator(".lesson.conflict")).to_have_count(0)
    screenshot(page, "timetable-grid-draft")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_role("status")).to_have_text("Version 1 submitted.")
    expect(page.locator("#version-status")).to_have_text("submitted")
    expect(page.get_by_role("button", name="Submit for approval")).to_have_count(0)
    sign_out(page)

    sign_in(page, "vice-rector")
    page.goto(version_url)
    expect(page.get_by_role("button", name="Return with comment")).to_be_visible()
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("#version-status")).to_have_text("approved")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_have_text("Version 1 published.")
    expect(page.locator("#version-status")).to_have_text("published")
    sign_out(page)

    sign_in(page, "student")
    page.get_by_role("navigation").get_by_role("link", name="My timetable").click()
    expect(page.get_by_role("heading", name=re.compile(r"My timetable: group \S+"))).to_be_visible()
    mine = page.get_by_role("table", name=re.compile(r"Lesson timetable autumn .*: group \S+$"))
    expect(mine).to_be_visible()
    expect(mine.locator(".lesson").first).to_be_visible()
    screenshot(page, "timetable-grid-student")
    with page.expect_download() as download:
        page.get_by_role("link", name="iCalendar").click()
    assert download.value.suggested_filename.endswith(".ics")


def test_scheduler_forms_the_groups_and_reads_the_formation(page: Page) -> None:
    sign_in(page, "scheduler")
    page.goto("/timetables")
    start = page.get_by_role("form", name="Start a solve job")
    autumn = next(o for o in start.locator("select[name=period] option").all_inner_texts() if o.startswith("autumn"))
    start.get_by_label("Period").select_option(label=autumn)
    start.get_by_label("Kind").select_option(label="group formation")
    start.get_by_label("Time limit (s)").fill("10")
    start.get_by_role("button", name="Start job").click()
    expect(page.get_by_role("status").filter(has_text="started: groups of autumn")).to_be_visible()
    result = page.locator("#jobs tbody tr").first.locator(".result a")
    expect(result).to_have_text(re.compile(r"^formation \d+$"), timeout=120_000)  # the page polls the job
    result.click()
    expect(page.get_by_role("heading", name=re.compile(r"Group formation \d+: autumn"))).to_be_visible()
    expect(page.locator("#hard-violations")).to_have_text("0")
    expect(page.get_by_role("table", name=re.compile(r"^Sections of ")).first.locator("tbody tr").first).to_be_visible()
    screenshot(page, "group-formation")
    with page.expect_download() as download:
        page.get_by_role("link", name="sections.xlsx").click()
    assert download.value.suggested_filename.endswith("-sections.xlsx")
