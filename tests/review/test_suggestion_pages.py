"""Suggested edits on the pages: made from the comment form, shown as a diff, applied with one click."""

from __future__ import annotations

import pytest

from specs_app.models import Comment, Notification
from tests.helpers import client_for, html_tree
from tests.review_world import line_of_text, refresh, suggest, write

OLD = "The scheduler does not know"
NEW = "The scheduler cannot tell"


def revision_url(spec) -> str:
    return f"/p/{spec.project.slug}/{spec.slug}/revisions/1/"


def apply_url(spec) -> str:
    return f"/p/{spec.project.slug}/{spec.slug}/review/suggestions/apply/"


def comment_url(spec) -> str:
    return f"/p/{spec.project.slug}/{spec.slug}/review/comments/"


def test_the_line_form_makes_a_suggestion_when_its_box_is_ticked(in_review, bob, password):
    line = line_of_text(in_review, OLD)
    browser = client_for(bob, password)
    response = browser.post(
        comment_url(in_review),
        {
            "revision": 1,
            "line_start": line,
            "quote": OLD,
            "body": "Clearer?",
            "suggest": "1",
            "suggestion": NEW,
        },
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.quote, comment.suggestion) == (OLD, NEW)


def test_the_suggestion_is_ignored_unless_its_box_is_ticked(in_review, bob, password):
    line = line_of_text(in_review, OLD)
    client_for(bob, password).post(
        comment_url(in_review),
        {"revision": 1, "line_start": line, "quote": OLD, "body": "Hm", "suggestion": NEW},
    )
    assert Comment.objects.get().suggestion is None


def test_a_suggestion_on_the_whole_spec_is_refused_with_a_message(in_review, bob, password):
    response = client_for(bob, password).post(
        comment_url(in_review), {"revision": 1, "body": "Hm", "suggest": "1", "suggestion": NEW}
    )
    assert response.status_code == 400
    assert "selected passage" in response.content.decode()


def test_the_thread_shows_the_suggestion_as_a_word_diff(client, in_review, bob):
    suggest(in_review, bob, OLD, NEW)
    page = html_tree(client.get(revision_url(in_review)).content)
    box = page.find(class_="suggestion")
    assert box is not None
    assert [node.text for node in box.find_all("del")] == ["removed: does not know (end removed)"]
    assert [node.text for node in box.find_all("ins")] == ["added: cannot tell (end added)"]


@pytest.mark.parametrize("who", ["anonymous", "bob", "core", "carol"])
def test_only_the_specs_editors_see_apply(client, in_review, bob, who, request, password):
    suggest(in_review, bob, OLD, NEW)
    browser = client if who == "anonymous" else client_for(request.getfixturevalue(who), password)
    for url in (revision_url(in_review), in_review.get_absolute_url()):
        assert b"Apply suggestion" not in browser.get(url).content


@pytest.mark.parametrize("url", [revision_url, lambda spec: spec.get_absolute_url()])
def test_the_author_sees_apply_on_the_revision_and_spec_pages(in_review, alice, bob, password, url):
    suggest(in_review, bob, OLD, NEW)
    assert b"Apply suggestion" in client_for(alice, password).get(url(in_review)).content


def test_one_click_applies_the_suggestion_to_the_draft(in_review, alice, bob, password):
    thread = suggest(in_review, bob, OLD, NEW)
    version = refresh(in_review).version
    response = client_for(alice, password).post(
        apply_url(in_review), {"threads": thread.pk, "version": version}, follow=True
    )
    assert response.status_code == 200
    assert "Applied 1 suggestion to the working draft." in response.content.decode()
    assert NEW in refresh(in_review).text() and refresh(in_review).version == version + 1
    page = html_tree(response.content)
    box = page.find(class_="suggestion--applied")
    assert box is not None and "Applied by alice" in box.text


