"""Browser tests: Playwright (sync API) driving Debian's chromium against pytest-django's live server."""

import os
import shutil

import pytest

from ..factories import PASSWORD

# Playwright's sync API runs an event loop in this thread; the ORM calls in these tests are still
# synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, admin_units):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.base_url = live_server.url
    yield page
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def login(page, username, password):
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def switch(page, username, landing="**/office/"):
    """Log out whoever is logged in and log in as `username` (password PASSWORD); wait for `landing`."""
    page.context.clear_cookies()
    login(page, username, PASSWORD)
    page.wait_for_url(landing)
