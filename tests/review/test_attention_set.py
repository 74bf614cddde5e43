"""Whose turn it is (the attention set): each rule, whoever acts leaves, handing the turn on."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from specs_app.models import Attention, Notification
from specs_app.review import attention
from specs_app.review import services as review_services
from tests.review_world import comment_on, plus_two, refresh, submit, write


def waiting(spec) -> dict[str, str]:
    return {row.user.username: row.reason for row in attention.waiting_for(spec)}


def test_a_first_revision_waits_for_the_core_reviewers_while_nobody_has_reviewed(core, in_review):
    assert waiting(in_review) == {"dave": "revision 1 to review"}


def test_a_new_revision_waits_for_everyone_who_reviewed_and_not_for_its_author(core, in_review, alice, bob):
    review_services.publish_review(actor=bob, spec=in_review, vote=-1, message="Needs a use case.")
    assert waiting(in_review) == {"alice": "-1 from bob"}
    submit(write(in_review, alice, use_cases="Clusters."), alice)
    # Bob reviewed before: he is the reviewer now; the core reviewers stand in only while nobody has.
    assert waiting(in_review) == {"bob": "new revision 2 to review"}


def test_a_reviewer_who_publishes_leaves_the_set(core, in_review):
    review_services.publish_review(actor=core, spec=in_review, vote=0, message="Reading.")
    assert "dave" not in waiting(in_review)


def test_unresolved_threads_wait_for_every_author_until_they_answer(co_authored_spec, alice, bob, carol):
    spec = write(co_authored_spec, alice, problem_description="Volumes attach once.\n")
    submit(spec, alice)
    spec = refresh(spec)
    comment_on(spec, bob, "Volumes attach once.")
    review_services.add_comment(actor=bob, spec=spec, body="And the API?")
    review_services.publish_review(actor=bob, spec=spec)
    assert waiting(spec) == {"alice": "2 unresolved threads", "carol": "2 unresolved threads"}
    threads = list(spec.comments.filter(parent__isnull=True))
    review_services.reply_to_comment(actor=carol, comment=threads[0], body="Done.")
    review_services.publish_review(actor=carol, spec=spec)
    # One thread still waits for the authors; the answered one waits for bob.
    assert waiting(spec) == {
        "alice": "1 unresolved thread",
        "carol": "1 unresolved thread",
        "bob": "the authors answered 1 of your threads",
    }


def test_resolving_the_threads_ends_the_authors_turn_for_them(in_review, alice, bob):
    comment_on(in_review, bob, "The scheduler does not know")
    review_services.publish_review(actor=bob, spec=in_review)
    assert set(waiting(in_review)) == {"alice"}
    review_services.resolve_thread(actor=bob, comment=in_review.comments.get())
    assert waiting(in_review) == {}


def test_plus_ones_and_no_open_threads_wait_for_the_core_reviewers(core, second_core, in_review, bob):
    review_services.publish_review(actor=core, spec=in_review, vote=0, message="Later.")
    # Dave reviewed: he is the reviewer now, and the core reviewers no longer stand in.
    assert waiting(in_review) == {}
    review_services.publish_review(actor=bob, spec=in_review, vote=1)
    # Dave reviewed revision 1 already (a 0): only erin has yet to look.
    assert waiting(in_review) == {"erin": "+1 from bob, no open threads: ready for core review"}


def test_a_spec_that_can_be_approved_waits_for_its_core_reviewers_and_then_to_be_merged(
    core, second_core, in_review
):
    plus_two(in_review, core, second_core)
    assert waiting(in_review) == {"dave": "ready to approve", "erin": "ready to approve"}
    review_services.approve_spec(actor=core, spec=in_review)
    # Any of them merges it, the approver too: the rules still want dave, so he stays.
    assert waiting(refresh(in_review)) == {
        "dave": "approved: ready to merge",
        "erin": "approved: ready to merge",
    }


def test_merged_and_abandoned_specs_wait_for_nobody(core, second_core, in_review, alice, bob):
    attention.hand_turn(actor=alice, spec=in_review, to_user=bob)
    plus_two(in_review, core, second_core)
    review_services.approve_spec(actor=core, spec=in_review)
    review_services.merge_spec(actor=core, spec=in_review)
    assert waiting(in_review) == {}
    assert not Attention.objects.exists()


def test_abandoning_clears_the_set_and_restoring_applies_the_rules_again(core, in_review, alice):
    review_services.abandon_spec(actor=alice, spec=in_review)
    assert waiting(in_review) == {}
    review_services.restore_spec(actor=alice, spec=in_review)
    assert waiting(in_review) == {"dave": "revision 1 to review"}


def test_waiting_since_is_kept_while_the_reason_changes(core, in_review, alice, bob):
    first = Attention.objects.get(spec=in_review, user=core)
    review_services.publish_review(actor=bob, spec=in_review, vote=1)
    again = Attention.objects.get(spec=in_review, user=core)
    assert again.since == first.since
    assert again.reason != first.reason


def test_handing_on_moves_the_turn_and_tells_the_new_person_once(core, in_review, alice, bob):
    turn = attention.hand_turn(
        actor=core, spec=in_review, from_user=core, to_user="bob", reason="Bob knows multi-attach."
    )
    assert waiting(in_review) == {"bob": "handed on by dave: Bob knows multi-attach."}
    assert turn.user == bob
    [told] = Notification.objects.filter(kind=Notification.Kind.YOUR_TURN)
    assert (told.recipient, told.actor) == (bob, core)
    assert "Bob knows multi-attach." in told.message


def test_a_handed_turn_lasts_until_its_person_acts(core, in_review, alice, bob, carol):
    attention.hand_turn(actor=alice, spec=in_review, to_user=carol)
    review_services.publish_review(actor=bob, spec=in_review, vote=1)
    assert "carol" in waiting(in_review)
    review_services.publish_review(actor=carol, spec=in_review, vote=1)
    assert "carol" not in waiting(in_review)


def test_handing_yourself_the_turn_tells_nobody(in_review, alice):
    attention.hand_turn(actor=alice, spec=in_review, to_user=alice)
    assert "alice" in waiting(in_review)
    assert not Notification.objects.filter(kind=Notification.Kind.YOUR_TURN).exists()


def test_only_people_taking_part_hand_the_turn_on(core, in_review, carol, bob):
    with pytest.raises(PermissionDenied):
        attention.hand_turn(actor=carol, spec=in_review, to_user=bob)
    review_services.publish_review(actor=carol, spec=in_review, vote=0, message="Following.")
    attention.hand_turn(actor=carol, spec=in_review, to_user=bob)
    assert "bob" in waiting(in_review)


@pytest.mark.parametrize(
    ("to_user", "from_user", "reason", "field"),
    [
        ("nobody", None, "", "to"),
        ("dave", None, "", "to"),  # already waited for
        ("bob", "bob", "", "to"),
        ("bob", "ghost", "", "from"),
        ("bob", None, "x" * 151, "reason"),
    ],
)
def test_it_refuses_a_hand_on_that_makes_no_sense(
    core, in_review, alice, bob, to_user, from_user, reason, field
):
    with pytest.raises(ValidationError) as refused:
        attention.hand_turn(actor=alice, spec=in_review, to_user=to_user, from_user=from_user, reason=reason)
    assert field in refused.value.message_dict


def test_a_closed_spec_takes_no_hand_on(spec, alice, bob):
    with pytest.raises(ValidationError, match="draft: it waits for nobody"):
        attention.hand_turn(actor=alice, spec=spec, to_user=bob)


def test_you_can_take_yourself_out_until_the_next_event(core, in_review, alice, bob):
    attention.leave_turn(actor=core, spec=in_review)
    assert waiting(in_review) == {}
    with pytest.raises(ValidationError, match="not your turn"):
        attention.leave_turn(actor=core, spec=in_review)
    review_services.publish_review(actor=bob, spec=in_review, vote=1)
    assert "dave" in waiting(in_review)


def test_recomputing_gives_existing_specs_their_set(core, in_review):
    Attention.objects.all().delete()
    assert attention.recompute_all() == 1
    assert waiting(in_review) == {"dave": "revision 1 to review"}
