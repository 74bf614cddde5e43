"""Re-proposing a spec for the next release from its page, and reading the lineage on the new one."""

import pytest
from playwright.sync_api import expect

from specs_app.models import Spec

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_it_re_proposes_a_spec_and_lists_both_releases(page, live_server, sign_in, bob, in_review):
    sign_in(bob)
    page.goto(f"/p/cinder/{in_review.slug}/")

    lineage = page.locator("#lineage")
    expect(lineage.get_by_label("Re-propose for release")).to_have_value("2026.2")
    lineage.get_by_role("button", name="Re-propose").click()

    new = Spec.objects.get(release="2026.2")
    expect(page).to_have_url(f"{live_server.url}/p/cinder/{new.slug}/")
    expect(page.get_by_text("Re-proposed “Volume multi-attach” for 2026.2 from 2026.1")).to_be_visible()
    expect(page.locator(".page-header .eyebrow")).to_have_text("specs/2026.2/multi-attach.rst")

    items = page.locator("#lineage .lineage__item")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("2026.1")
    expect(items.nth(0)).to_contain_text("In review")
    expect(items.nth(0)).to_contain_text("1 revision")
    expect(items.nth(1)).to_contain_text("2026.2")
    expect(items.nth(1)).to_contain_text("Draft")
    expect(page.locator("#lineage .lineage__origin")).to_have_text("Re-proposed from 2026.1.")

    page.get_by_role("link", name="Changes since 2026.1").click()
    expect(page.get_by_role("heading", name="2026.1 → 2026.2")).to_be_visible()
    expect(page.get_by_text("0 sections changed")).to_be_visible()

    page.go_back()
    items.nth(0).get_by_role("link", name="2026.1").click()
    expect(page.locator("#lineage .lineage__item--current")).to_contain_text("2026.1")
    expect(page.locator("#lineage .lineage__item").nth(1)).to_contain_text("2026.2")
