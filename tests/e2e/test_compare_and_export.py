"""Comparing two revisions, and exporting the spec: the file is the API's export, byte for byte."""

import pytest
from playwright.sync_api import expect

from specs_app.models import Spec
from tests.review_world import submit, write

from .pages import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PROPOSAL_2 = "Add a multiattach capability that back ends report.\n\nThe scheduler filters on it.\n"


@pytest.fixture
def revised(in_review, alice):
    spec = write(in_review, alice, proposed_change=PROPOSAL_2)
    submit(spec, alice, "Say how the scheduler uses it.")
    return Spec.objects.get(pk=spec.pk)


def test_it_compares_two_revisions(page, sign_in, bob, revised):
    sign_in(bob)
    page.goto(f"/p/cinder/{revised.slug}/")
    page.get_by_role("link", name="Compare revisions").click()

    expect(page.get_by_role("heading", name="Revision 1 → 2")).to_be_visible()
    changed = page.locator(".diff-section").filter(has_text="Proposed change")
    added = changed.locator(".diff__row--added").filter(has_text="The scheduler filters on it.")
    expect(added).to_have_count(1)
    unchanged = page.locator("details.diff-section--unchanged").filter(has_text="Problem description")
    expect(unchanged).to_be_visible()
    screenshot(page, "compare")

    page.get_by_label("Layout").select_option("split")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("table.diff--split").first).to_be_visible()
    new_side = page.locator(".diff--split .diff__text--new").filter(has_text="The scheduler filters on it.")
    expect(new_side).to_have_count(1)


def test_it_exports_the_same_bytes_as_the_api(page, sign_in, alice, revised):
    sign_in(alice)
    page.goto(f"/p/cinder/{revised.slug}/")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download .rst").click()
    download = download_info.value
    assert download.suggested_filename == f"{revised.slug}.rst"
    downloaded = download.path().read_bytes()

    api = page.request.get(f"/api/v1/specs/{revised.pk}/export.rst")
    assert api.ok
    assert downloaded == api.body()
    assert downloaded == Spec.objects.get(pk=revised.pk).text().encode("utf-8")
    assert b"The scheduler filters on it." in downloaded
