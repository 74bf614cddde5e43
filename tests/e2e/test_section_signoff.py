"""Section sign-off in Chromium: the panel lists each owned section; a group member's +1 signs it off."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from specs_app.models import SectionOwner
from tests.review_world import plus_two, refresh, submit, write

from .pages import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def owned(in_review, alice, project, security, carol, core, second_core):
    """Security impact (security), REST API impact written "None" (api), Documentation Impact (docs);
    revision 2 has its two +2s, so only the sign-offs are missing."""
    for name, title in (("api", "REST API impact"), ("docs", "Documentation Impact")):
        group = Group.objects.create(name=name)
        group.user_set.add(carol)
        SectionOwner.objects.create(project=project, section_title=title, group=group)
    spec = write(
        in_review,
        alice,
        rest_api_impact="None.",
        security_impact="The attachment token is stored hashed; nothing new is logged.",
    )
    submit(spec, alice, "Say what the change means for security.")
    spec = refresh(spec)
    plus_two(spec, core, second_core)
    return spec


def test_a_group_members_plus_one_signs_a_section_off(page, sign_in, sam, owned):
    sign_in(sam)
    page.goto(f"/p/cinder/{owned.slug}/")

    rows = page.locator("#section-signoff .signoff")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text="REST API impact")).to_contain_text("not needed (None)")
    expect(rows.filter(has_text="Security impact")).to_contain_text("needs sign-off from security")
    missing = page.locator("#approval-missing li")
    expect(missing.filter(has_text="Security impact")).to_have_text(
        "a +1 on Security impact from a member of security (or the section written as None)"
    )

    page.get_by_label("+1").check()
    page.get_by_label("Message", exact=True).fill("No new secrets; the token is hashed.")
    page.get_by_role("button", name="Publish review").click()

    rows = page.locator("#section-signoff .signoff")
    expect(rows.filter(has_text="Security impact")).to_contain_text("signed off by sam (security)")
    expect(rows.filter(has_text="Documentation Impact")).to_contain_text("needs sign-off from docs")
    expect(page.locator("#approval-missing li").filter(has_text="Security impact")).to_have_count(0)

    # What approval still needs and the rule, then the panel below them.
    page.evaluate("document.getElementById('approval-missing').scrollIntoView({block: 'start'})")
    screenshot(page, "section-sign-off")

    page.get_by_role("link", name="Who owns which section").click()
    expect(page.locator("table.section-owners tbody tr")).to_have_count(3)
