"""Comments: general, on a section, on a passage (a selection or source lines); drafts until published."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from specs_app.models import Comment, CommentAnchor, CommentKind, Review, Revision
from specs_app.review import selectors as review_selectors
from specs_app.review import services as review_services
from tests.review_world import comment_on, line_of_text


def test_an_inline_comment_stores_its_anchor(in_review, bob):
    comment = comment_on(in_review, bob, "The scheduler does not know")
    revision = in_review.revisions.get()
    assert comment.kind == CommentKind.INLINE
    assert comment.revision == revision
    assert revision.text[comment.start : comment.end] == comment.quote == "The scheduler does not know"
    assert comment.prefix == revision.text[comment.start - 32 : comment.start]
    assert comment.suffix == revision.text[comment.end : comment.end + 32]
    assert comment.section_title == "Problem description"
    assert comment.line_start == comment.line_end == line_of_text(revision.text, "The scheduler")
    anchor = CommentAnchor.objects.get(comment=comment)
    assert (anchor.revision, anchor.state, anchor.start) == (revision, "exact", comment.start)


def test_a_rendered_selection_across_lines_is_found_in_the_source(in_review, bob):
    revision = in_review.revisions.get()
    line = line_of_text(revision.text, "Attaching a volume")
    # The browser joins the wrapped lines with a space.
    comment = review_services.add_comment(
        actor=bob,
        spec=in_review,
        body="Which ones?",
        selection=review_services.Selection(
            line_start=line, line_end=line + 1, quote="refused today. Operators of clustered"
        ),
    )
    assert comment.quote == "refused today.\nOperators of clustered"


def test_of_two_equal_quotes_the_context_picks_one(in_review, alice, bob):
    from tests.review_world import submit, write

    spec = write(in_review, alice, use_cases="Alpha. Same words.\n\nBeta. Same words.")
    submit(spec, alice)
    revision = spec.revisions.get(number=2)
    second = revision.text.index("Beta. Same words.") + len("Beta. ")
    line = revision.text[:second].count("\n") + 1
    comment = review_services.add_comment(
        actor=bob,
        spec=spec,
        body="Twice?",
        selection=review_services.Selection(
            line_start=line - 2, line_end=line, quote="Same words.", prefix="Alpha. Same words. Beta. "
        ),
    )
    assert comment.start == second


def test_a_quote_not_on_those_lines_is_refused(in_review, bob):
    with pytest.raises(ValidationError, match="not on lines 1 to 3 of revision 1"):
        review_services.add_comment(
            actor=bob,
            spec=in_review,
            body="?",
            selection=review_services.Selection(
                line_start=1, line_end=3, quote="The scheduler does not know"
            ),
        )


def test_the_page_refuses_a_missing_quote_with_a_400(in_review, bob_client):
    response = bob_client.post(
        f"/p/cinder/{in_review.slug}/review/comments/",
        {"body": "?", "line_start": "1", "line_end": "2", "quote": "nowhere at all"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert "not on lines 1 to 2" in response.json()["error"]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"body": "?", "line_start": "x"}, "whole number"),
        ({"body": "?", "revision": "7"}, "no revision 7"),
        ({"body": "?", "section_index": "99"}, "no section 99"),
        ({"body": "  "}, "Write the comment first"),
        ({"body": "?", "line_start": "5", "line_end": "2"}, "not after its last"),
        ({"body": "?", "line_start": "4000"}, "no text on lines"),
    ],
)
def test_bad_comment_input_is_a_400_not_a_500(in_review, bob_client, data, message):
    response = bob_client.post(f"/p/cinder/{in_review.slug}/review/comments/", data)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_line_range_comment_works_without_javascript(in_review, bob_client, bob):
    revision = in_review.revisions.get()
    line = line_of_text(revision.text, "The scheduler")
    response = bob_client.post(
        f"/p/cinder/{in_review.slug}/review/comments/", {"body": "Here.", "line_start": line, "revision": "1"}
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.quote == "The scheduler does not know which back ends can share a volume."


def test_general_and_section_comments(in_review, bob):
    general = review_services.add_comment(actor=bob, spec=in_review, body="Nice.")
    section = review_services.add_comment(actor=bob, spec=in_review, body="Short.", section_index=0)
    assert general.kind == CommentKind.GENERAL and general.start is None
    assert section.kind == CommentKind.SECTION and section.section_title == "Problem description"


def test_drafts_are_seen_only_by_their_author_until_published(in_review, alice, bob):
    comment_on(in_review, bob, "The scheduler does not know")
    revision = in_review.revisions.get()
    assert len(review_selectors.threads(in_review, viewer=bob, revision=revision)) == 1
    assert review_selectors.threads(in_review, viewer=alice, revision=revision) == []
    review_services.publish_review(actor=bob, spec=in_review, vote=0, message="")
    assert len(review_selectors.threads(in_review, viewer=alice, revision=revision)) == 1


def test_publishing_posts_every_draft_at_once(in_review, bob):
    for quote in ("The scheduler does not know", "Attaching a volume", "multiattach capability"):
        comment_on(in_review, bob, quote)
    review = review_services.publish_review(actor=bob, spec=in_review, vote=1, message="See inline.")
    assert review.comments.count() == 3
    assert not Comment.objects.filter(review__isnull=True).exists()
    assert Review.objects.count() == 1


def test_only_the_author_deletes_a_draft(in_review, alice, bob):
    comment = comment_on(in_review, bob, "The scheduler does not know")
    with pytest.raises(PermissionDenied):
        review_services.delete_draft_comment(actor=alice, comment=comment)
    review_services.delete_draft_comment(actor=bob, comment=comment)
    assert not Comment.objects.exists()


def test_a_draft_spec_takes_no_comments(spec, bob):
    with pytest.raises(ValidationError, match="in review"):
        review_services.add_comment(actor=bob, spec=spec, body="Hi")
    assert not Revision.objects.exists()


def test_the_revision_page_shows_threads_beside_their_lines(in_review, bob, bob_client):
    from tests.helpers import html_tree

    comment_on(in_review, bob, "The scheduler does not know", body="Which scheduler?")
    page = html_tree(bob_client.get(f"/p/cinder/{in_review.slug}/revisions/1/").content)
    thread = page.find("article", class_="thread")
    assert "Which scheduler?" in thread.text
    assert thread.attrs["data-line-start"] == str(
        line_of_text(in_review.revisions.get().text, "The scheduler")
    )
    assert any(node.attrs.get("class") == "review-margin" for node in thread.ancestors())
