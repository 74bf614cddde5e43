"""The dashboard: my specs, specs waiting for my review, unresolved threads per spec and section."""

from specs_app.review import selectors as review_selectors
from specs_app.review import services as review_services
from tests.helpers import html_tree
from tests.review_world import comment_on, submit, write


def titles(rows):
    return [row.spec.title for row in rows]


def test_a_core_reviewer_sees_specs_in_review_until_they_vote(in_review, core, alice):
    assert titles(review_selectors.dashboard(core).to_review) == ["Volume multi-attach"]
    review_services.publish_review(actor=core, spec=in_review, vote=1)
    assert review_selectors.dashboard(core).to_review == []
    spec = write(in_review, alice, use_cases="New.")
    submit(spec, alice)
    assert titles(review_selectors.dashboard(core).to_review) == ["Volume multi-attach"]


def test_a_commenter_sees_it_and_a_stranger_does_not(in_review, bob, carol):
    assert review_selectors.dashboard(bob).to_review == []
    comment_on(in_review, bob, "The scheduler does not know")
    # A draft does not count until it is published.
    assert review_selectors.dashboard(bob).to_review == []
    review_services.publish_review(actor=bob, spec=in_review, vote=0, message="")
    assert review_selectors.dashboard(bob).to_review == []  # voted 0 on the latest revision
    assert review_selectors.dashboard(carol).to_review == []


def test_my_specs_count_unresolved_threads_per_section(in_review, alice, bob):
    comment_on(in_review, bob, "The scheduler does not know")
    comment_on(in_review, bob, "multiattach capability")
    review_services.add_comment(actor=bob, spec=in_review, body="Overall fine.")
    review_services.publish_review(actor=bob, spec=in_review, vote=1)
    [row] = review_selectors.dashboard(alice).my_specs
    assert row.unresolved == 3
    assert row.unresolved_by_section == [
        ("Whole spec", 1),
        ("Problem description", 1),
        ("Proposed change", 1),
    ]


def test_the_page_needs_a_sign_in_and_shows_both_lists(in_review, core, client, password):
    assert client.get("/dashboard/").status_code == 302
    from tests.helpers import client_for

    page = html_tree(client_for(core, password).get("/dashboard/").content)
    assert "Volume multi-attach" in page.find("section", id="to-review").text
