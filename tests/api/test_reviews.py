"""/api/v1/specs/<spec>/reviews/: list published reviews; publish one, with the reviewer's drafts."""

from __future__ import annotations

import pytest

from specs_app.models import Comment, Review, Revision
from specs_app.review import services as review_services
from tests.review_world import comment_on


@pytest.fixture
def url(url):
    """A spec's reviews/ address, in each form."""
    return lambda spec: url(spec, "reviews/")


def test_anyone_lists_published_reviews_oldest_first(api, in_review, bob, core, url):
    comment_on(in_review, bob, "multiattach capability")
    review_services.publish_review(actor=bob, spec=in_review, vote=-1, message="Needs work.")
    review_services.publish_review(actor=core, spec=in_review, vote=2)
    comment_on(in_review, core, "clustered file systems")  # a draft: not in any review

    response = api.get(url(in_review))

    assert response.status_code == 200
    assert [
        (item["reviewer"], item["vote"], item["message"], item["revision"], item["comment_count"])
        for item in response.json()
    ] == [("bob", -1, "Needs work.", 1, 1), ("dave", 2, "", 1, 0)]


def test_a_reader_publishes_a_review_with_their_drafts(api_as, in_review, bob, url):
    draft = comment_on(in_review, bob, "multiattach capability")

    response = api_as(bob).post(url(in_review), {"vote": 1, "message": "Fine by me."}, format="json")

    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["reviewer"], data["vote"], data["message"], data["revision"], data["comment_count"]) == (
        "bob",
        1,
        "Fine by me.",
        1,
        1,
    )
    assert Comment.objects.get(pk=draft.pk).review_id == data["id"]


@pytest.mark.parametrize("vote", [-2, 2])
def test_only_core_reviewers_vote_two(api_as, in_review, alice, bob, core, url, vote):
    for user in (alice, bob):
        response = api_as(user).post(url(in_review), {"vote": vote}, format="json")
        assert response.status_code == 403
        assert response.json()["message"] == f"Only Cinder's core reviewers can vote {vote:+d}."

    response = api_as(core).post(url(in_review), {"vote": vote}, format="json")
    assert response.status_code == 201
    assert response.json()["vote"] == vote


def test_anonymous_people_cannot_review(api, in_review, url):
    response = api.post(url(in_review), {"vote": 1}, format="json")

    assert response.status_code == 401
    assert not Review.objects.exists()


@pytest.mark.parametrize("vote", [3, -7, 2**70, "seven", "+1", "", 1.5, True, [1], {"v": 1}])
def test_a_bad_vote_is_a_400_in_the_services_words(api_as, in_review, bob, url, vote):
    response = api_as(bob).post(url(in_review), {"vote": vote, "message": "x"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"vote": ["A vote is one of -2, -1, 0, +1 or +2."]}
    assert not Review.objects.exists()


@pytest.mark.parametrize("body", [{"vote": None}, {"vote": 1, "message": None}, {"vote": 1, "message": 0}])
def test_a_null_vote_or_a_message_that_is_not_text_is_a_400(api_as, in_review, bob, url, body):
    response = api_as(bob).post(url(in_review), body, format="json")

    assert response.status_code == 400
    assert not Review.objects.exists()


def test_an_empty_review_is_refused(api_as, in_review, bob, url):
    response = api_as(bob).post(url(in_review), {}, format="json")

    assert response.status_code == 400
    assert response.json()["message"] == "Nothing to publish: vote, write a message or add comments first."


def test_a_draft_spec_cannot_be_reviewed(api_as, spec, bob, url):
    response = api_as(bob).post(url(spec), {"vote": 1}, format="json")

    assert response.status_code == 400
    assert "comments are taken while it is in review" in response.json()["message"]


def test_reviews_of_an_unknown_spec_are_404(api, api_as, bob, db):
    assert api.get("/api/v1/specs/999999/reviews/").status_code == 404
    assert (
        api_as(bob).post("/api/v1/specs/cinder/nope/reviews/", {"vote": 1}, format="json").status_code == 404
    )


@pytest.mark.parametrize("count", [5, 50])
def test_it_lists_reviews_with_constant_queries(
    api, in_review, bob, django_user_model, django_assert_max_num_queries, count
):
    revision = Revision.objects.get(spec=in_review)
    reviewers = django_user_model.objects.bulk_create(
        django_user_model(username=f"reviewer{number}") for number in range(count)
    )
    Review.objects.bulk_create(
        Review(spec=in_review, revision=revision, reviewer=reviewer, vote=1) for reviewer in reviewers
    )

    # the spec, the reviews with reviewers, revisions and comment counts, the latest revision
    # (whether each vote still counts)
    with django_assert_max_num_queries(3):
        response = api.get(f"/api/v1/specs/{in_review.pk}/reviews/")

    assert len(response.json()) == count


def test_the_schema_documents_the_review_endpoints(db, tmp_path):
    import io
    import json

    from django.core.management import call_command

    schema = tmp_path / "schema.json"
    call_command("spectacular", "--file", str(schema), "--format", "openapi-json", stderr=io.StringIO())
    document = json.loads(schema.read_text())

    paths = document["paths"]
    for path in (
        "/api/v1/specs/{id}/revisions/",
        "/api/v1/specs/{project_slug}/{spec_slug}/revisions/{number}/",
        "/api/v1/specs/{id}/revisions/diff/",
        "/api/v1/specs/{project_slug}/{spec_slug}/comments/{comment_id}/resolve/",
        "/api/v1/specs/{id}/submit/",
    ):
        assert path in paths
    publish = paths["/api/v1/specs/{id}/reviews/"]["post"]
    assert {"201", "400", "401", "403", "404"} <= set(publish["responses"])
    request = document["components"]["schemas"]["ReviewCreateRequest"]
    assert request["properties"]["vote"]["allOf"] == [{"$ref": "#/components/schemas/VoteEnum"}]
    assert document["components"]["schemas"]["VoteEnum"]["enum"] == [-2, -1, 0, 1, 2]
    diff = paths["/api/v1/specs/{id}/revisions/diff/"]["get"]
    assert {parameter["name"] for parameter in diff["parameters"]} >= {"id", "old", "new"}
