"""A thread knows its passage's text in the revision shown, which the page highlights.

On the revision it was made on that is the quote; carried to a later revision
where the words changed a little, it is the later text, not the old quote.
"""

from specs_app.review import selectors as review_selectors
from tests.review_world import PROBLEM, comment_on, refresh, submit, write

QUOTE = "work around it by hand"


def passages(spec, viewer, number):
    revision = spec.revisions.get(number=number)
    return {
        thread.comment.pk: thread.passage
        for thread in review_selectors.threads(spec, viewer=viewer, revision=revision)
    }


def test_on_its_own_revision_the_passage_is_the_quote(in_review, bob):
    comment = comment_on(in_review, bob, QUOTE)
    assert passages(in_review, bob, 1)[comment.pk] == QUOTE


def test_on_a_later_revision_the_passage_is_that_revisions_text(in_review, alice, bob):
    comment = comment_on(in_review, bob, QUOTE)
    spec = write(in_review, alice, problem_description=PROBLEM.replace("work around it", "work round it"))
    submit(spec, alice, "Wording")
    spec = refresh(spec)
    anchor = comment.anchors.get(revision__number=2)
    assert anchor.state == "fuzzy"
    text = spec.revisions.get(number=2).text
    assert passages(spec, bob, 2)[comment.pk] == text[anchor.start : anchor.end] != QUOTE
    assert "work round it by hand" in passages(spec, bob, 2)[comment.pk]


def test_comments_not_on_a_passage_have_none(in_review, bob):
    from specs_app.review import services as review_services

    general = review_services.add_comment(actor=bob, spec=in_review, body="Overall fine.")
    section = review_services.add_comment(actor=bob, spec=in_review, body="This section?", section_index=0)
    found = passages(in_review, bob, 1)
    assert found[general.pk] == "" and found[section.pk] == ""


def test_an_outdated_comment_has_none(in_review, alice, bob):
    comment = comment_on(in_review, bob, QUOTE)
    spec = write(in_review, alice, problem_description="Something else entirely.\n")
    submit(spec, alice, "Rewrite")
    spec = refresh(spec)
    assert comment.anchors.get(revision__number=2).state == "outdated"
    assert passages(spec, bob, 2)[comment.pk] == ""
