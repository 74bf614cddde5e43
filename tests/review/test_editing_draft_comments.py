"""A draft comment or reply can be edited by its author until it is published; then it stays."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from specs_app.models import Comment
from specs_app.review import services as review_services
from tests.review_world import comment_on


@pytest.fixture
def draft(in_review, bob):
    return comment_on(in_review, bob, "The scheduler does not know", body="Which schedular?")


def test_the_author_edits_a_draft(draft, bob):
    edited = review_services.edit_draft_comment(actor=bob, comment=draft, body="  Which scheduler?\r\n")
    assert edited.body == "Which scheduler?"
    assert Comment.objects.get(pk=draft.pk).body == "Which scheduler?"


def test_the_author_edits_a_draft_reply(draft, in_review, alice, bob):
    review_services.publish_review(actor=bob, spec=in_review)
    reply = review_services.reply_to_comment(actor=alice, comment=draft, body="The filter shceduler.")
    review_services.edit_draft_comment(actor=alice, comment=reply, body="The filter scheduler.")
    assert Comment.objects.get(pk=reply.pk).body == "The filter scheduler."


@pytest.mark.parametrize("who", ["alice", "core"])
def test_nobody_else_edits_a_draft(draft, who, request):
    with pytest.raises(PermissionDenied, match="Only the comment's author"):
        review_services.edit_draft_comment(actor=request.getfixturevalue(who), comment=draft, body="Mine")
    assert Comment.objects.get(pk=draft.pk).body == "Which schedular?"


def test_a_published_comment_is_not_edited(draft, in_review, bob):
    review_services.publish_review(actor=bob, spec=in_review)
    with pytest.raises(ValidationError, match="published"):
        review_services.edit_draft_comment(actor=bob, comment=draft, body="Changed after the fact")
    assert Comment.objects.get(pk=draft.pk).body == "Which schedular?"


def test_an_empty_edit_is_refused(draft, bob):
    with pytest.raises(ValidationError, match="Write the comment first"):
        review_services.edit_draft_comment(actor=bob, comment=draft, body="  ")


def test_the_page_offers_edit_on_the_authors_draft_only(draft, in_review, client, bob, alice):
    edit_url = f"/p/cinder/{in_review.slug}/review/comments/{draft.pk}/edit/"
    client.force_login(bob)
    page = client.get(f"/p/cinder/{in_review.slug}/revisions/1/").content.decode()
    assert edit_url in page
    assert "Which schedular?</textarea>" in page
    client.force_login(alice)
    assert edit_url not in client.get(f"/p/cinder/{in_review.slug}/revisions/1/").content.decode()


def test_the_page_edits_a_draft(draft, in_review, bob_client):
    response = bob_client.post(
        f"/p/cinder/{in_review.slug}/review/comments/{draft.pk}/edit/", {"body": "Which scheduler?"}
    )
    assert response.status_code == 302
    assert Comment.objects.get(pk=draft.pk).body == "Which scheduler?"


def test_the_page_refuses_someone_elses_draft_with_a_403(draft, in_review, alice_client):
    response = alice_client.post(
        f"/p/cinder/{in_review.slug}/review/comments/{draft.pk}/edit/", {"body": "Mine"}
    )
    assert response.status_code == 403
    assert Comment.objects.get(pk=draft.pk).body == "Which schedular?"


def test_the_page_refuses_a_published_comment_with_a_400(draft, in_review, bob, bob_client):
    review_services.publish_review(actor=bob, spec=in_review)
    response = bob_client.post(
        f"/p/cinder/{in_review.slug}/review/comments/{draft.pk}/edit/", {"body": "Changed"}
    )
    assert response.status_code == 400
    assert Comment.objects.get(pk=draft.pk).body == "Which schedular?"
