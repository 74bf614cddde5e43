"""/api/v1/specs/<spec>/comments/: threads with their anchors; create, reply, resolve, reopen, delete."""

from __future__ import annotations

import pytest

from specs_app.models import Comment, SpecStatus, ThreadState
from specs_app.review import services as review_services
from tests.review_world import PROPOSAL, comment_on, line_of_text, submit, write


@pytest.fixture
def url(url):
    """A spec's comments/ address (plus ``suffix``), in each form."""
    return lambda spec, suffix="": url(spec, f"comments/{suffix}")


def published(spec, actor, quote: str, body: str = "Why?") -> Comment:
    comment = comment_on(spec, actor, quote, body)
    review_services.publish_review(actor=actor, spec=spec, vote=0, message="")
    return Comment.objects.get(pk=comment.pk)


def test_anyone_reads_published_threads_with_their_anchor_on_the_latest_revision(api, in_review, bob, url):
    comment = published(in_review, bob, "multiattach capability")
    line = line_of_text(in_review, "multiattach capability")

    response = api.get(url(in_review))

    assert response.status_code == 200
    data = response.json()
    assert data["revision"] == 1
    assert data["path"] == "specs/2026.1/multi-attach.rst"
    [thread] = data["threads"]
    assert thread["id"] == comment.pk
    assert (thread["author"], thread["body"], thread["state"], thread["draft"]) == (
        "bob",
        "Why?",
        "open",
        False,
    )
    assert thread["kind"] == "inline"
    assert thread["quote"] == "multiattach capability"
    assert thread["anchor"] == {
        "revision": 1,
        "placement": "exact",
        "line_start": line,
        "line_end": line,
        "section_index": thread["section_index"],
    }
    assert thread["replies"] == []


def test_drafts_are_listed_only_for_their_author(api, api_as, in_review, alice, bob, url):
    comment_on(in_review, bob, "multiattach capability", "A draft")

    assert api.get(url(in_review)).json()["threads"] == []
    assert api_as(alice).get(url(in_review)).json()["threads"] == []
    [thread] = api_as(bob).get(url(in_review)).json()["threads"]
    assert thread["draft"] is True


def test_it_places_threads_on_a_later_revision_and_on_the_one_asked_for(api, in_review, alice, bob, url):
    published(in_review, bob, "multiattach capability")
    spec = write(in_review, alice, proposed_change="Background first.\n\n" + PROPOSAL)
    submit(spec, alice)
    old_line = line_of_text(spec.revisions.get(number=1).text, "multiattach capability")
    new_line = line_of_text(spec, "multiattach capability")
    assert new_line == old_line + 2

    latest = api.get(url(spec)).json()
    first = api.get(url(spec, "?revision=1")).json()

    assert latest["revision"] == 2
    assert latest["threads"][0]["anchor"]["line_start"] == new_line
    assert latest["threads"][0]["anchor"]["placement"] == "exact"  # the same text, lower down
    assert first["revision"] == 1
    assert first["threads"][0]["anchor"]["line_start"] == old_line


def test_it_filters_threads_by_state(api, in_review, alice, bob, url):
    first = published(in_review, bob, "multiattach capability", "First")
    published(in_review, bob, "Operators of clustered", "Second")
    review_services.resolve_thread(actor=bob, comment=first)

    def bodies(query: str) -> list[str]:
        return [thread["body"] for thread in api.get(url(in_review, query)).json()["threads"]]

    assert bodies("?state=open") == ["Second"]
    assert bodies("?state=resolved") == ["First"]
    assert sorted(bodies("")) == ["First", "Second"]


@pytest.mark.parametrize(
    "query", ["?revision=9", "?revision=0", "?revision=x", "?state=closed", "?state=", "?revision="]
)
def test_a_bad_list_query_is_a_400(api, in_review, url, query):
    response = api.get(url(in_review, query))

    assert response.status_code == 400
    assert set(response.json()) == {"message", "errors"}


def test_it_lists_replies_indented_under_their_thread(api, api_as, in_review, alice, bob, url):
    comment = published(in_review, bob, "multiattach capability")
    review_services.reply_to_comment(actor=alice, comment=comment, body="Because.")
    review_services.publish_review(actor=alice, spec=in_review, vote=0, message="")

    [thread] = api.get(url(in_review)).json()["threads"]

    assert [(reply["author"], reply["body"], reply["draft"]) for reply in thread["replies"]] == [
        ("alice", "Because.", False)
    ]


