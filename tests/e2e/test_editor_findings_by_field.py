"""The gate's findings on a section's lines show under that section's field, as diagnostics do."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LONG_LINE = "Operators " + "cannot see how much capacity is promised to thin volumes " * 2


def section_block(page, title):
    return page.locator(".editor-field").filter(has=page.get_by_label(title, exact=True)).first


def test_a_long_line_finding_shows_under_its_field(page, sign_in, alice, spec):
    sign_in(alice)
    page.goto(f"/p/cinder/{spec.slug}/edit/")
    page.get_by_label("Use Cases", exact=True).fill(LONG_LINE)
    expect(page.locator("#gate-badge")).to_contain_text("Gate fails")

    findings = section_block(page, "Use Cases").locator("[data-findings-for]")
    expect(findings).to_be_visible()
    expect(findings).to_contain_text("Line 1")
    expect(findings).to_contain_text("the limit is 79")
    expect(section_block(page, "Problem description").locator("[data-findings-for]")).to_be_hidden()

    findings.get_by_role("button", name="Line 1").click()
    expect(page.get_by_label("Use Cases", exact=True)).to_be_focused()

    page.get_by_label("Use Cases", exact=True).fill("Operators plan capacity.")
    expect(page.locator("#gate-badge")).to_contain_text("Gate passes")
    expect(findings).to_be_hidden()
