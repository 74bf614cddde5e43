"""PATCH specs/<spec>/comments/<id>/ {"body"}: the author edits a draft; others 403, published 400."""

from __future__ import annotations

import pytest

from specs_app.models import Comment
from specs_app.review import services as review_services
from tests.review_world import comment_on


@pytest.fixture
def url(url):
    return lambda spec, comment: url(spec, f"comments/{comment.pk}/")


@pytest.fixture
def draft(in_review, bob):
    return comment_on(in_review, bob, "multiattach capability", body="Which back ends?")


def test_the_author_edits_a_draft(api_as, in_review, bob, draft, url):
    response = api_as(bob).patch(url(in_review, draft), {"body": "Which drivers?"}, format="json")
    assert response.status_code == 200
    assert (response.json()["id"], response.json()["body"], response.json()["draft"]) == (
        draft.pk,
        "Which drivers?",
        True,
    )
    assert Comment.objects.get(pk=draft.pk).body == "Which drivers?"


def test_another_user_is_refused_with_a_403(api_as, in_review, alice, bob, draft, url):
    review_services.publish_review(actor=bob, spec=in_review)
    response = api_as(alice).patch(url(in_review, draft), {"body": "Mine now"}, format="json")
    assert response.status_code == 403
    assert response.json()["message"] == "Only the comment's author can edit it."
    assert Comment.objects.get(pk=draft.pk).body == "Which back ends?"


def test_someone_elses_draft_is_not_there_for_them(api_as, in_review, alice, draft, url):
    response = api_as(alice).patch(url(in_review, draft), {"body": "Mine now"}, format="json")
    assert response.status_code == 404


def test_a_published_comment_is_a_400(api_as, in_review, bob, draft, url):
    review_services.publish_review(actor=bob, spec=in_review)
    response = api_as(bob).patch(url(in_review, draft), {"body": "Rewritten"}, format="json")
    assert response.status_code == 400
    assert "published" in response.json()["message"]
    assert Comment.objects.get(pk=draft.pk).body == "Which back ends?"


def test_anonymous_people_are_asked_to_sign_in(api, in_review, draft, url):
    assert api.patch(url(in_review, draft), {"body": "x"}, format="json").status_code == 401


def test_an_empty_body_is_a_400(api_as, in_review, bob, draft, url):
    response = api_as(bob).patch(url(in_review, draft), {"body": " "}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"body": ["Write the comment first."]}
