"""Issue 15, item 3: reviewers see, and downloads carry, the revision under review; merged text is locked.

Walked through with two people: the author edits after submitting; the reviewer still
reads and downloads revision 1, with the working draft one labelled link away. After
merge the author finds the text locked, starts a new change, and may edit again.
"""

import pytest
from playwright.sync_api import expect

from specs_app.models import Spec, SpecStatus
from specs_app.review import services as review_services
from tests.review_world import plus_two

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SUBMITTED = "Add a multiattach capability that back ends report."
UNSUBMITTED = "Written after submitting; nobody reviewed it."


def _edit_proposal(page, spec, text: str) -> None:
    """The author replaces the proposed change in the editor and saves."""
    page.goto(f"/p/cinder/{spec.slug}/edit/")
    page.get_by_label("Proposed change", exact=True).fill(text)
    expect(page.locator("#preview")).to_contain_text(text)
    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_text("Saved your changes.")).to_be_visible()


def test_reviewers_read_and_download_the_revision_and_merged_text_is_locked(
    page, sign_in, alice, bob, core, second_core, in_review, console_errors
):
    spec = in_review
    revision_text = spec.revisions.get().text

    # The author changes the working draft after submitting revision 1.
    sign_in(alice)
    _edit_proposal(page, spec, UNSUBMITTED)

    # The reviewer reads revision 1, labelled, and is told the draft moved on.
    sign_in(bob)
    page.goto(f"/p/cinder/{spec.slug}/")
    document = page.locator("article.spec-document")
    expect(document.locator(".shown-text")).to_contain_text("Revision 1")
    expect(document.locator(".shown-text")).to_contain_text("In review")
    expect(document).to_contain_text(SUBMITTED)
    expect(document).not_to_contain_text(UNSUBMITTED)

    # The download is revision 1, byte for byte, as the API gives it.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download .rst (revision 1)").click()
    download = download_info.value
    assert download.suggested_filename == f"{spec.slug}.rst"
    downloaded = download.path().read_bytes()
    assert downloaded == revision_text.encode("utf-8")
    assert downloaded == page.request.get(f"/api/v1/specs/{spec.pk}/export.rst").body()

    # The working draft is there, labelled, and downloads under its own name.
    page.get_by_role("link", name="Read the working draft").click()
    expect(document.locator(".shown-text")).to_contain_text("Working draft")
    expect(document).to_contain_text(UNSUBMITTED)
    with page.expect_download() as draft_info:
        page.get_by_role("link", name="Download working draft (.rst)").click()
    assert draft_info.value.suggested_filename == f"{spec.slug}.working-draft.rst"
    assert UNSUBMITTED.encode() in draft_info.value.path().read_bytes()
    page.get_by_role("link", name="Read revision 1 (in review)").click()
    expect(document).not_to_contain_text(UNSUBMITTED)

    # Revision 1 is approved by two core reviewers and merged.
    plus_two(spec, core, second_core)
    review_services.approve_spec(actor=core, spec=spec)
    review_services.merge_spec(actor=core, spec=Spec.objects.get(pk=spec.pk))

    # After merge the author can no longer edit: the editor says how to change it.
    sign_in(alice)
    page.goto(f"/p/cinder/{spec.slug}/")
    expect(page.locator(".page-header__actions").get_by_role("link", name="Edit")).to_have_count(0)
    locked = page.goto(f"/p/cinder/{spec.slug}/edit/")
    assert locked is not None and locked.status == 400
    expect(
        page.get_by_role("heading", name="This spec\N{RIGHT SINGLE QUOTATION MARK}s text is locked")
    ).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("start a new change")
    # The refusal's 400 is the one error the browser logs, and it is meant.
    assert [error for error in console_errors if "status of 400" not in error] == []
    console_errors.clear()
    # Whatever the author's draft held, the export is the merged revision.
    assert page.request.get(f"/p/cinder/{spec.slug}/export.rst").body() == revision_text.encode("utf-8")

    # A new change re-opens it: a draft again, editable, its revision kept.
    page.get_by_role("button", name="Start a new change").click()
    expect(page.get_by_text("Started a new change")).to_be_visible()
    expect(page.locator(".page-header__meta .status")).to_have_text("Draft")
    _edit_proposal(page, spec, SUBMITTED + "\n\nAnd a limit per back end.")
    spec = Spec.objects.get(pk=spec.pk)
    assert spec.status == SpecStatus.DRAFT
    assert spec.revisions.get().text == revision_text
