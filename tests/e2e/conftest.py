"""End-to-end tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

One browser for the session, a fresh context (cookies, storage) per test. Every
test fails if any page logged a console error or threw: a broken script, a
404 favicon or a refused fetch are bugs a person would see.

The live server runs in this process, in threads; Playwright's sync API keeps
an event loop in the main thread, where the tests also use the ORM. Django
refuses that unless told the loop is not an async context of its own, hence
DJANGO_ALLOW_ASYNC_UNSAFE (set before any test touches the database).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 900}


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"Chromium is not at {CHROMIUM}: the end-to-end tests need it (apt-get install chromium)"
        if os.environ.get("CI"):  # CI installs it (.ci/run): a missing browser there is a failure
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def console_errors():
    """Console errors and uncaught exceptions of every page of the test's context."""
    return []


@pytest.fixture
def context(browser, live_server, console_errors):
    context = browser.new_context(
        base_url=live_server.url,
        viewport=VIEWPORT,
        accept_downloads=True,
        locale="en-GB",
        timezone_id="UTC",
    )
    context.set_default_timeout(10_000)
    context.on(
        "console",
        lambda message: (
            console_errors.append(f"{message.page.url if message.page else '?'}: {message.text}")
            if message.type == "error"
            else None
        ),
    )
    context.on("weberror", lambda error: console_errors.append(f"uncaught: {error.error}"))
    yield context
    context.close()


@pytest.fixture
def page(context, console_errors):
    page = context.new_page()
    yield page
    assert console_errors == [], "pages logged errors:\n" + "\n".join(console_errors)


@pytest.fixture
def sign_in(context, live_server):
    """Sign a person in to the context with a session cookie (the sign-in page has its own test)."""
    from django.conf import settings
    from django.test import Client

    def sign_in(user) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.clear_cookies()
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )

    return sign_in
