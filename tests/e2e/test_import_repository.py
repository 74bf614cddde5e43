"""Importing a specs repository in the browser: upload a .tar.gz, watch it go, read the report."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from specs_app.models import Spec
from tests.repository_archives import TOP, archive, cinder_repository, spec_paths

from .pages import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Records what the progress bars showed, since the report page replaces them when it is done.
WATCH_PROGRESS = """() => {
    window.seen = {upload: [], import: []};
    const bar = document.querySelector("[data-upload-bar]");
    const detail = document.querySelector("[data-import-detail]");
    new MutationObserver(() => window.seen.upload.push(bar.value)).observe(bar, {attributes: true});
    new MutationObserver(() => window.seen.import.push(detail.textContent))
        .observe(detail, {childList: true, characterData: true, subtree: true});
}"""


def test_it_uploads_a_repository_with_progress_and_shows_the_report(page, sign_in, alice, project, tmp_path):
    entries = cinder_repository()
    tarball = archive(tmp_path / f"{TOP}.tar.gz", entries)
    sign_in(alice)
    page.goto("/p/cinder/")
    page.get_by_role("link", name="Import repository").click()
    expect(page).to_have_url(re.compile(r"/p/cinder/import/repository/$"))
    page.get_by_label("Repository archive").set_input_files(str(tarball))
    page.evaluate(WATCH_PROGRESS)

    with page.expect_response(re.compile(r"/import/repository/$")) as answer:
        page.get_by_role("button", name="Import repository").click()

    report = page.locator(".repository-report")
    expect(report.get_by_role("heading", level=1)).to_have_text(f"Imported {TOP} into Cinder")
    expect(report.locator(".outcome--imported .outcome__count")).to_have_text("3")
    expect(report.locator(".outcome--failed .outcome__count")).to_have_text("0")
    screenshot(page, "import-repository")
    # The answer streamed a line per file, then the report.
    assert answer.value.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in answer.value.text().splitlines() if line.strip()]
    assert [line["event"] for line in lines] == ["progress"] * (len(lines) - 1) + ["done"]
    seen = page.evaluate("window.seen")
    assert 100 in seen["upload"]
    assert any(re.match(r"\d+ of \d+ files: specs/", text) for text in seen["import"]), seen["import"]

    # Each new spec is a link to its page.
    first = spec_paths(entries)[0]
    spec = Spec.objects.get(project=project, path=first)
    report.get_by_role("link", name=spec.title).click()
    expect(page).to_have_url(re.compile(rf"/p/cinder/{re.escape(spec.slug)}/$"))


def test_a_second_upload_shows_everything_unchanged(page, sign_in, alice, project, tmp_path):
    tarball = archive(tmp_path / f"{TOP}.tar.gz", cinder_repository())
    sign_in(alice)
    for _ in range(2):
        page.goto("/p/cinder/import/repository/")
        page.get_by_label("Repository archive").set_input_files(str(tarball))
        page.get_by_role("button", name="Import repository").click()
        expect(page.locator(".repository-report")).to_be_visible()

    expect(page.locator(".outcome--imported .outcome__count")).to_have_text("0")
    expect(page.locator(".outcome--unchanged .outcome__count")).to_have_text("4")


def test_without_javascript_it_is_a_plain_form_post(browser, live_server, alice, project, tmp_path):
    from django.conf import settings
    from django.test import Client

    tarball = archive(tmp_path / f"{TOP}.tar.gz", cinder_repository())
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    client = Client()
    client.force_login(alice)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page = context.new_page()
    try:
        page.goto("/p/cinder/import/repository/")
        page.get_by_label("Repository archive").set_input_files(str(tarball))
        page.get_by_role("button", name="Import repository").click()

        expect(page.locator(".repository-report h1")).to_have_text(f"Imported {TOP} into Cinder")
        expect(page.locator(".outcome--imported .outcome__count")).to_have_text("3")
    finally:
        context.close()
