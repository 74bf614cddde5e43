"""Suggested edits in the browser: a reviewer suggests new text; the author applies it in one click."""

import re

import pytest
from playwright.sync_api import expect

from tests.review_world import refresh, suggest

from .pages import screenshot, select_text

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUOTE = "work around it by hand"
REPLACEMENT = "script the work around with the volume API"


def test_a_reviewer_suggests_an_edit_and_the_author_applies_it_in_one_click(
    page, sign_in, alice, bob, in_review
):
    spec = in_review
    revision_url = f"/p/cinder/{spec.slug}/revisions/1/"
    sign_in(bob)
    page.goto(revision_url)

    # Select a passage; the comment box offers to suggest an edit, starting from the selected text.
    select_text(page, "#review-document", QUOTE)
    box = page.locator(".comment-box")
    expect(box).to_be_visible()
    page.keyboard.type("Say how they work around it.")
    box.get_by_label("Suggest an edit").check()
    replacement = box.get_by_label("Replace the selected text with")
    expect(replacement).to_be_focused()
    expect(replacement).to_have_value(QUOTE)
    replacement.fill(REPLACEMENT)
    box.get_by_role("button", name="Save draft comment").click()

    thread = page.locator(".review-margin .thread").filter(has_text="Say how they work around it.")
    expect(thread).to_contain_text("Draft")
    diff = thread.locator(".suggestion__diff")
    expect(diff.locator("del").last).to_contain_text("by hand")
    expect(diff.locator("ins").last).to_contain_text("volume API")
    # Nobody applies a draft: not even its author sees the button.
    expect(thread.get_by_role("button", name="Apply suggestion")).to_have_count(0)

    page.goto(f"/p/cinder/{spec.slug}/#review")
    page.get_by_role("button", name="Publish review and 1 draft comment").click()
    expect(page.get_by_role("status").first).to_contain_text("Published your review.")

    # The author sees the suggestion as a diff beside its passage and applies it with one click.
    sign_in(alice)
    page.goto(revision_url)
    thread = page.locator(".review-margin .thread").filter(has_text="Say how they work around it.")
    suggestion = thread.locator(".suggestion")
    expect(suggestion.locator("del").last).to_contain_text("by hand")
    expect(suggestion.locator("ins").last).to_contain_text("volume API")
    thread.scroll_into_view_if_needed()
    screenshot(page, "suggestion")
    version = refresh(spec).version
    suggestion.get_by_role("button", name="Apply suggestion").click()

    expect(page).to_have_url(re.compile(rf"/p/cinder/{spec.slug}/revisions/1/"))
    expect(page.get_by_role("status").first).to_contain_text("Applied 1 suggestion to the working draft.")
    thread = page.locator(".review-margin .thread").filter(has_text="Say how they work around it.")
    expect(thread.locator(".suggestion")).to_contain_text("Applied by alice")
    expect(thread).to_contain_text("Resolved")
    expect(thread.get_by_role("button", name="Apply suggestion")).to_have_count(0)

    spec = refresh(spec)
    assert spec.version == version + 1
    assert f"need it, and {REPLACEMENT}." in spec.text()


def test_the_author_ticks_several_suggestions_and_applies_them_as_one_edit(
    page, sign_in, alice, bob, in_review
):
    first = suggest(in_review, bob, "work around it by hand", "script it")
    second = suggest(in_review, bob, "The scheduler does not know", "The scheduler cannot tell")
    version = refresh(in_review).version
    sign_in(alice)
    page.goto(f"/p/cinder/{in_review.slug}/revisions/1/")

    button = page.locator("#suggestions-apply-form [data-apply-selected]")
    expect(button).to_be_disabled()
    for thread in (first, second):
        page.locator(f"#thread-{thread.pk}").get_by_label("Apply with others").check()
    expect(button).to_have_text("Apply 2 selected suggestions")
    button.click()

    expect(page.get_by_role("status").first).to_contain_text("Applied 2 suggestions to the working draft.")
    spec = refresh(in_review)
    assert spec.version == version + 1
    assert "and script it." in spec.text() and "The scheduler cannot tell" in spec.text()
