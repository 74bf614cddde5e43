"""Suggested edits in the API: made as comments, listed with whether they apply, applied as one edit."""

from __future__ import annotations

import pytest

from specs_app.limits import MAX_SPEC_CHARACTERS
from specs_app.models import Comment, ThreadState
from specs_app.review import services as review_services
from tests.review_world import comment_on, line_of_text, refresh, suggest, write

OLD = "The scheduler does not know"
NEW = "The scheduler cannot tell"


@pytest.fixture
def apply_url(url):
    return lambda spec: url(spec, "suggestions/apply/")


@pytest.fixture
def comments_url(url):
    return lambda spec: url(spec, "comments/")


def test_a_reviewer_suggests_replacement_text_for_a_passage(api_as, in_review, bob, comments_url):
    line = line_of_text(in_review, OLD)
    response = api_as(bob).post(
        comments_url(in_review),
        {"body": "Clearer?", "line_start": line, "quote": OLD, "suggestion": NEW},
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["suggestion"] == NEW and data["draft"] is True
    assert data["applicable"] is False and "draft" in data["applicable_reason"]
    assert Comment.objects.get(pk=data["id"]).suggestion == NEW


def test_anonymous_callers_cannot_suggest(api, in_review, comments_url):
    response = api.post(
        comments_url(in_review), {"body": "Hm", "quote": OLD, "suggestion": NEW}, format="json"
    )
    assert response.status_code == 401
    assert not Comment.objects.exists()


def test_a_comment_on_the_whole_spec_cannot_suggest(api_as, in_review, bob, comments_url):
    response = api_as(bob).post(comments_url(in_review), {"body": "Hm", "suggestion": NEW}, format="json")
    assert response.status_code == 400
    assert "selected passage" in response.json()["errors"]["suggestion"][0]


def test_a_suggestion_over_the_size_limit_is_a_413(api_as, in_review, bob, comments_url):
    response = api_as(bob).post(
        comments_url(in_review),
        {"body": "Hm", "quote": OLD, "suggestion": "x" * (MAX_SPEC_CHARACTERS + 1)},
        format="json",
    )
    assert response.status_code == 413
    assert "limit" in response.json()["message"]


def test_threads_say_whether_their_suggestion_applies_to_the_draft(
    api, in_review, alice, bob, core, comments_url
):
    fine = suggest(in_review, bob, "Add a multiattach capability", "Add a shared capability")
    changed = suggest(in_review, core, OLD, NEW)
    body = refresh(in_review).sections.get(title="Problem description").body
    write(in_review, alice, problem_description=body.replace(OLD, "Nobody knows"))
    threads = {thread["id"]: thread for thread in api.get(comments_url(in_review)).json()["threads"]}
    assert threads[fine.pk]["applicable"] is True and threads[fine.pk]["applicable_reason"] == ""
    assert threads[changed.pk]["applicable"] is False
    assert "has changed since" in threads[changed.pk]["applicable_reason"]
    assert threads[fine.pk]["applied"] is False and threads[fine.pk]["applied_by"] is None


def test_a_plain_comment_has_no_suggestion_fields_set(api, in_review, bob, comments_url):
    comment_on(in_review, bob, OLD)
    review_services.publish_review(actor=bob, spec=in_review, message="")
    [thread] = api.get(comments_url(in_review)).json()["threads"]
    assert (thread["suggestion"], thread["applicable"], thread["applicable_reason"]) == (None, None, "")


def test_the_author_applies_several_suggestions_as_one_new_version(
    api_as, in_review, alice, bob, core, apply_url
):
    first = suggest(in_review, bob, OLD, NEW)
    second = suggest(in_review, core, "Add a multiattach capability", "Add a shared capability")
    version = refresh(in_review).version
    response = api_as(alice).post(
        apply_url(in_review), {"threads": [first.pk, second.pk], "version": version}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json() == {"version": version + 1, "threads": [first.pk, second.pk]}
    text = refresh(in_review).text()
    assert NEW in text and "Add a shared capability" in text
    first.refresh_from_db()
    assert first.state == ThreadState.RESOLVED and first.suggestion_applied_by == alice


def test_a_stale_version_is_a_409_with_the_current_version(api_as, in_review, alice, bob, apply_url):
    thread = suggest(in_review, bob, OLD, NEW)
    version = refresh(in_review).version
    response = api_as(alice).post(
        apply_url(in_review), {"threads": [thread.pk], "version": version - 1}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["current_version"] == version
    assert OLD in refresh(in_review).text()


def test_changed_text_is_a_409_saying_what_the_draft_reads(api_as, in_review, alice, bob, apply_url):
    thread = suggest(in_review, bob, OLD, NEW)
    body = refresh(in_review).sections.get(title="Problem description").body
    write(in_review, alice, problem_description=body.replace(OLD, "The scheduler never knew"))
    response = api_as(alice).post(
        apply_url(in_review), {"threads": [thread.pk], "version": refresh(in_review).version}, format="json"
    )
    assert response.status_code == 409
    message = response.json()["message"]
    assert "The text this suggestion replaces has changed since" in message
    assert "never knew" in message and "Nothing was applied" in message


def test_overlapping_suggestions_are_a_400(api_as, in_review, alice, bob, core, apply_url):
    first = suggest(in_review, bob, OLD, NEW)
    second = suggest(in_review, core, "does not know which", "ignores which")
    response = api_as(alice).post(
        apply_url(in_review),
        {"threads": [first.pk, second.pk], "version": refresh(in_review).version},
        format="json",
    )
    assert response.status_code == 400
    assert "overlapping" in response.json()["message"]


@pytest.mark.parametrize(
    "body",
    [{}, {"threads": [], "version": 1}, {"threads": ["1"], "version": 1}, {"threads": [1]}, {"version": 1}],
)
def test_a_malformed_request_is_a_400(api_as, in_review, alice, apply_url, body):
    assert api_as(alice).post(apply_url(in_review), body, format="json").status_code == 400


def test_an_unknown_thread_is_a_400(api_as, in_review, alice, apply_url):
    response = api_as(alice).post(
        apply_url(in_review), {"threads": [999999], "version": refresh(in_review).version}, format="json"
    )
    assert response.status_code == 400
    assert "no published thread 999999" in response.json()["message"]


def test_anonymous_callers_are_a_401(api, in_review, bob, apply_url):
    thread = suggest(in_review, bob, OLD, NEW)
    response = api.post(apply_url(in_review), {"threads": [thread.pk], "version": 1}, format="json")
    assert response.status_code == 401


@pytest.mark.parametrize("who", ["bob", "core", "carol"])
def test_reviewers_and_outsiders_may_not_apply(api_as, in_review, bob, who, request, apply_url):
    thread = suggest(in_review, bob, OLD, NEW)
    response = request.getfixturevalue("api_as")(request.getfixturevalue(who)).post(
        apply_url(in_review), {"threads": [thread.pk], "version": refresh(in_review).version}, format="json"
    )
    assert response.status_code == 403
    assert OLD in refresh(in_review).text()


def test_the_schema_declares_the_apply_endpoint(db, tmp_path):
    import io
    import json

    from django.core.management import call_command

    schema = tmp_path / "schema.json"
    call_command("spectacular", "--file", str(schema), "--format", "openapi-json", stderr=io.StringIO())
    document = json.loads(schema.read_text())
    operation = document["paths"]["/api/v1/specs/{id}/suggestions/apply/"]["post"]
    assert {"200", "400", "403", "409"} <= set(operation["responses"])
    comment = document["components"]["schemas"]["Comment"]["properties"]
    assert {"suggestion", "applied", "applied_at", "applied_by", "applicable", "applicable_reason"} <= set(
        comment
    )
