"""Whose turn, in the browser: submitted, the reviewer's; after a -1, the author's; then handed on."""

import re

import pytest
from playwright.sync_api import expect

from tests.review_world import PROBLEM, PROPOSAL, write

from .pages import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_turn_goes_from_reviewer_to_author_and_is_handed_on(page, sign_in, core, alice, spec):
    write(spec, alice, problem_description=PROBLEM, proposed_change=PROPOSAL)
    spec_url = f"/p/cinder/{spec.slug}/"

    # The author submits: the spec waits for the core reviewer, not for her.
    sign_in(alice)
    page.goto(spec_url)
    page.get_by_role("button", name="Submit for review").click()
    waiting = page.locator("#attention")
    expect(waiting.locator(".attention__person")).to_have_count(1)
    expect(waiting).to_contain_text("dave")
    expect(waiting).to_contain_text("(revision 1 to review)")

    # The reviewer's dashboard lists it first, under "Your turn", saying so in words.
    sign_in(core)
    page.goto("/dashboard/")
    turn = page.locator("#your-turn")
    expect(turn.get_by_role("link", name="Volume multi-attach")).to_be_visible()
    expect(turn.locator(".turn-badge")).to_contain_text("Your turn: revision 1 to review")

    # A -1 ends the reviewer's turn and makes it the author's.
    turn.get_by_role("link", name="Volume multi-attach").click()
    page.get_by_label("-1").check()
    page.get_by_label("Message", exact=True).fill("Name the back ends that can share a volume.")
    page.get_by_role("button", name=re.compile("^Publish review")).click()
    people = page.locator("#attention .attention__person")
    expect(people).to_have_count(1)
    expect(people).to_have_attribute("data-username", "alice")
    expect(people).to_contain_text("(-1 from dave)")
    page.goto("/dashboard/")
    expect(page.locator("#your-turn")).to_contain_text("Nothing waits for you.")

    sign_in(alice)
    page.goto("/dashboard/")
    expect(page.locator("#your-turn .turn-badge")).to_contain_text("Your turn: -1 from dave")
    screenshot(page, "attention-dashboard")

    # She hands her turn on to the reviewer with a reason, by the plain form.
    page.goto(spec_url)
    form = page.locator(".attention__form")
    form.get_by_label("Hand your turn on to").select_option("dave")
    form.get_by_label("Why (optional)").fill("Which back ends do you mean?")
    form.get_by_role("button", name="Hand on").click()
    people = page.locator("#attention .attention__person")
    expect(people).to_have_count(1)
    expect(people).to_have_attribute("data-username", "dave")
    expect(people).to_contain_text("handed on by alice: Which back ends do you mean?")

    # And dave is told, and finds it under "Your turn" again.
    sign_in(core)
    page.goto("/dashboard/")
    expect(page.locator("#your-turn .turn-badge")).to_contain_text("handed on by alice")
    page.goto("/notifications/")
    expect(page.get_by_text("Your turn on Volume multi-attach")).to_be_visible()
