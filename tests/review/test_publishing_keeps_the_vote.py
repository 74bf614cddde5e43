"""Publishing a review without a vote (replies, a message) keeps the reviewer's current vote."""

import pytest
from django.core.exceptions import ValidationError

from specs_app.review import selectors as review_selectors
from specs_app.review import services as review_services
from tests.review_world import comment_on, submit, write


def votes(spec):
    return {vote.reviewer.get_username(): vote.vote for vote in review_selectors.current_votes(spec)}


@pytest.fixture
def thread(in_review, bob):
    comment = comment_on(in_review, bob, "The scheduler does not know", body="Which scheduler?")
    review_services.publish_review(actor=bob, spec=in_review, vote=1)
    return comment


def test_publishing_a_reply_without_a_vote_keeps_it(thread, in_review, bob):
    review_services.reply_to_comment(actor=bob, comment=thread, body="Answered, thanks.")
    review = review_services.publish_review(actor=bob, spec=in_review)
    assert review.vote == 1
    assert votes(in_review) == {"bob": 1}


def test_a_message_without_a_vote_keeps_a_core_reviewers_plus_two(in_review, core):
    review_services.publish_review(actor=core, spec=in_review, vote=2)
    review_services.publish_review(actor=core, spec=in_review, message="Still fine.")
    assert votes(in_review) == {"dave": 2}


def test_a_given_vote_still_changes_it(thread, in_review, bob):
    review_services.publish_review(actor=bob, spec=in_review, vote=0, message="On second thought.")
    assert votes(in_review) == {"bob": 0}


def test_without_a_vote_on_a_new_revision_it_is_zero(thread, in_review, alice, bob):
    spec = write(in_review, alice, use_cases="Changed.")
    submit(spec, alice)
    review = review_services.publish_review(actor=bob, spec=spec, message="Looking again.")
    assert review.vote == 0


def test_nothing_but_a_kept_vote_is_nothing_to_publish(thread, in_review, bob):
    with pytest.raises(ValidationError, match="Nothing to publish"):
        review_services.publish_review(actor=bob, spec=in_review)


def test_the_vote_form_starts_at_the_current_vote(thread, in_review, bob_client):
    page = bob_client.get(in_review.get_absolute_url()).content.decode()
    assert '<input type="radio" name="vote" value="1" checked>' in page
    assert '<input type="radio" name="vote" value="0" checked>' not in page


def test_the_page_publishes_a_reply_without_a_vote_and_keeps_it(thread, in_review, bob, bob_client):
    review_services.reply_to_comment(actor=bob, comment=thread, body="Answered, thanks.")
    response = bob_client.post(f"/p/cinder/{in_review.slug}/review/publish/", {"message": ""})
    assert response.status_code == 302
    assert votes(in_review) == {"bob": 1}
