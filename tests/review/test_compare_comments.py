"""Commenting on the compare page: its "to" revision's lines carry what the comment box needs.

The browser side is tests/e2e/test_comments_beside_passages.py; here, what the
server gives the page and what it makes of a selection sent from it (source
text, several lines, inline markup included) through the one comment view.
"""

import pytest

from specs_app.models import Comment, CommentAnchor
from specs_app.review import services as review_services
from tests.helpers import html_tree
from tests.review_world import line_of_text, refresh, submit, write

PROPOSAL_2 = (
    "Add a multiattach capability that back ends report.\n"
    "\n"
    "The scheduler filters on it, and the ``multiattach`` flag\n"
    "reaches the API as a capability.\n"
)


@pytest.fixture
def revised(in_review, alice):
    spec = write(in_review, alice, proposed_change=PROPOSAL_2)
    submit(spec, alice, "Say how the scheduler uses it.")
    return refresh(spec)


def compare_url(spec, query="old=1&new=2"):
    return f"/p/cinder/{spec.slug}/revisions/compare/?{query}"


def comment_url(spec):
    return f"/p/cinder/{spec.slug}/review/comments/"


@pytest.mark.parametrize("layout", ["unified", "split"])
def test_the_newer_revisions_lines_carry_their_line_numbers(revised, bob_client, layout):
    page = html_tree(bob_client.get(compare_url(revised, f"old=1&new=2&layout={layout}")).content)
    text = revised.revisions.get(number=2).text
    lines = {node.text: node.attrs["data-line"] for node in page.find_all("span", class_="diff__line")}
    for line in (
        "The scheduler filters on it, and the ``multiattach`` flag",
        "reaches the API as a capability.",
    ):
        assert lines[line] == str(line_of_text(text, line))
    # The older revision's removed lines are not the "to" revision's: nothing to comment on there.
    numbered = [node for node in page.find_all("span", class_="diff__line") if node.attrs.get("data-line")]
    assert all(node.text in text for node in numbered)


def test_the_page_offers_the_comment_box_on_the_newer_revision(revised, bob_client):
    response = bob_client.get(compare_url(revised))
    assert response.status_code == 200
    page = html_tree(response.content)
    diff = page.find("div", id="compare-diff")
    assert diff.attrs["data-can-comment"] == "true"
    assert diff.attrs["data-revision"] == "2"
    assert diff.attrs["data-comment-url"] == comment_url(revised)
    assert diff.attrs["data-revision-url"] == f"/p/cinder/{revised.slug}/revisions/2/"
    assert diff.find("input", name="csrfmiddlewaretoken") is not None
    assert any("review.js" in (script.attrs.get("src") or "") for script in page.find_all("script"))


def test_the_box_is_for_the_to_side_whichever_revision_it_is(revised, bob_client):
    page = html_tree(bob_client.get(compare_url(revised, "old=2&new=1")).content)
    assert page.find("div", id="compare-diff").attrs["data-revision"] == "1"


def test_visitors_get_no_comment_box(revised, client):
    response = client.get(compare_url(revised))
    assert response.status_code == 200
    page = html_tree(response.content)
    assert "data-can-comment" not in page.find("div", id="compare-diff").attrs
    assert not any("review.js" in (script.attrs.get("src") or "") for script in page.find_all("script"))


def test_a_spec_out_of_review_gets_no_comment_box(revised, alice, bob_client):
    review_services.take_action(actor=alice, spec=revised, action="abandon")
    page = html_tree(bob_client.get(compare_url(revised)).content)
    assert "data-can-comment" not in page.find("div", id="compare-diff").attrs


def post_selection(client, spec, quote: str, *, prefix: str = "", suffix: str = ""):
    text = spec.revisions.get(number=2).text
    first = line_of_text(text, quote)
    return client.post(
        comment_url(spec),
        {
            "revision": "2",
            "body": "Which filter?",
            "quote": quote,
            "prefix": prefix,
            "suffix": suffix,
            "line_start": str(first),
            "line_end": str(first + quote.count("\n")),
        },
        HTTP_ACCEPT="application/json",
    )


def test_a_selection_of_source_lines_is_anchored_to_that_revision(revised, bob, bob_client):
    # What the compare page sends: the source as shown, lines joined by newlines, markup and all.
    quote = "the ``multiattach`` flag\nreaches the API"
    response = post_selection(bob_client, revised, quote, prefix="The scheduler filters on it, and ")
    assert response.status_code == 200, response.content
    assert response.json() == {"ok": True}

    comment = Comment.objects.get(author=bob)
    assert (comment.kind, comment.revision.number, comment.quote) == ("inline", 2, quote)
    anchor = CommentAnchor.objects.get(comment=comment, revision__number=2)
    assert anchor.state == "exact"

    # The revision's page places it on that passage, and gives the page the words to highlight.
    page = html_tree(bob_client.get(f"/p/cinder/{revised.slug}/revisions/2/").content)
    thread = page.find("article", id=f"thread-{comment.pk}")
    assert thread.attrs["data-passage"] == quote
    assert any(node.attrs.get("id") == "placed-threads" for node in thread.ancestors())


def test_a_selection_not_on_its_lines_is_refused_with_a_reason(revised, bob_client):
    response = bob_client.post(
        comment_url(revised),
        {"revision": "2", "body": "Hm", "quote": "not in the spec", "line_start": "3", "line_end": "3"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert "not on lines 3 to 3 of revision 2" in response.json()["error"]
    assert not Comment.objects.exists()


def test_visitors_cannot_post_a_selection(revised, client):
    response = post_selection(client, revised, "The scheduler filters on it")
    assert response.status_code == 302 and "/login" in response["Location"]
    assert not Comment.objects.exists()
