"""Verified resolution in Chromium: the opener asks for it from the comment box, then verifies."""

import pytest
from playwright.sync_api import expect

from specs_app.models import Comment, ThreadState
from specs_app.review import services as review_services

from .pages import select_text

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUOTE = "work around it by hand"


def test_the_opener_asks_to_verify_and_verifies(page, sign_in, bob, core, in_review):
    revision_url = f"/p/cinder/{in_review.slug}/revisions/1/"
    sign_in(bob)
    page.goto(revision_url)
    select_text(page, "#review-document", QUOTE)
    box = page.locator(".comment-box")
    box.get_by_label("Your comment").fill("Which operators?")
    box.get_by_label("Ask me to verify its resolution").check()
    box.locator("button[type=submit]").click()
    expect(page.locator(".review-margin .thread").filter(has_text="Which operators?")).to_be_visible()
    thread = Comment.objects.get()
    assert thread.requires_verification
    review_services.publish_review(actor=bob, spec=in_review, message="One question.")
    review_services.resolve_thread(actor=core, comment=thread)

    page.goto(revision_url)
    shown = page.locator(".review-margin .thread").filter(has_text="Which operators?")
    expect(shown).to_contain_text("Resolved, awaiting verification")
    shown.get_by_role("button", name="Verify").click()

    shown = page.locator(".review-margin .thread").filter(has_text="Which operators?")
    expect(shown.locator(".thread__head")).to_contain_text("Resolved")
    expect(shown.get_by_role("button", name="Reopen")).to_be_visible()
    thread.refresh_from_db()
    assert thread.state == ThreadState.RESOLVED