def test_several_ticked_suggestions_apply_as_one_edit(in_review, alice, bob, core, password):
    first = suggest(in_review, bob, OLD, NEW)
    second = suggest(in_review, core, "Add a multiattach capability", "Add a shared capability")
    browser = client_for(alice, password)
    page = html_tree(browser.get(revision_url(in_review)).content)
    form = page.find("form", id="suggestions-apply-form")
    assert form is not None
    ticks = page.find_all("input", form="suggestions-apply-form")
    assert sorted(int(tick.attrs["value"] or 0) for tick in ticks) == [first.pk, second.pk]
    version = refresh(in_review).version
    browser.post(apply_url(in_review), {"threads": [first.pk, second.pk], "version": version})
    spec = refresh(in_review)
    assert spec.version == version + 1
    assert NEW in spec.text() and "Add a shared capability" in spec.text()


def test_a_changed_passage_says_so_and_offers_no_apply(in_review, alice, bob, password):
    suggest(in_review, bob, OLD, NEW)
    body = refresh(in_review).sections.get(title="Problem description").body
    write(in_review, alice, problem_description=body.replace(OLD, "The scheduler never knew"))
    content = client_for(alice, password).get(revision_url(in_review)).content.decode()
    assert "The text this suggestion replaces has changed since" in content
    assert "Apply suggestion" not in content


def test_applying_changed_text_is_refused_with_the_reason(in_review, alice, bob, password):
    thread = suggest(in_review, bob, OLD, NEW)
    body = refresh(in_review).sections.get(title="Problem description").body
    write(in_review, alice, problem_description=body.replace(OLD, "The scheduler never knew"))
    response = client_for(alice, password).post(
        apply_url(in_review), {"threads": thread.pk, "version": refresh(in_review).version}
    )
    assert response.status_code == 409
    assert "has changed since" in response.content.decode()


def test_a_stale_page_is_refused_and_nothing_applied(in_review, alice, bob, password):
    thread = suggest(in_review, bob, OLD, NEW)
    version = refresh(in_review).version
    response = client_for(alice, password).post(
        apply_url(in_review), {"threads": thread.pk, "version": version - 1}
    )
    assert response.status_code == 409
    assert "changed since this page was shown" in response.content.decode()
    assert OLD in refresh(in_review).text()


@pytest.mark.parametrize("data", [{}, {"threads": "x", "version": 1}, {"threads": 1}])
def test_malformed_posts_are_a_400(in_review, alice, password, data):
    assert client_for(alice, password).post(apply_url(in_review), data).status_code == 400


def test_anonymous_visitors_are_sent_to_sign_in(client, in_review, bob):
    thread = suggest(in_review, bob, OLD, NEW)
    response = client.post(apply_url(in_review), {"threads": thread.pk, "version": 1})
    assert response.status_code == 302 and "/login" in response["Location"]


@pytest.mark.parametrize("who", ["bob", "core", "carol"])
def test_reviewers_and_outsiders_are_refused(in_review, bob, who, request, password):
    thread = suggest(in_review, bob, OLD, NEW)
    response = client_for(request.getfixturevalue(who), password).post(
        apply_url(in_review), {"threads": thread.pk, "version": refresh(in_review).version}
    )
    assert response.status_code == 403
    assert OLD in refresh(in_review).text()


def test_the_suggester_is_told_once(in_review, alice, bob, password):
    thread = suggest(in_review, bob, OLD, NEW)
    Notification.objects.all().delete()
    client_for(alice, password).post(
        apply_url(in_review), {"threads": thread.pk, "version": refresh(in_review).version}
    )
    [note] = Notification.objects.all()
    assert (note.recipient, note.kind) == (bob, Notification.Kind.SUGGESTION_APPLIED)
    assert note.message == "alice applied bob's suggestion on Volume multi-attach"


def test_checking_suggestions_takes_as_many_queries_for_ten_as_for_one(in_review, alice, bob, password):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    browser = client_for(alice, password)
    passages = ["Attaching a volume", "two instances", "refused today", "Operators of", "clustered file"]
    passages += ["need it", "work around it", "The scheduler", "back ends can", "share a volume"]

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            browser.get(revision_url(in_review))
        return len(captured)

    first = suggest(in_review, bob, passages[0], "Sharing a volume")
    # An applied one too: who applied it comes with the thread.
    browser.post(apply_url(in_review), {"threads": first.pk, "version": refresh(in_review).version})
    suggest(in_review, bob, passages[1], "2 instances")
    one = queries()
    for passage in passages[2:]:
        suggest(in_review, bob, passage, passage.upper())
    assert queries() == one
