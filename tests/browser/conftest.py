"""Browser tests: the real app served over HTTP, driven by headless Chromium through Playwright.

- ``live_server``: the records service on a free port of 127.0.0.1 (werkzeug's threaded server in a
  thread of the test process), on a temporary SQLite file migrated and filled with the demo university
  (``registrar demo-data --size small``: every demo user has the password ``registrar-demo``); one per
  test session, shut down at its end.
- ``browser``: Debian's Chromium (``/usr/bin/chromium``, ``$REGISTRAR_CHROMIUM`` to override) started
  headless with ``--no-sandbox`` (the tests run as root); Playwright cannot download its own browsers
  here. If the executable is missing the tests skip, except in CI (``CI=true``), where they fail.
- ``page``: a fresh browser context and page per test (``browsing.sign_in(page, username)`` signs in
  through the login form). Waits are Playwright's auto-waiting ``expect(...)``, never sleeps.

Screenshots go to ``tests/artifacts/`` (git-ignored) through ``browsing.screenshot(page, name)``.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import LiveServer
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from service import create_app, db, migrate
from service.demo import fill

CHROMIUM = os.environ.get("REGISTRAR_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("live")
    url = f"sqlite:///{folder / 'registrar.sqlite3'}"
    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(16), "TESTING": True})
    with app.app_context():
        fill(db.session(), "small", seed=0)
    server = LiveServer(app)
    yield server
    server.stop()
    db.dispose(app)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set REGISTRAR_CHROMIUM)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1400, "height": 900})
    context.set_default_timeout(30_000)
    page = context.new_page()
    yield page
    context.close()
