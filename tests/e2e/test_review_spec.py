"""Reviewing in the browser: comment on selected text, publish a +1, reply, and the opener resolves."""

import re

import pytest
from playwright.sync_api import expect

from .pages import screenshot, select_text

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUOTE = "work around it by hand"


def test_it_comments_on_a_passage_publishes_replies_and_resolves(page, sign_in, alice, bob, in_review):
    spec = in_review
    revision_url = f"/p/cinder/{spec.slug}/revisions/1/"
    sign_in(bob)
    page.goto(revision_url)

    # Select a passage as a reader would; the comment box opens beside it.
    select_text(page, "#review-document", QUOTE)
    box = page.locator(".comment-box")
    expect(box).to_be_visible()
    expect(box).to_contain_text(QUOTE)
    expect(box.get_by_label("Your comment")).to_be_focused()
    page.keyboard.type("Which operators? Name one deployment.")
    box.locator("button[type=submit]").click()

    thread = page.locator(".review-margin .thread").filter(has_text="Which operators?")
    expect(thread).to_contain_text("Draft")
    expect(thread.locator(".thread__quote")).to_have_text(QUOTE)

    # Publish the review with +1: Alt+Shift+P leads to the vote on the spec page.
    page.keyboard.press("Alt+Shift+P")
    expect(page).to_have_url(re.compile(rf"/p/cinder/{spec.slug}/#review$"))
    # The URL changes before the new page's scripts run; a key pressed earlier reaches no handler.
    page.wait_for_load_state("load")
    page.keyboard.press("Alt+Shift+P")
    expect(page.locator(".review-form--publish input[name=vote]:checked")).to_be_focused()
    page.get_by_label("+1").check()
    page.get_by_label("Message", exact=True).fill("Looks right; one question inline.")
    page.get_by_role("button", name="Publish review and 1 draft comment").click()
    expect(page.locator(".votes")).to_contain_text("+1 bob")

    # The published thread sits beside the paragraph it quotes.
    page.goto(revision_url)
    thread = page.locator(".review-margin .thread").filter(has_text="Which operators?")
    expect(thread).not_to_contain_text("Draft")
    expect(thread).to_contain_text("Open")
    expect(page.locator("#review-document .has-comments")).to_contain_text(QUOTE)
    page.locator("main").focus()
    page.keyboard.press("Alt+Shift+N")
    expect(thread).to_be_focused()
    screenshot(page, "review")

    # The owner replies; the thread is its opener's to resolve, so the owner is offered no Resolve.
    sign_in(alice)
    page.goto(revision_url)
    thread = page.locator(".review-margin .thread").filter(has_text="Which operators?")
    thread.get_by_text("Reply", exact=True).click()
    thread.get_by_label("Your reply").fill("The CERN cloud; added to the spec.")
    thread.get_by_role("button", name="Save draft reply").click()
    thread = page.locator(".review-margin .thread").filter(has_text="Which operators?")
    expect(thread.locator(".thread__comment--reply")).to_contain_text("The CERN cloud")
    expect(thread.get_by_role("button", name="Resolve")).to_have_count(0)

    # The reviewer who opened it resolves it.
    sign_in(bob)
    page.goto(revision_url)
    thread = page.locator(".review-margin .thread").filter(has_text="Which operators?")
    thread.get_by_role("button", name="Resolve").click()
    thread = page.locator(".review-margin .thread").filter(has_text="Which operators?")
    expect(thread).to_contain_text("Resolved")
    expect(thread.get_by_role("button", name="Reopen")).to_be_visible()
