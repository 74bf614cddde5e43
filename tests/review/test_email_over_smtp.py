"""Notification and digest emails through Django's SMTP backend to a real SMTP server on localhost.

The other email tests use the locmem backend; this one checks that what the
services send makes it over SMTP as a well-formed message: the right
recipient, subject and absolute link. aiosmtpd answers DATA only after its
handler has kept the message, and Django's send returns only after that
answer, so the messages are there to read as soon as the send returns.
"""

from __future__ import annotations

import socket
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from specs_app.accounts import services as account_services
from specs_app.models import Notification
from specs_app.review import digest
from specs_app.review import services as review_services

SITE = "https://specs.example.org"


class Inbox:
    """An aiosmtpd handler that keeps every message it is given, with its envelope's recipients."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_inbox():
    """A real SMTP server on 127.0.0.1 and Django's SMTP backend pointed at it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=controller.port,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_TIMEOUT=10,
            SITE_URL=SITE,
        ):
            yield inbox
    finally:
        controller.stop()


def test_a_review_notification_arrives_over_smtp(
    smtp_inbox, in_review, alice, bob, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review = review_services.publish_review(actor=bob, spec=in_review, vote=-1, message="Two things.")

    [(recipients, message)] = smtp_inbox.received
    assert recipients == ["alice@example.org"]
    assert message["To"] == "alice@example.org"
    assert (
        message["Subject"] == "[SpecPortal] bob reviewed Volume multi-attach (revision 1): -1 Needs changes"
    )
    body = message.get_content()
    assert "Two things." in body
    told = Notification.objects.get(recipient=alice, review=review)
    assert f"{SITE}/p/cinder/{in_review.slug}/?notification={told.pk}#review-{review.pk}" in body


def test_a_daily_digest_arrives_over_smtp(
    smtp_inbox, in_review, alice, bob, django_capture_on_commit_callbacks
):
    account_services.update_account_settings(
        actor=alice, email=alice.email, email_notifications="all", daily_digest=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        review = review_services.publish_review(actor=bob, spec=in_review, vote=1, message="Fine.")
    assert smtp_inbox.received == [], "no email per event for a digest reader"

    assert digest.send_digests().emails == 1

    [(recipients, message)] = smtp_inbox.received
    assert recipients == ["alice@example.org"]
    assert message["Subject"] == "[SpecPortal] Your daily digest: 1 notification on 1 spec"
    body = message.get_content()
    assert "bob reviewed Volume multi-attach (revision 1): +1" in body
    told = Notification.objects.get(recipient=alice, review=review)
    assert f"{SITE}/p/cinder/{in_review.slug}/?notification={told.pk}#review-{review.pk}" in body
