"""A new revision keeps a reviewer's comment on its text, even when lines above it move."""

import pytest
from playwright.sync_api import expect

from specs_app.review import services as review_services
from tests.review_world import comment_on

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUOTE = "The scheduler does not know which back ends can share a volume."
ADDED = "Clustered file systems such as GFS2 and OCFS2 write to one volume from many hosts."


def test_it_keeps_the_comment_on_its_paragraph_in_revision_2(page, sign_in, alice, bob, in_review):
    spec = in_review
    comment_on(spec, bob, QUOTE, body="Which scheduler filter?")
    review_services.publish_review(actor=bob, spec=spec, vote=1)
    sign_in(alice)

    # Edit the text above the commented passage, then submit revision 2.
    page.goto(f"/p/cinder/{spec.slug}/edit/")
    problem = page.get_by_label("Problem description", exact=True)
    problem.press("Control+Home")
    page.keyboard.type(ADDED + "\n\n")
    expect(page.locator("#preview")).to_contain_text(ADDED)
    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_text("Saved your changes.")).to_be_visible()
    page.get_by_label("What changed").fill("Name the file systems.")
    page.get_by_role("button", name="Submit revision 2").click()
    expect(page.locator(".review-panel")).to_contain_text("revision 2")

    page.get_by_role("link", name="Read revision 2 and comment on its text").click()
    expect(page.locator(".page-header .eyebrow")).to_contain_text("revision 2")
    thread = page.locator(".review-margin .thread").filter(has_text="Which scheduler filter?")
    expect(thread).to_be_visible()
    expect(thread).not_to_have_class("thread--outdated")
    expect(page.get_by_role("heading", name="Outdated")).to_have_count(0)
    marked = page.locator("#review-document .has-comments")
    expect(marked).to_have_count(1)
    expect(marked).to_contain_text(QUOTE)
    expect(marked).not_to_contain_text(ADDED)
    # Its line moved down by the two lines added above it.
    old_line = int(thread.get_attribute("data-line-start"))
    assert marked.get_attribute("data-line") is not None
    assert spec.revisions.get(number=2).text.splitlines()[old_line - 1] == QUOTE
