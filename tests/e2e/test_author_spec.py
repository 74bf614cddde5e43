"""Writing a spec in the browser: from the template, with the live preview, diagnostics and gate."""

import re

import pytest
from playwright.sync_api import expect

from .pages import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LONG_LINE = "Operators " + "cannot see how much capacity is promised to thin volumes " * 2
PROBLEM = "Operators cannot see how much of a pool's capacity is promised to thin volumes."
# Line 4 of the field: a bullet list that ends without the blank line RST needs.
BROKEN_PROPOSAL = "Report the ratio from every driver.\n\n* in ``cinder get-pools``\nand in the API.\n"


def section_block(page, title):
    """The editor's block (label, field, diagnostics) for a section."""
    return page.locator(".editor-field").filter(has=page.get_by_label(title, exact=True)).first


def test_it_writes_a_spec_from_the_template(page, sign_in, alice, project):
    sign_in(alice)
    page.goto("/p/cinder/")
    page.get_by_role("link", name="New spec").click()
    page.get_by_label("Title").fill("Report capacity headroom")
    page.get_by_label("Blueprint URL").fill("https://blueprints.launchpad.net/cinder/+spec/capacity-headroom")
    page.get_by_label("Release").fill("2026.1")
    page.get_by_role("button", name="Create spec").click()

    # One field per template section, its guidance folded away.
    expect(page).to_have_url(re.compile(r"/p/cinder/capacity-headroom/edit/$"))
    for title in ("Problem description", "Use Cases", "Proposed change", "Alternatives"):
        expect(page.get_by_label(title, exact=True)).to_be_visible()
    guidance = section_block(page, "Problem description").locator("details.guidance")
    expect(guidance).not_to_have_attribute("open", "")
    expect(guidance.locator(".guidance__body")).to_be_hidden()

    # Typing updates the preview beside the fields.
    problem = page.get_by_label("Problem description", exact=True)
    problem.fill(LONG_LINE)
    preview = page.locator("#preview")
    expect(preview).to_contain_text("promised to thin volumes")
    badge = page.locator("#gate-badge")
    expect(badge).to_contain_text("Gate fails")
    page.locator("#gate-summary summary").click()
    expect(page.locator("#gate-findings")).to_contain_text("Problem description, line 1")
    page.keyboard.press("Escape")

    problem.fill(PROBLEM)
    expect(preview).to_contain_text(PROBLEM)
    expect(badge).to_contain_text("Gate passes")

    # An RST error is reported beside its field, at its line within the field.
    proposal = page.get_by_label("Proposed change", exact=True)
    proposal.fill(BROKEN_PROPOSAL)
    diagnostics = section_block(page, "Proposed change").locator(".diagnostics")
    expect(diagnostics).to_be_visible()
    expect(diagnostics).to_contain_text("Line 4")
    expect(diagnostics).to_contain_text("Bullet list ends without a blank line")
    expect(section_block(page, "Problem description").locator(".diagnostics")).to_be_hidden()
    diagnostics.get_by_role("button", name="Line 4").click()
    expect(proposal).to_be_focused()
    proposal.evaluate("element => element.scrollIntoView({block: 'center'})")
    screenshot(page, "editor")

    proposal.fill(BROKEN_PROPOSAL.replace("\nand in", "\n\nAnd in"))
    expect(diagnostics).to_be_hidden()
    expect(badge).to_contain_text("Gate passes")

    # The preview follows the field being edited.
    page.get_by_label("Alternatives", exact=True).focus()
    heading = preview.get_by_role("heading", name="Alternatives")
    expect(heading).to_be_in_viewport()
    assert preview.evaluate("element => element.scrollTop") > 0

    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_text("Saved your changes.")).to_be_visible()
    expect(page.locator(".spec-document")).to_contain_text(PROBLEM)

    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".review-panel")).to_contain_text("revision 1")
    expect(page.locator(".page-header__meta .status")).to_have_text("In review")
