"""Threads: replies; resolved or reopened by the comment's author or a core reviewer (not an author)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from specs_app.models import ThreadState
from specs_app.review import selectors as review_selectors
from specs_app.review import services as review_services
from tests.review_world import comment_on


@pytest.fixture
def thread(in_review, bob):
    comment = comment_on(in_review, bob, "The scheduler does not know", body="Which scheduler?")
    review_services.publish_review(actor=bob, spec=in_review, vote=0, message="")
    comment.refresh_from_db()
    return comment


def test_replies_form_a_thread(thread, alice, in_review):
    reply = review_services.reply_to_comment(actor=alice, comment=thread, body="The filter scheduler.")
    review_services.publish_review(actor=alice, spec=in_review, vote=0, message="Answered.")
    [shown] = review_selectors.threads(in_review, viewer=alice, revision=in_review.revisions.get())
    assert shown.comment == thread
    assert shown.replies == [reply]


def test_a_reply_to_a_reply_joins_the_same_thread(thread, alice, bob):
    first = review_services.reply_to_comment(actor=alice, comment=thread, body="A")
    second = review_services.reply_to_comment(actor=bob, comment=first, body="B")
    assert second.parent == thread


@pytest.mark.parametrize("who", ["bob", "core"])
def test_the_comments_author_or_a_core_reviewer_resolve_and_reopen(thread, who, request):
    person = request.getfixturevalue(who)
    review_services.resolve_thread(actor=person, comment=thread)
    thread.refresh_from_db()
    assert thread.state == ThreadState.RESOLVED and thread.resolved_by == person
    review_services.reopen_thread(actor=person, comment=thread)
    thread.refresh_from_db()
    assert thread.state == ThreadState.OPEN


@pytest.mark.parametrize("who", ["carol", "staff", "alice"])
def test_others_may_not_resolve_not_even_the_specs_owner(thread, who, request):
    with pytest.raises(PermissionDenied, match="resolve or reopen"):
        review_services.resolve_thread(actor=request.getfixturevalue(who), comment=thread)


def test_a_draft_thread_cannot_be_resolved(in_review, bob):
    draft = comment_on(in_review, bob, "Attaching a volume")
    with pytest.raises(ValidationError, match="Publish the comment"):
        review_services.resolve_thread(actor=bob, comment=draft)


def test_nobody_replies_to_someone_elses_draft(in_review, bob, alice):
    draft = comment_on(in_review, bob, "Attaching a volume")
    with pytest.raises(PermissionDenied):
        review_services.reply_to_comment(actor=alice, comment=draft, body="Sneaky")


def test_the_page_resolves_a_thread(thread, bob_client):
    response = bob_client.post(f"/p/cinder/{thread.spec.slug}/review/comments/{thread.pk}/resolve/")
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.state == ThreadState.RESOLVED
    assert bob_client.post(f"/p/cinder/{thread.spec.slug}/review/comments/999/resolve/").status_code == 404


def test_pages_take_a_fixed_number_of_queries_with_200_comments_over_20_revisions(
    in_review, alice, bob, carol, client, django_assert_max_num_queries
):
    from specs_app.models import AnchorState, Comment, CommentAnchor, Review
    from tests.review_world import submit, write

    for number in range(2, 21):
        submit(write(in_review, alice, use_cases=f"Change {number}."), alice)
    revisions = list(in_review.revisions.order_by("number"))
    assert len(revisions) == 20
    review = Review.objects.create(spec=in_review, revision=revisions[-1], reviewer=bob, vote=1)
    threads = Comment.objects.bulk_create(
        Comment(
            spec=in_review,
            revision=revisions[index % 20],
            author=bob,
            review=review,
            kind="inline",
            body=f"Comment {index}",
            start=0,
            end=5,
            line_start=1,
            line_end=1,
            quote="x",
        )
        for index in range(100)
    )
    Comment.objects.bulk_create(
        Comment(spec=in_review, revision=revisions[-1], author=carol, review=review, parent=thread, body="Re")
        for thread in threads
    )
    CommentAnchor.objects.bulk_create(
        CommentAnchor(
            comment=thread,
            revision=revisions[-1],
            state=AnchorState.EXACT,
            start=0,
            end=5,
            line_start=1,
            line_end=1,
        )
        for thread in threads
    )
    client.force_login(bob)
    # 35: two of them are the Releases panel's (the lineage, and the releases to offer a re-proposal for),
    # three the attention set's (whom it waits for, whether the reader takes part, whom to hand on to).
    with django_assert_max_num_queries(35):
        detail = client.get(in_review.get_absolute_url())
    assert detail.content.decode().count('class="thread') >= 100
    with django_assert_max_num_queries(25):
        page = client.get(f"/p/cinder/{in_review.slug}/revisions/20/")
    assert page.content.decode().count("Comment 99") == 1
