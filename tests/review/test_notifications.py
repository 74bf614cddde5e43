"""Notifications in the app and by email: one per person per published review, never one per comment."""

import pytest
from django.core import mail

from specs_app.authoring import services
from specs_app.models import Notification
from specs_app.review import services as review_services
from tests.review_world import comment_on, submit, write


@pytest.fixture
def sent():
    return mail.outbox


def addressees(sent):
    return sorted(address for message in sent for address in message.to)


def test_a_published_review_sends_one_message_to_each_author(
    in_review, alice, bob, carol, sent, django_capture_on_commit_callbacks
):
    services.set_co_authors(actor=alice, spec=in_review, co_authors=[carol])
    mail.outbox.clear()
    for quote in ("The scheduler does not know", "Attaching a volume", "multiattach capability"):
        comment_on(in_review, bob, quote)
    with django_capture_on_commit_callbacks(execute=True):
        review_services.publish_review(actor=bob, spec=in_review, vote=-1, message="Three questions.")
    assert addressees(sent) == ["alice@example.org", "carol@example.org"]
    # Each their own message: nobody's address is shown to the others.
    assert all(len(message.to) == 1 and not message.cc and not message.bcc for message in sent)
    assert "bob reviewed Volume multi-attach" in sent[0].subject
    assert sent[0].body.count("On revision 1, ") == 3
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == ["alice", "carol"]


def test_a_new_revision_tells_reviewers_and_core(
    in_review, alice, bob, core, sent, django_capture_on_commit_callbacks
):
    review_services.publish_review(actor=bob, spec=in_review, vote=1)
    mail.outbox.clear()
    spec = write(in_review, alice, use_cases="More.")
    with django_capture_on_commit_callbacks(execute=True):
        submit(spec, alice, "Use cases")
    assert addressees(sent) == ["bob@example.org", "dave@example.org"]
    assert set(
        Notification.objects.filter(kind="revision_submitted").values_list("recipient__username", flat=True)
    ) == {"bob", "dave"}


def test_draft_comments_notify_nobody(in_review, bob, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        comment_on(in_review, bob, "The scheduler does not know")
    assert sent == []
    assert not Notification.objects.filter(kind="review_published").exists()


def test_a_refused_action_sends_nothing(in_review, bob, sent, django_capture_on_commit_callbacks):
    from django.core.exceptions import PermissionDenied

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        review_services.abandon_spec(actor=bob, spec=in_review)
    assert sent == []
    assert not Notification.objects.filter(kind="status_changed").exists()


def test_the_list_and_the_unread_count(in_review, alice, bob, alice_client):
    review_services.publish_review(actor=bob, spec=in_review, vote=1, message="Fine.")
    page = alice_client.get("/notifications/").content.decode()
    assert "bob reviewed Volume multi-attach" in page
    assert 'aria-label="1 unread"' in page
    assert alice_client.post("/notifications/read/").status_code == 302
    assert 'aria-label="1 unread"' not in alice_client.get("/notifications/").content.decode()


def test_notifications_need_a_sign_in(client):
    assert client.get("/notifications/").status_code == 302
