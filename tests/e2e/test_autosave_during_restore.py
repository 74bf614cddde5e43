"""Text typed while the "restore unsaved text" banner is shown is kept, whatever the author does next.

The banner offers text an earlier tab left behind. An author who starts typing
before answering it must lose neither that text nor what they just typed: not
on a reload, not by restoring, not by discarding.
"""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

KEPT = "Operators over-commit storage without noticing until writes fail."
TYPED = "Typed while the banner was up."
MORE = "Scheduler weighs free capacity."


def edit_url(spec):
    return f"/p/{spec.project.slug}/{spec.slug}/edit/"


def leave_text_behind(context, spec):
    """A tab that typed KEPT in "Problem description" and was closed without saving."""
    tab = context.new_page()
    tab.goto(edit_url(spec))
    tab.get_by_label("Problem description", exact=True).fill(KEPT)
    tab.close()


def open_with_banner(page, spec):
    page.goto(edit_url(spec))
    expect(page.locator("#draft-banner")).to_be_visible()
    # Reloading a page with unsaved text asks "leave the page?"; the author says yes.
    page.on("dialog", lambda dialog: dialog.accept())


def restore_button(page):
    return page.locator("#draft-banner").get_by_role(
        "button", name=re.compile(r"^Restore unsaved text from \d\d:\d\d$")
    )


def problem(page):
    return page.get_by_label("Problem description", exact=True)


def proposal(page):
    return page.get_by_label("Proposed change", exact=True)


def test_a_reload_keeps_text_typed_while_the_banner_is_shown(context, page, sign_in, alice, spec):
    sign_in(alice)
    leave_text_behind(context, spec)
    open_with_banner(page, spec)
    proposal(page).press_sequentially(TYPED)

    page.reload()
    # Still offered, never applied by itself; restoring brings back both texts.
    expect(page.locator("#draft-banner")).to_be_visible()
    expect(proposal(page)).to_have_value("")
    restore_button(page).click()
    expect(page.locator("#draft-banner")).to_have_count(0)
    expect(problem(page)).to_have_value(KEPT)
    expect(proposal(page)).to_have_value(TYPED)


def test_restoring_keeps_text_typed_while_the_banner_is_shown(context, page, sign_in, alice, spec):
    sign_in(alice)
    leave_text_behind(context, spec)
    open_with_banner(page, spec)
    # Typed in another field, and in the very field the kept text is for.
    proposal(page).press_sequentially(TYPED)
    problem(page).press_sequentially(MORE)

    restore_button(page).click()
    expect(page.locator("#draft-banner")).to_have_count(0)
    expect(proposal(page)).to_have_value(TYPED)
    restored = problem(page).input_value()
    assert KEPT in restored and MORE in restored, restored
    expect(page.locator("#editor-announce")).to_contain_text("Problem description")

    # And what the page now holds is what a reload offers back.
    page.reload()
    restore_button(page).click()
    assert problem(page).input_value() == restored
    expect(proposal(page)).to_have_value(TYPED)


def test_discarding_keeps_text_typed_while_the_banner_is_shown(context, page, sign_in, alice, spec):
    sign_in(alice)
    leave_text_behind(context, spec)
    open_with_banner(page, spec)
    problem(page).press_sequentially(TYPED)

    page.locator("#draft-banner").get_by_role("button", name="Discard").click()
    expect(page.locator("#draft-banner")).to_have_count(0)
    expect(problem(page)).to_have_value(TYPED)

    page.reload()
    restore_button(page).click()
    expect(problem(page)).to_have_value(TYPED)


def test_discarding_after_a_reload_still_offers_the_text_typed_alone(context, page, sign_in, alice, spec):
    sign_in(alice)
    leave_text_behind(context, spec)
    open_with_banner(page, spec)
    proposal(page).press_sequentially(TYPED)
    page.reload()

    # The first offer is both texts together; discarding it leaves what was typed on offer.
    banner = page.locator("#draft-banner")
    expect(banner).to_contain_text("typed while")
    banner.get_by_role("button", name="Discard").click()
    expect(banner).to_be_visible()
    expect(banner).not_to_contain_text("typed while")
    restore_button(page).click()
    expect(banner).to_have_count(0)
    expect(problem(page)).to_have_value("")
    expect(proposal(page)).to_have_value(TYPED)


def test_saving_while_the_banner_is_shown_keeps_the_offered_text(context, page, sign_in, alice, spec):
    sign_in(alice)
    leave_text_behind(context, spec)
    open_with_banner(page, spec)
    proposal(page).press_sequentially(TYPED)
    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_text("Saved your changes.")).to_be_visible()

    # What was typed is saved; the text the banner offered is offered still.
    page.goto(edit_url(spec))
    expect(proposal(page)).to_have_value(TYPED)
    restore_button(page).click()
    expect(problem(page)).to_have_value(KEPT)
    expect(proposal(page)).to_have_value(TYPED)
