"""Someone concerned in several ways (co-author, core reviewer, in a thread) is told once per action.

Carol co-authors alice's spec, is a core reviewer of the project and replied in
bob's thread: every action (new revision, review, reply, approve, merge,
abandon, restore) reaches her as one notification and one email, and whoever
acts, even when they are concerned in all those ways, is told nothing.
"""

from __future__ import annotations

from collections import Counter

import pytest
from django.core import mail

from specs_app.models import Notification, Vote
from specs_app.review import services as review_services
from tests.review_world import comment_on, refresh, submit, write


@pytest.fixture
def world(co_authored_spec, in_review, project, carol, bob):
    """Carol: co-author, core reviewer and in bob's thread on the spec under review."""
    project.core_reviewers.add(carol)
    thread = comment_on(in_review, bob, "The scheduler does not know", body="Which back ends?")
    review_services.publish_review(actor=bob, spec=in_review, vote=0, message="")
    review_services.reply_to_comment(actor=carol, comment=thread, body="Those reporting multiattach.")
    review_services.publish_review(actor=carol, spec=in_review, vote=None, message="")
    return refresh(in_review), thread


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    """``act(actor, function, **kwargs)``: the action; who was told, by notification and by email."""

    def run(actor, function, **kwargs):
        mail.outbox.clear()
        Notification.objects.all().delete()
        with django_capture_on_commit_callbacks(execute=True):
            function(actor=actor, **kwargs)
        told = Counter(Notification.objects.values_list("recipient__username", flat=True))
        emailed = Counter(address for message in mail.outbox for address in message.to)
        assert told and all(count == 1 for count in told.values()), told
        assert all(count == 1 for count in emailed.values()), emailed
        assert actor.username not in told and actor.email not in emailed, "never the actor"
        return told

    return run


def test_a_new_revision(act, world, alice, carol):
    spec, _ = world
    told = act(alice, submit, spec=write(spec, alice, use_cases="Clustered file systems."))
    assert told["carol"] == 1


def test_a_review_with_a_reply_in_her_thread(act, world, bob, carol):
    spec, thread = world
    review_services.reply_to_comment(actor=bob, comment=thread, body="Thanks.")
    told = act(bob, review_services.publish_review, spec=spec, vote=-1, message="One more thing.")
    assert told["carol"] == 1
    assert Notification.objects.get(recipient=carol).kind == Notification.Kind.REVIEW_PUBLISHED


def test_a_reply_alone(act, world, bob, carol):
    spec, thread = world
    review_services.reply_to_comment(actor=bob, comment=thread, body="Thanks.")
    told = act(bob, review_services.publish_review, spec=spec, vote=None, message="")
    assert told["carol"] == 1


def test_approving_and_merging(act, world, core, second_core, carol):
    spec, thread = world
    review_services.resolve_thread(actor=core, comment=thread)
    for reviewer in (core, second_core):
        review_services.publish_review(actor=reviewer, spec=spec, vote=Vote.APPROVE, message="Good.")

    assert act(core, review_services.approve_spec, spec=refresh(spec))["carol"] == 1
    assert act(second_core, review_services.merge_spec, spec=refresh(spec))["carol"] == 1


def test_abandoning_and_restoring(act, world, alice, carol):
    spec, _ = world
    assert act(alice, review_services.abandon_spec, spec=spec)["carol"] == 1
    assert act(alice, review_services.restore_spec, spec=refresh(spec))["carol"] == 1


def test_acting_in_all_those_roles_tells_her_nothing(act, world, carol, alice):
    spec, _ = world
    told = act(carol, review_services.abandon_spec, spec=spec)
    assert told["alice"] == 1
