"""The review history in Chromium: who voted what on which revision, with the message, kept after reset."""

import re

import pytest
from playwright.sync_api import expect

from specs_app.models import Spec, Vote
from specs_app.review import services as review_services
from tests.review_world import comment_on, submit, write

from .pages import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reviewed(in_review, alice, bob, core):
    """Two revisions: bob's -1 and dave's +1 on the first, bob's +1 on the second."""
    comment_on(in_review, bob, "The scheduler does not know", body="Which back ends can share one?")
    review_services.publish_review(
        actor=bob, spec=in_review, vote=-1, message="Say which back ends report the capability."
    )
    review_services.publish_review(actor=core, spec=in_review, vote=Vote.PLUS_ONE, message="Fine by me.")
    spec = write(
        in_review, alice, use_cases="Clustered file systems on LVM and Ceph RBD back ends that report it."
    )
    submit(spec, alice, "Name the back ends that report multiattach.")
    spec = Spec.objects.get(pk=spec.pk)
    review_services.publish_review(actor=bob, spec=spec, vote=1, message="Answered, thanks.")
    return spec


def test_the_spec_page_keeps_every_review_after_the_votes_reset(page, sign_in, alice, reviewed):
    sign_in(alice)
    page.goto(f"/p/cinder/{reviewed.slug}/")

    history = page.locator(".review-panel .review-history")
    revisions = history.locator(".review-history__revision")
    expect(revisions).to_have_count(2)
    newest, first = revisions.nth(0), revisions.nth(1)
    expect(newest.locator(".review-history__head")).to_contain_text("Revision 2")
    expect(newest).to_contain_text("Name the back ends that report multiattach.")
    bob_now = newest.locator(".review-history__entry").filter(has_text="bob")
    expect(bob_now.locator(".vote")).to_have_text("+1")
    expect(bob_now).to_contain_text("Answered, thanks.")
    expect(bob_now.locator(".badge")).to_have_count(0)

    earlier = first.locator(".review-history__entry")
    expect(earlier).to_have_count(2)
    expect(earlier.nth(0).locator(".vote")).to_have_text("-1")
    expect(earlier.nth(0)).to_contain_text("Say which back ends report the capability.")
    expect(earlier.nth(0)).to_contain_text("reset by a newer revision")
    expect(earlier.nth(0).get_by_role("link", name="1 comment")).to_be_visible()
    expect(earlier.nth(1)).to_contain_text("dave")
    expect(earlier.nth(1)).to_contain_text("Fine by me.")

    # The history at the top of the shot, the review panel's status and votes just above it.
    page.evaluate(
        "document.getElementById('review-history').scrollIntoView({block: 'start'}); window.scrollBy(0, -160)"
    )
    screenshot(page, "review-history")

    earlier.nth(0).get_by_role("link", name="1 comment").click()
    expect(page).to_have_url(re.compile(rf"/p/cinder/{reviewed.slug}/revisions/1/$"))
    on_revision = page.locator(".review-history-panel .review-history__entry")
    expect(on_revision).to_have_count(2)
    expect(on_revision.first).to_contain_text("Say which back ends report the capability.")


def test_the_compare_page_shows_what_reviewers_said(page, sign_in, bob, reviewed):
    sign_in(bob)
    page.goto(f"/p/cinder/{reviewed.slug}/revisions/compare/?old=1&new=2")
    panel = page.locator(".review-history-panel")
    expect(panel.locator("summary")).to_have_text("Reviews of revisions 1 to 2")
    expect(panel.locator(".review-history__entry")).to_have_count(3)
    expect(panel).to_contain_text("Say which back ends report the capability.")
    expect(panel).to_contain_text("Answered, thanks.")


def test_the_dashboard_shows_the_latest_review_message(page, sign_in, alice, reviewed):
    sign_in(alice)
    page.goto("/dashboard/")
    cell = page.locator("#mine-heading ~ .table-wrap td.latest-review")
    expect(cell).to_contain_text("bob")
    expect(cell).to_contain_text("Answered, thanks.")
    cell.get_by_role("link").click()
    expect(page.locator(".review-history__entry").filter(has_text="Answered, thanks.")).to_be_visible()
