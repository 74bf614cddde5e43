"""GET /api/v1/specs/<spec>/reviews/ keeps every review after votes reset, saying whether each counts."""

from __future__ import annotations

import pytest

from specs_app.models import Vote
from specs_app.review import services as review_services
from tests.review_world import refresh, submit, write


@pytest.fixture
def url(url):
    return lambda spec: url(spec, "reviews/")


def test_reviews_of_earlier_revisions_stay_listed_with_their_standing(api, in_review, alice, bob, core, url):
    review_services.publish_review(actor=bob, spec=in_review, vote=-1, message="Needs work.")
    review_services.publish_review(actor=bob, spec=in_review, vote=1, message="Now fine.")
    review_services.publish_review(actor=core, spec=in_review, vote=Vote.BLOCK, message="Not this cycle.")
    spec = write(refresh(in_review), alice, use_cases="Clustered file systems.")
    submit(spec, alice, "Use cases")

    response = api.get(url(spec))

    assert response.status_code == 200
    assert [
        (item["reviewer"], item["vote"], item["message"], item["revision"], item["standing"])
        for item in response.json()
    ] == [
        ("bob", -1, "Needs work.", 1, "replaced"),
        ("bob", 1, "Now fine.", 1, "reset"),
        ("dave", -2, "Not this cycle.", 1, "counts"),
    ]


def test_a_review_just_published_counts(api_as, in_review, bob, url):
    response = api_as(bob).post(url(in_review), {"vote": 1, "message": "Fine."}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["standing"] == "counts"
