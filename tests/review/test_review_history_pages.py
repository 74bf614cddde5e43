"""Where a review's message is shown: the spec page, revision and compare pages, dashboard, notifications."""

import pytest

from specs_app.review import services as review_services
from tests.helpers import client_for, html_tree
from tests.review_world import refresh, submit, write


@pytest.fixture
def reviewed(in_review, alice, bob):
    """Bob's -1 with a message on revision 1, then revision 2 (which resets it) and his +1 there."""
    review_services.publish_review(actor=bob, spec=in_review, vote=-1, message="Which back ends?")
    spec = write(refresh(in_review), alice, use_cases="Clustered file systems.")
    submit(spec, alice, "Name the back ends")
    spec = refresh(spec)
    review_services.publish_review(actor=bob, spec=spec, vote=1, message="Answered, thanks.")
    return spec


def entries(content):
    """Each review shown: (its revision, vote, reviewer, message, standing badge)."""
    found = []
    for group in html_tree(content).find_all("li", class_="review-history__revision"):
        head = group.find("p", class_="review-history__head")  # not on a revision's own page
        revision = head.find("a").text if head else None
        for entry in group.find_all("li", class_="review-history__entry"):
            message = entry.find("div", class_="review-history__message")
            badge = entry.find("span", class_="badge")
            found.append(
                (
                    revision,
                    entry.find("span", class_="vote").text,
                    entry.find("strong").text,
                    message.text if message else "",
                    badge.text if badge else "",
                )
            )
    return found


def test_the_spec_page_shows_every_review_kept_after_votes_reset(client, reviewed):
    page = client.get(f"/p/cinder/{reviewed.slug}/").content
    assert entries(page) == [
        ("Revision 2", "+1", "bob", "Answered, thanks.", ""),
        ("Revision 1", "-1", "bob", "Which back ends?", "reset by a newer revision"),
    ]
    tree = html_tree(page)
    assert "Name the back ends" in tree.find("ol", class_="review-history").text


def test_a_revision_page_shows_the_reviews_of_that_revision(client, reviewed):
    page = client.get(f"/p/cinder/{reviewed.slug}/revisions/1/").content
    assert entries(page) == [(None, "-1", "bob", "Which back ends?", "reset by a newer revision")]
    assert html_tree(page).find("summary", class_="panel__title").text == "Reviews of revision 1"


def test_the_compare_page_shows_the_reviews_of_the_compared_revisions(client, reviewed):
    page = client.get(f"/p/cinder/{reviewed.slug}/revisions/compare/?old=1&new=2").content
    assert [entry[:4] for entry in entries(page)] == [
        ("Revision 2", "+1", "bob", "Answered, thanks."),
        ("Revision 1", "-1", "bob", "Which back ends?"),
    ]


def test_the_dashboard_shows_the_latest_review_and_its_message(reviewed, alice, password):
    page = html_tree(client_for(alice, password).get("/dashboard/").content)
    cell = page.find("td", class_="latest-review")
    assert "+1 bob" in " ".join(cell.text.split())
    assert "on revision 2" in cell.text
    assert cell.find("p", class_="latest-review__message").text == "Answered, thanks."
    assert cell.find("a").attrs["href"].startswith(f"/p/cinder/{reviewed.slug}/#review-")


def test_the_notifications_show_the_review_message(reviewed, alice, password):
    page = html_tree(client_for(alice, password).get("/notifications/").content)
    messages = [node.text for node in page.find_all("p", class_="notification__review")]
    assert messages == ["Answered, thanks.", "Which back ends?"]


def test_a_message_is_shown_as_text_never_as_html(in_review, bob, client):
    review_services.publish_review(actor=bob, spec=in_review, vote=0, message="<script>alert(1)</script>")
    content = client.get(f"/p/cinder/{in_review.slug}/").content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
