"""Votes: -1, 0, +1 for everyone signed in; -2, +2 for core reviewers; reset on a new revision but -2."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from specs_app.review import selectors as review_selectors
from specs_app.review import services as review_services
from tests.review_world import submit, write


def votes(spec):
    return {vote.reviewer.get_username(): vote.vote for vote in review_selectors.current_votes(spec)}


@pytest.mark.parametrize("value", [-1, 0, 1])
def test_anyone_signed_in_votes_minus_one_to_plus_one(in_review, bob, value):
    review_services.publish_review(actor=bob, spec=in_review, vote=value, message="Read it.")
    assert votes(in_review) == {"bob": value}


@pytest.mark.parametrize("value", [-2, 2])
def test_only_core_reviewers_vote_two(in_review, bob, core, value):
    with pytest.raises(PermissionDenied, match="core reviewers"):
        review_services.publish_review(actor=bob, spec=in_review, vote=value)
    review_services.publish_review(actor=core, spec=in_review, vote=value)
    assert votes(in_review) == {"dave": value}


@pytest.mark.parametrize("value", ["3", "+5", "abc", "", 1.5])
def test_a_bad_vote_is_refused_clearly(in_review, bob, value):
    with pytest.raises(ValidationError, match="one of -2, -1, 0"):
        review_services.publish_review(actor=bob, spec=in_review, vote=value, message="x")


def test_the_page_refuses_a_bad_vote_with_a_400(in_review, bob_client):
    response = bob_client.post(
        f"/p/cinder/{in_review.slug}/review/publish/", {"vote": "seven", "message": "x"}
    )
    assert response.status_code == 400
    assert b"one of -2, -1, 0" in response.content


def test_votes_reset_on_a_new_revision_but_a_minus_two_sticks(in_review, alice, bob, core):
    review_services.publish_review(actor=bob, spec=in_review, vote=1)
    review_services.publish_review(actor=core, spec=in_review, vote=-2, message="Not this way.")
    spec = write(in_review, alice, use_cases="Changed.")
    submit(spec, alice)
    current = review_selectors.current_votes(spec)
    assert [(vote.reviewer.get_username(), vote.vote, vote.sticky) for vote in current] == [
        ("dave", -2, True)
    ]


def test_a_minus_two_goes_when_its_author_changes_it(in_review, alice, core):
    review_services.publish_review(actor=core, spec=in_review, vote=-2)
    spec = write(in_review, alice, use_cases="Changed.")
    submit(spec, alice)
    review_services.publish_review(actor=core, spec=spec, vote=1)
    assert votes(spec) == {"dave": 1}


def test_the_latest_vote_of_a_reviewer_counts(in_review, bob):
    review_services.publish_review(actor=bob, spec=in_review, vote=-1)
    review_services.publish_review(actor=bob, spec=in_review, vote=1)
    assert votes(in_review) == {"bob": 1}


def test_an_empty_review_is_refused(in_review, bob):
    with pytest.raises(ValidationError, match="Nothing to publish"):
        review_services.publish_review(actor=bob, spec=in_review, vote=0)


def test_a_draft_spec_takes_no_review(spec, bob):
    with pytest.raises(ValidationError, match="in review"):
        review_services.publish_review(actor=bob, spec=spec, vote=1)
