"""Unsaved text survives a closed tab: the editor keeps it in the browser and offers it back."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TEXT = "Operators over-commit storage without noticing until writes fail."


def edit_url(spec):
    return f"/p/{spec.project.slug}/{spec.slug}/edit/"


def type_and_close(context, spec):
    page = context.new_page()
    page.goto(edit_url(spec))
    page.get_by_label("Problem description", exact=True).press_sequentially("Operators over-commit ")
    page.get_by_label("Problem description", exact=True).fill(TEXT)
    page.close()  # no save, and no "leave the page?" question: the tab is simply gone


def test_it_restores_text_typed_before_the_tab_was_closed(context, page, sign_in, alice, spec):
    sign_in(alice)
    type_and_close(context, spec)

    page.goto(edit_url(spec))
    problem = page.get_by_label("Problem description", exact=True)
    banner = page.locator("#draft-banner")
    # Offered, never applied by itself: the field still shows the saved (empty) text.
    expect(banner).to_be_visible()
    expect(problem).to_have_value("")
    restore = banner.get_by_role("button", name=re.compile(r"^Restore unsaved text from \d\d:\d\d$"))
    restore.click()

    expect(banner).to_have_count(0)
    expect(problem).to_have_value(TEXT)
    expect(page.locator("#preview")).to_contain_text(TEXT)

    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_text("Saved your changes.")).to_be_visible()
    # Saved: nothing left to offer.
    page.goto(edit_url(spec))
    expect(page.get_by_label("Problem description", exact=True)).to_have_value(TEXT)
    expect(page.locator("#preview")).to_contain_text(TEXT)
    expect(page.locator("#draft-banner")).to_have_count(0)


def test_it_discards_the_kept_text_when_asked(context, page, sign_in, alice, spec):
    sign_in(alice)
    type_and_close(context, spec)

    page.goto(edit_url(spec))
    page.locator("#draft-banner").get_by_role("button", name="Discard").click()
    expect(page.locator("#draft-banner")).to_have_count(0)

    page.reload()
    expect(page.locator("#preview")).to_contain_text("Problem description")
    expect(page.get_by_label("Problem description", exact=True)).to_have_value("")
    expect(page.locator("#draft-banner")).to_have_count(0)