@pytest.mark.parametrize("count", [5, 50])
def test_it_lists_threads_with_constant_queries(api, in_review, bob, django_assert_max_num_queries, count):
    for number in range(count):
        comment = review_services.add_comment(
            actor=bob, spec=in_review, body=f"Comment {number}", selection=review_services.Selection(3, 3)
        )
        review_services.reply_to_comment(actor=bob, comment=comment, body="And more.")
    review_services.publish_review(actor=bob, spec=in_review, vote=0)

    # the spec, the latest revision, the comments, their anchors
    with django_assert_max_num_queries(4):
        response = api.get(f"/api/v1/specs/{in_review.pk}/comments/")

    assert len(response.json()["threads"]) == count
    assert all(len(thread["replies"]) == 1 for thread in response.json()["threads"])


# Creating


def test_a_signed_in_reader_comments_on_source_lines(api_as, in_review, bob, url):
    line = line_of_text(in_review, "multiattach capability")

    response = api_as(bob).post(url(in_review), {"body": "Which?", "line_start": line}, format="json")

    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["kind"], data["draft"], data["author"], data["revision"]) == ("inline", True, "bob", 1)
    assert (data["line_start"], data["line_end"]) == (line, line)
    assert data["quote"] == PROPOSAL.rstrip("\n")
    assert Comment.objects.get(pk=data["id"]).review is None


def test_a_comment_on_a_quote_with_its_lines_and_context(api_as, in_review, bob, url):
    line = line_of_text(in_review, "multiattach capability")

    response = api_as(bob).post(
        url(in_review),
        {
            "body": "Name it.",
            "line_start": line,
            "line_end": line,
            "quote": "capability",
            "prefix": "multiattach ",
            "suffix": " that",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["quote"] == "capability"
    assert response.json()["line_start"] == line


def test_a_comment_on_a_quote_alone_finds_it_anywhere(api_as, in_review, bob, url):
    response = api_as(bob).post(
        url(in_review), {"body": "Which ones?", "quote": "clustered file systems"}, format="json"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["line_start"] == line_of_text(in_review, "clustered file systems")


def test_a_comment_on_a_section_and_on_the_whole_spec(api_as, in_review, bob, url):
    client = api_as(bob)

    section = client.post(url(in_review), {"body": "Short.", "section_index": 1}, format="json")
    general = client.post(url(in_review), {"body": "Nice."}, format="json")

    assert section.status_code == 201 and section.json()["kind"] == "section"
    assert general.status_code == 201 and general.json()["kind"] == "general"
    assert general.json()["line_start"] is None


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            {"body": "x", "line_start": 3, "quote": "not in the spec at all"},
            "quote",
            "The selected text is not on lines 3 to 3",
        ),
        ({"body": "x", "quote": "not in the spec at all"}, "quote", "The selected text is not on lines"),
        ({"body": "   ", "line_start": 3}, "body", "Write the comment first."),
        ({"body": "x", "line_start": 5, "line_end": 4}, "line_start", "Give a line range"),
        ({"body": "x", "line_start": 100000}, "line_start", "has no text on lines 100000"),
        ({"body": "x", "section_index": 999}, "section_index", "has no section 999"),
        ({"body": "x", "revision": 9}, None, "This spec has no revision 9."),
        ({"body": "x", "line_end": 4}, "line_start", "Give the first line"),
        ({"body": "x", "quote": "  "}, "quote", "Give the passage"),
        ({"body": "x", "line_start": 0}, "line_start", None),
        ({"body": "x", "line_start": 2**40}, "line_start", None),
        ({"line_start": 3}, "body", None),
        ({"body": 5, "quote": ["x"]}, "quote", None),
        ({"body": 0}, "body", None),
        ({"body": "x", "line_start": "3"}, "line_start", None),
        ({"body": "x", "line_start": 3.0}, "line_start", None),
        ({"body": "x", "section_index": True}, "section_index", None),
    ],
)
def test_a_refused_comment_is_a_400_with_the_reason(api_as, in_review, bob, url, body, field, message):
    response = api_as(bob).post(url(in_review), body, format="json")

    assert response.status_code == 400, response.json()
    if field:
        assert field in response.json()["errors"]
    if message:
        assert message in response.json()["message"]
    assert not Comment.objects.exists()


def test_comments_on_a_draft_spec_are_refused_by_the_service(api_as, spec, bob, url):
    response = api_as(bob).post(url(spec), {"body": "Early."}, format="json")

    assert response.status_code == 400
    assert response.json()["message"] == "This spec is draft; comments are taken while it is in review."


def test_anonymous_people_cannot_comment(api, in_review, url):
    response = api.post(url(in_review), {"body": "Hi."}, format="json")

    assert response.status_code == 401
    assert set(response.json()) == {"message", "errors"}


# Replies


