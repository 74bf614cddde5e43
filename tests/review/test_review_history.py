"""The review history: every published review by revision, with its message, kept after votes reset."""

from specs_app.models import Vote
from specs_app.review import selectors as review_selectors
from specs_app.review import services as review_services
from specs_app.review.selectors import Standing
from tests.review_world import comment_on, refresh, submit, write


def history_rows(spec, **kwargs):
    return [
        (
            group.revision.number,
            [
                (entry.review.reviewer.username, entry.review.vote, entry.review.message, entry.standing)
                for entry in group.entries
            ],
        )
        for group in review_selectors.review_history(spec, **kwargs)
    ]


def second_revision(spec, alice):
    spec = write(refresh(spec), alice, use_cases="Clustered file systems.")
    submit(spec, alice, "Use cases")
    return refresh(spec)


def test_each_review_is_under_its_revision_with_its_vote_and_message(in_review, bob, core):
    comment_on(in_review, bob, "The scheduler does not know")
    review_services.publish_review(actor=bob, spec=in_review, vote=-1, message="Which back ends?")
    review_services.publish_review(actor=core, spec=in_review, vote=Vote.APPROVE, message="Fine.")

    [group] = review_selectors.review_history(in_review)

    assert group.revision.number == 1
    assert [(e.review.reviewer.username, e.review.vote, e.review.message) for e in group.entries] == [
        ("bob", -1, "Which back ends?"),
        ("dave", 2, "Fine."),
    ]
    assert [e.review.comment_count for e in group.entries] == [1, 0]
    assert all(entry.counts for entry in group.entries)


def test_reviews_stay_when_a_new_revision_resets_the_votes(in_review, alice, bob, core):
    review_services.publish_review(actor=bob, spec=in_review, vote=1, message="Looks right.")
    review_services.publish_review(actor=core, spec=in_review, vote=Vote.BLOCK, message="Not this cycle.")
    spec = second_revision(in_review, alice)

    assert history_rows(spec) == [
        (2, []),
        (
            1,
            [
                ("bob", 1, "Looks right.", Standing.RESET),
                # A -2 stands on later revisions until its author changes it.
                ("dave", -2, "Not this cycle.", Standing.COUNTS),
            ],
        ),
    ]


def test_a_later_review_replaces_the_earlier_one_which_stays_listed(in_review, bob):
    review_services.publish_review(actor=bob, spec=in_review, vote=-1, message="Needs work.")
    review_services.publish_review(actor=bob, spec=in_review, vote=1, message="Now fine.")

    assert history_rows(in_review) == [
        (
            1,
            [("bob", -1, "Needs work.", Standing.REPLACED), ("bob", 1, "Now fine.", Standing.COUNTS)],
        )
    ]


def test_a_range_keeps_only_those_revisions(in_review, alice, bob):
    review_services.publish_review(actor=bob, spec=in_review, vote=-1, message="On one.")
    spec = second_revision(in_review, alice)
    review_services.publish_review(actor=bob, spec=spec, vote=1, message="On two.")

    assert [number for number, _ in history_rows(spec, first=1, last=1)] == [1]
    assert [number for number, _ in history_rows(spec, first=2)] == [2]
    assert history_rows(spec, first=2, last=2) == [(2, [("bob", 1, "On two.", Standing.COUNTS)])]


def test_it_takes_two_queries_however_many_reviews(in_review, alice, bob, core, django_assert_num_queries):
    review_services.publish_review(actor=bob, spec=in_review, vote=1, message="One.")
    with django_assert_num_queries(2):
        review_selectors.review_history(in_review)
    spec = second_revision(in_review, alice)
    for message in ("Two.", "Three."):
        review_services.publish_review(actor=core, spec=spec, vote=1, message=message)
    with django_assert_num_queries(2):
        review_selectors.review_history(spec)


def test_a_spec_never_submitted_has_no_history(spec):
    assert review_selectors.review_history(spec) == []
