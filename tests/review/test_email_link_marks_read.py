"""Following an email's link, signed in as its recipient, marks that notification read."""

import re

import pytest
from django.core import mail

from specs_app.models import Notification
from specs_app.review import services as review_services
from tests.helpers import client_for
from tests.review_world import comment_on, refresh, submit, write

SITE = "http://testserver"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def reviewed(in_review, alice, bob, co_authored_spec, django_capture_on_commit_callbacks):
    """Bob's -1 on alice's spec: alice and carol (co-author) are told, by notification and email."""
    comment_on(in_review, bob, "multiattach capability", body="Who reports it?")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review_services.publish_review(actor=bob, spec=in_review, vote=-1, message="Two things.")
    return in_review


def link_in_email_to(address: str) -> str:
    [message] = [message for message in mail.outbox if message.to == [address]]
    [link] = re.findall(rf"{SITE}(/\S*notification=\d+\S*)", message.body)
    return link


def unread(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, read_at__isnull=True))


def test_the_recipient_following_it_reads_it_and_only_it(reviewed, alice, carol, password):
    link = link_in_email_to("alice@example.org")
    [told] = unread(alice)
    assert f"notification={told.pk}#review-" in link

    response = client_for(alice, password).get(link)

    assert response.status_code == 200
    assert unread(alice) == []
    assert len(unread(carol)) == 1


def test_someone_else_following_it_changes_nothing(reviewed, alice, bob, password):
    link = link_in_email_to("alice@example.org")

    assert client_for(bob, password).get(link).status_code == 200

    assert len(unread(alice)) == 1


def test_a_visitor_not_signed_in_sees_the_page_and_nothing_changes(reviewed, alice, client):
    link = link_in_email_to("alice@example.org")

    assert client.get(link).status_code == 200

    assert len(unread(alice)) == 1


@pytest.mark.parametrize("value", ["", "abc", "-1", "1.5", "٣", "9" * 40])
def test_a_bad_id_is_ignored(reviewed, alice, value, password):
    response = client_for(alice, password).get(reviewed.get_absolute_url(), {"notification": value})

    assert response.status_code == 200
    assert len(unread(alice)) == 1


def test_a_link_with_a_query_of_its_own_keeps_it(
    in_review, alice, bob, password, django_capture_on_commit_callbacks
):
    review_services.publish_review(actor=bob, spec=in_review, vote=1)
    spec = write(refresh(in_review), alice, use_cases="Clustered file systems.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submit(spec, alice, "Use cases")

    link = link_in_email_to("bob@example.org")
    response = client_for(bob, password).get(link)

    assert link.startswith(f"/p/cinder/{spec.slug}/revisions/compare/?old=1&new=2&notification=")
    assert response.status_code == 200
    assert unread(bob) == []
