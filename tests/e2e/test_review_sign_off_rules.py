"""Issue 15, item 4: the owner alone cannot sign off his own spec, even as a core reviewer.

In Chromium with four people: the owner (a core reviewer too) is offered no +2, no
Approve and no Resolve on a reviewer's thread, and is told the project's rule; two
other core reviewers +2, the thread's opener resolves it, and only then may a core
reviewer who is not an author approve and merge.
"""

import pytest
from playwright.sync_api import expect

from specs_app.models import Spec, SpecStatus
from specs_app.review import services as review_services
from tests.review_world import comment_on

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUESTION = "Which scheduler filter?"


def _vote(page, value: str, message: str) -> None:
    page.locator(".review-form--publish").get_by_label(value, exact=True).check()
    page.get_by_label("Message", exact=True).fill(message)
    page.get_by_role("button", name="Publish review").click()
    expect(page.get_by_text("Published your review.")).to_be_visible()


def test_sign_off_takes_two_other_core_reviewers_and_the_openers_resolve(
    page, sign_in, alice, bob, core, second_core, project, in_review
):
    spec = in_review
    project.core_reviewers.add(alice)
    comment_on(spec, bob, "The scheduler does not know", body=QUESTION)
    review_services.publish_review(actor=bob, spec=spec, vote=1, message="One question.")
    url = f"/p/cinder/{spec.slug}/"
    panel = page.locator(".review-panel")
    approval = page.locator("#approval-missing")
    thread = panel.locator(".thread").filter(has_text=QUESTION)

    # The owner, a core reviewer: -2..+1 but no +2, no Approve, no Resolve on bob's thread; the rule is shown.
    sign_in(alice)
    page.goto(url)
    votes = panel.locator(".review-form--publish input[name=vote]")
    expect(votes).to_have_count(4)
    expect(panel.locator(".review-form--publish input[name=vote][value='2']")).to_have_count(0)
    expect(panel.get_by_role("button", name="Approve")).to_have_count(0)
    expect(thread.get_by_role("button", name="Resolve")).to_have_count(0)
    expect(approval).to_contain_text("a +2 from 2 core reviewers other than the spec's authors (0 so far)")
    expect(approval.locator(".approval__rule")).to_contain_text(
        "Approval takes a +2 from 2 core reviewers other than the spec's authors"
    )

    # One other core reviewer's +2 is not enough.
    sign_in(core)
    page.goto(url)
    _vote(page, "+2", "Good.")
    expect(approval).to_contain_text("(1 so far: dave)")
    expect(panel.get_by_role("button", name="Approve")).to_be_disabled()

    # The second: now only bob's open thread stands in the way.
    sign_in(second_core)
    page.goto(url)
    _vote(page, "+2", "Good too.")
    expect(approval).to_contain_text("1 unresolved thread to resolve")
    expect(approval).not_to_contain_text("so far")

    # Bob, who opened the thread, resolves it.
    sign_in(bob)
    page.goto(url)
    thread.get_by_role("button", name="Resolve").click()
    expect(thread).to_contain_text("Resolved")

    # A core reviewer who is not an author approves and merges.
    sign_in(core)
    page.goto(url)
    expect(approval).to_contain_text("Ready to approve: +2 from dave, erin")
    panel.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Approved the spec.")).to_be_visible()
    panel.get_by_role("button", name="Mark merged").click()
    expect(page.get_by_text("Marked the spec merged.")).to_be_visible()
    assert Spec.objects.get(pk=spec.pk).status == SpecStatus.MERGED
