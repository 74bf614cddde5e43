"""POST reviews/ without "vote" keeps the reviewer's current vote; with one, it changes it."""

from __future__ import annotations

import pytest

from specs_app.review import selectors as review_selectors
from specs_app.review import services as review_services
from tests.review_world import comment_on


@pytest.fixture
def url(url):
    return lambda spec: url(spec, "reviews/")


@pytest.fixture
def thread(in_review, bob):
    comment = comment_on(in_review, bob, "The scheduler does not know", body="Which scheduler?")
    review_services.publish_review(actor=bob, spec=in_review, vote=-1)
    return comment


def test_a_review_without_a_vote_keeps_the_current_one(api_as, in_review, bob, thread, url):
    review_services.reply_to_comment(actor=bob, comment=thread, body="Answered, thanks.")
    response = api_as(bob).post(url(in_review), {"message": "Replied."}, format="json")
    assert response.status_code == 201
    assert (response.json()["vote"], response.json()["comment_count"]) == (-1, 1)
    assert [(v.reviewer.get_username(), v.vote) for v in review_selectors.current_votes(in_review)] == [
        ("bob", -1)
    ]


def test_a_review_with_a_vote_changes_it(api_as, in_review, bob, thread, url):
    response = api_as(bob).post(url(in_review), {"vote": 0, "message": "Fine now."}, format="json")
    assert (response.status_code, response.json()["vote"]) == (201, 0)
