"""Replying to a thread and publishing keeps the reviewer's vote: the form starts at it."""

import pytest
from playwright.sync_api import expect

from specs_app.review import services as review_services
from tests.review_world import comment_on

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_publishing_a_reply_keeps_the_vote(page, sign_in, bob, in_review):
    spec = in_review
    comment_on(spec, bob, "work around it by hand", body="Which operators?")
    review_services.publish_review(actor=bob, spec=spec, vote=1, message="Looks right.")
    sign_in(bob)
    page.goto(f"/p/cinder/{spec.slug}/")
    expect(page.locator(".votes")).to_contain_text("+1 bob")
    expect(page.get_by_label("+1")).to_be_checked()

    thread = page.locator(".review-panel .thread").filter(has_text="Which operators?")
    thread.get_by_text("Reply", exact=True).click()
    thread.get_by_label("Your reply").fill("Answering myself: the CERN cloud.")
    thread.get_by_role("button", name="Save draft reply").click()
    page.get_by_role("button", name="Publish review and 1 draft comment").click()

    expect(page.locator(".review-panel .thread__comment--reply")).to_contain_text("the CERN cloud")
    expect(page.locator(".review-panel .thread__comment--draft")).to_have_count(0)
    expect(page.locator(".votes")).to_contain_text("+1 bob")
    expect(page.get_by_label("+1")).to_be_checked()
