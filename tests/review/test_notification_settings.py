"""The settings page: your email address and what SpecPortal emails you about (all, my specs, none)."""

import pytest
from django.core import mail

from specs_app.accounts import services as account_services
from specs_app.models import AccountSettings, EmailNotifications, Notification
from specs_app.review import services as review_services
from tests.helpers import html_tree
from tests.review_world import comment_on


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    def run(function, **kwargs):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


def emailed():
    return sorted(address for message in mail.outbox for address in message.to)


def test_the_page_shows_your_address_and_choice(alice_client):
    page = html_tree(alice_client.get("/settings/account/").content)
    assert page.find("input", name="email").attrs["value"] == "alice@example.org"
    assert "checked" in page.find("input", name="email_notifications", value="all").attrs


def test_saving_sets_both(alice_client, alice):
    response = alice_client.post(
        "/settings/account/", {"email": "alice@cinder.example", "email_notifications": "my_specs"}
    )
    assert response.status_code == 302 and response["Location"] == "/settings/account/"
    alice.refresh_from_db()
    assert alice.email == "alice@cinder.example"
    assert AccountSettings.objects.get(user=alice).email_notifications == EmailNotifications.MY_SPECS
    assert "Saved your settings." in alice_client.get("/settings/account/").content.decode()


def test_a_bad_address_is_refused_saying_why_and_nothing_changes(alice_client, alice):
    response = alice_client.post(
        "/settings/account/", {"email": "alice at home", "email_notifications": "none"}
    )
    assert response.status_code == 400
    assert "is not an email address" in response.content.decode()
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"
    assert not AccountSettings.objects.filter(user=alice).exists()


def test_an_unknown_choice_is_refused(alice_client):
    response = alice_client.post("/settings/account/", {"email": "", "email_notifications": "sometimes"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_the_page_needs_a_sign_in(client):
    assert client.get("/settings/account/").status_code == 302
    assert client.post("/settings/account/", {"email": "x@example.org"}).status_code == 302


def test_none_keeps_the_notification_but_sends_no_email(act, in_review, alice, bob):
    account_services.update_account_settings(actor=alice, email=alice.email, email_notifications="none")
    act(review_services.publish_review, actor=bob, spec=in_review, vote=1, message="Fine.")
    assert Notification.objects.filter(recipient=alice).count() == 1
    assert emailed() == []


def test_no_address_no_email(act, in_review, alice, bob):
    account_services.update_account_settings(actor=alice, email="", email_notifications="all")
    act(review_services.publish_review, actor=bob, spec=in_review, vote=1, message="Fine.")
    assert Notification.objects.filter(recipient=alice).count() == 1
    assert emailed() == []


def test_my_specs_emails_about_your_specs_only(act, in_review, alice, bob):
    account_services.update_account_settings(actor=alice, email=alice.email, email_notifications="my_specs")
    account_services.update_account_settings(actor=bob, email=bob.email, email_notifications="my_specs")
    comment_on(in_review, bob, "The scheduler does not know")
    act(review_services.publish_review, actor=bob, spec=in_review, vote=-1, message="Why?")
    assert emailed() == ["alice@example.org"]  # alice's spec

    thread = in_review.comments.get()
    review_services.reply_to_comment(actor=alice, comment=thread, body="Because.")
    act(review_services.publish_review, actor=alice, spec=in_review, vote=None, message="")
    assert Notification.objects.filter(recipient=bob, kind="replied").count() == 1
    assert emailed() == []  # not bob's spec: listed in the app only