def test_a_reader_replies_to_a_published_comment(api_as, in_review, alice, bob, url):
    comment = published(in_review, bob, "multiattach capability")

    response = api_as(alice).post(url(in_review, f"{comment.pk}/reply/"), {"body": "Fixed."}, format="json")

    assert response.status_code == 201
    assert (response.json()["parent"], response.json()["draft"]) == (comment.pk, True)


def test_someone_elses_draft_cannot_be_replied_to_or_seen(api, api_as, in_review, alice, bob, url):
    draft = comment_on(in_review, bob, "multiattach capability")

    assert (
        api_as(alice).post(url(in_review, f"{draft.pk}/reply/"), {"body": "?"}, format="json").status_code
        == 404
    )
    assert api.post(url(in_review, f"{draft.pk}/reply/"), {"body": "?"}, format="json").status_code == 401
    assert (
        api_as(bob).post(url(in_review, f"{draft.pk}/reply/"), {"body": "More."}, format="json").status_code
        == 201
    )


def test_a_reply_on_another_spec_or_an_unknown_comment_is_a_404(api_as, in_review, alice, bob, url):
    assert (
        api_as(alice).post(url(in_review, "999999/reply/"), {"body": "?"}, format="json").status_code == 404
    )


def test_an_empty_reply_is_a_400(api_as, in_review, alice, bob, url):
    comment = published(in_review, bob, "multiattach capability")

    response = api_as(alice).post(url(in_review, f"{comment.pk}/reply/"), {"body": ""}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"body": ["Write the comment first."]}


# Resolve and reopen


@pytest.mark.parametrize("who", ["bob", "core"])
def test_the_comments_author_and_core_reviewers_resolve_and_reopen(api_as, in_review, bob, url, who, request):
    comment = published(in_review, bob, "multiattach capability")
    client = api_as(request.getfixturevalue(who))

    response = client.post(url(in_review, f"{comment.pk}/resolve/"))
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["resolved_by"]) == (
        "resolved",
        who if who != "core" else "dave",
    )

    response = client.post(url(in_review, f"{comment.pk}/reopen/"))
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["resolved_by"]) == ("open", None)


@pytest.mark.parametrize("who", ["carol", "alice"])
def test_others_even_the_specs_owner_cannot_resolve_and_anonymous_people_are_asked_to_sign_in(
    api, api_as, in_review, bob, carol, alice, url, who, request
):
    comment = published(in_review, bob, "multiattach capability")

    assert api.post(url(in_review, f"{comment.pk}/resolve/")).status_code == 401
    response = api_as(request.getfixturevalue(who)).post(url(in_review, f"{comment.pk}/resolve/"))
    assert response.status_code == 403
    assert "core reviewers" in response.json()["message"]
    assert (
        api_as(request.getfixturevalue(who)).post(url(in_review, f"{comment.pk}/reopen/")).status_code == 403
    )
    assert Comment.objects.get(pk=comment.pk).state == ThreadState.OPEN


def test_resolving_a_draft_is_a_400(api_as, in_review, bob, url):
    draft = comment_on(in_review, bob, "multiattach capability")

    response = api_as(bob).post(url(in_review, f"{draft.pk}/resolve/"))

    assert response.status_code == 400
    assert response.json()["message"] == "Publish the comment before resolving it."


def test_threads_of_a_merged_spec_are_closed(api_as, in_review, bob, url):
    comment = published(in_review, bob, "multiattach capability")
    type(in_review).objects.filter(pk=in_review.pk).update(status=SpecStatus.MERGED)

    response = api_as(bob).post(url(in_review, f"{comment.pk}/resolve/"))

    assert response.status_code == 400
    assert "closed" in response.json()["message"]


# Deleting drafts


def test_the_author_deletes_their_draft(api_as, in_review, bob, url):
    draft = comment_on(in_review, bob, "multiattach capability")

    response = api_as(bob).delete(url(in_review, f"{draft.pk}/"))

    assert response.status_code == 204
    assert not Comment.objects.exists()


def test_published_comments_and_others_drafts_are_not_deleted(api, api_as, in_review, alice, bob, core, url):
    draft = comment_on(in_review, bob, "multiattach capability")
    comment = published(in_review, alice, "clustered file systems")

    assert api.delete(url(in_review, f"{draft.pk}/")).status_code == 401
    assert api_as(alice).delete(url(in_review, f"{draft.pk}/")).status_code == 404
    for user in (alice, bob, core):
        response = api_as(user).delete(url(in_review, f"{comment.pk}/"))
        assert response.status_code == 403
        assert "published ones stay" in response.json()["message"]
    assert Comment.objects.count() == 2
