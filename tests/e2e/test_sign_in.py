"""Signing in from the header, and landing back where one started."""

import pytest
from playwright.sync_api import expect

from specs_app.authoring import services
from specs_app.review import services as review_services

from .pages import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def more_specs(project, bob, spec, alice):
    """A list worth looking at: one spec in review, and one of bob's."""
    review_services.submit_revision(actor=alice, spec=spec, message="First draft")
    for title, slug in (("Backup to object storage", "backup-s3"), ("Per-tenant QoS limits", "tenant-qos")):
        services.create_spec(
            actor=bob,
            project=project,
            title=title,
            release="2026.2",
            blueprint_url=f"https://blueprints.launchpad.net/cinder/+spec/{slug}",
        )


def test_it_signs_in_and_returns_to_the_page(page, alice, password, spec, more_specs):
    page.goto("/p/cinder/")
    page.get_by_role("link", name="Sign in", exact=True).click()

    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url("/p/cinder/")
    header = page.locator(".site-header")
    expect(header.locator(".account__name")).to_have_text("alice")
    # The account area is one row of quiet buttons, links or not.
    for link in ("Dashboard", "Notifications", "API tokens"):
        expect(header.get_by_role("link", name=link)).to_have_class("button button--quiet button--small")
    for button in ("Keyboard shortcuts", "Sign out"):
        expect(header.get_by_role("button", name=button)).to_have_class("button button--quiet button--small")
    expect(page.get_by_role("link", name=spec.title)).to_be_visible()
    screenshot(page, "spec-list")


def test_it_refuses_a_wrong_password(page, alice):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator(".account__name")).to_have_count(0)
