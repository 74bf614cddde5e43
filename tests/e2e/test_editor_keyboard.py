"""The editor by keyboard alone: fields, saving, the shortcuts and their help dialog."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def tab_until(page, predicate: str, limit: int = 80) -> None:
    """Press Tab until ``predicate`` (JavaScript over ``el``, the focused element) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return Boolean({predicate}); }})()"):
            return
    raise AssertionError(f"Tab never reached {predicate}")


def test_it_edits_and_saves_by_keyboard_alone(page, sign_in, alice, spec):
    sign_in(alice)
    page.goto(f"/p/cinder/{spec.slug}/edit/")

    tab_until(page, "el.labels && el.labels[0] && el.labels[0].textContent.trim() === 'Problem description'")
    # Focus is visible: the browser draws the focus ring for keyboard focus.
    assert page.evaluate("document.activeElement.matches(':focus-visible')")
    page.keyboard.type("Typed without a mouse.")
    tab_until(page, "el.tagName === 'BUTTON' && el.value === 'save'")
    page.keyboard.press("Enter")

    expect(page.get_by_text("Saved your changes.")).to_be_visible()
    expect(page.locator(".spec-document")).to_contain_text("Typed without a mouse.")


def test_it_opens_and_closes_the_shortcuts_by_keyboard(page, sign_in, alice, spec):
    sign_in(alice)
    page.goto(f"/p/cinder/{spec.slug}/edit/")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")

    # "?" in a text field is just a question mark.
    field = page.get_by_label("Problem description", exact=True)
    field.focus()
    page.keyboard.type("Why?")
    expect(dialog).to_be_hidden()
    expect(field).to_have_value("Why?")

    # Outside a field it opens the help, a modal dialog that keeps Tab inside.
    page.locator("main").focus()
    page.keyboard.press("?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Alt+Shift+N")
    for _ in range(3):
        page.keyboard.press("Tab")
        assert page.evaluate("document.getElementById('shortcuts-dialog').contains(document.activeElement)")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.locator("main")).to_be_focused()

    # The visible button does the same, and Close gives focus back to it.
    opener = page.get_by_role("button", name="Keyboard shortcuts")
    opener.focus()
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Close")).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()


def test_it_hides_and_shows_the_preview_with_alt_shift_v(page, sign_in, alice, spec):
    sign_in(alice)
    page.goto(f"/p/cinder/{spec.slug}/edit/")
    field = page.get_by_label("Problem description", exact=True)
    field.focus()
    preview = page.locator(".preview-pane")
    expect(preview).to_be_visible()

    page.keyboard.press("Alt+Shift+V")
    expect(preview).to_be_hidden()
    expect(field).to_have_value("")  # the shortcut typed nothing
    page.keyboard.press("Alt+Shift+V")
    expect(preview).to_be_visible()
