"""A reviewer fixes a typo in their draft comment from the thread, before publishing it."""

import pytest
from playwright.sync_api import expect

from tests.review_world import comment_on

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_it_edits_a_draft_comment_in_its_thread(page, sign_in, bob, in_review):
    comment_on(in_review, bob, "work around it by hand", body="Which operaters?")
    sign_in(bob)
    page.goto(f"/p/cinder/{in_review.slug}/revisions/1/")
    thread = page.locator(".review-margin .thread").filter(has_text="Which operaters?")
    thread.get_by_text("Edit", exact=True).click()
    thread.get_by_label("Edit your comment").fill("Which operators?")
    thread.get_by_role("button", name="Save draft").click()

    thread = page.locator(".review-margin .thread").filter(has_text="Which operators?")
    expect(thread.locator(".thread__body")).to_have_text("Which operators?")
    expect(thread).to_contain_text("Draft")
