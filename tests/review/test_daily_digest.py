"""The daily digest: one email a day instead of one per event, sent by ``manage.py send_digests``.

Those who choose it still get every notification in the app, and no email per
event; the command sends each of them one email with everything since their
last digest, grouped by spec, with absolute links, and a second run sends nothing.
"""

from __future__ import annotations

import socket

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from specs_app.accounts import services as account_services
from specs_app.authoring import services
from specs_app.models import AccountSettings, Notification
from specs_app.review import digest
from specs_app.review import services as review_services
from tests.helpers import html_tree
from tests.review_world import PROBLEM, refresh, submit, write

SITE = "https://specs.example.org"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    """``act(function, **kwargs)``: an action with its per-event emails sent as on commit."""

    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


def choose(user, *, daily_digest: bool = True, email_notifications: str = "all") -> None:
    account_services.update_account_settings(
        actor=user, email=user.email, email_notifications=email_notifications, daily_digest=daily_digest
    )


@pytest.fixture
def second_spec(project, alice):
    spec = services.create_spec(
        actor=alice,
        project=project,
        title="Backup compression",
        release="2026.1",
        blueprint_url="https://blueprints.launchpad.net/cinder/+spec/backup-zstd",
    )
    spec = write(spec, alice, problem_description=PROBLEM)
    submit(spec, alice, "First draft")
    return refresh(spec)


@pytest.fixture
def news_for_alice(act, in_review, second_spec, alice, bob, core):
    """Alice chose the digest; then bob and dave reviewed her two specs (three events)."""
    choose(alice)
    mail.outbox.clear()
    act(review_services.publish_review, actor=bob, spec=in_review, vote=-1, message="Two things.")
    act(review_services.publish_review, actor=core, spec=in_review, vote=1, message="Fine by me.")
    act(review_services.publish_review, actor=bob, spec=second_spec, vote=1, message="Smaller is better.")
    return in_review, second_spec


def to(address: str) -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if address in message.to]


def test_a_digest_reader_gets_the_notifications_in_the_app_and_no_email_per_event(news_for_alice, alice):
    assert Notification.objects.filter(recipient=alice).count() == 3
    assert to("alice@example.org") == []


def test_others_still_get_an_email_per_event(act, news_for_alice, alice, bob):
    spec, _ = news_for_alice
    act(
        submit, spec=write(spec, alice, use_cases="Clustered file systems."), actor=alice, message="Use cases"
    )
    assert [message.subject for message in to("bob@example.org")] == [
        "[SpecPortal] alice submitted revision 2 of Volume multi-attach"
    ]


def test_the_digest_is_one_email_grouped_by_spec_with_absolute_links(news_for_alice, alice):
    in_review, _ = news_for_alice

    run = digest.send_digests()

    assert run == digest.DigestRun(emails=1, notifications=3, failed=0)
    [email] = to("alice@example.org")
    assert email.to == ["alice@example.org"]
    assert email.subject == "[SpecPortal] Your daily digest: 3 notifications on 2 specs"
    body = email.body
    first, second = body.index("Volume multi-attach (Cinder"), body.index("Backup compression (Cinder")
    assert first < second, "specs in the order of their first news"
    multi_attach = body[first:second]
    assert "bob reviewed Volume multi-attach (revision 1): -1" in multi_attach
    assert "dave reviewed Volume multi-attach (revision 1): +1" in multi_attach
    assert f"{SITE}/p/cinder/{in_review.slug}/\n" in multi_attach
    review = in_review.reviews.get(reviewer__username="bob")
    told = Notification.objects.get(recipient__email="alice@example.org", review=review)
    assert f"{SITE}/p/cinder/{in_review.slug}/?notification={told.pk}#review-{review.pk}" in multi_attach
    assert "bob reviewed Backup compression (revision 1): +1" in body[second:]
    assert f"Choose what SpecPortal emails you: {SITE}/settings/account/" in body


def test_the_digest_stamps_what_it_sent_and_a_second_run_sends_nothing(news_for_alice, alice):
    digest.send_digests()
    mail.outbox.clear()

    assert not Notification.objects.filter(recipient=alice, digested_at__isnull=True).exists()
    assert digest.send_digests() == digest.DigestRun()
    assert mail.outbox == []


def test_the_next_digest_has_only_what_came_after_the_last(act, news_for_alice, alice, carol):
    in_review, _ = news_for_alice
    digest.send_digests()
    mail.outbox.clear()
    act(review_services.publish_review, actor=carol, spec=in_review, vote=0, message="A question.")

    digest.send_digests()

    [email] = to("alice@example.org")
    assert email.subject == "[SpecPortal] Your daily digest: 1 notification on 1 spec"
    assert "carol reviewed" in email.body and "bob reviewed" not in email.body


def test_the_command_sends_the_digests_and_says_how_many(news_for_alice, capsys):
    call_command("send_digests")
    assert capsys.readouterr().out.strip() == "Sent 1 digest email covering 3 notifications."
    assert len(to("alice@example.org")) == 1

    call_command("send_digests")
    assert capsys.readouterr().out.strip() == "Sent 0 digest emails covering 0 notifications."
    assert len(to("alice@example.org")) == 1


def test_my_specs_leaves_others_specs_out_of_the_digest(act, news_for_alice, alice, bob, core):
    in_review, _ = news_for_alice
    choose(bob, email_notifications="my_specs")
    thread = review_services.add_comment(actor=bob, spec=in_review, body="Which back ends?")
    review_services.publish_review(actor=bob, spec=in_review, vote=None, message="")
    review_services.reply_to_comment(actor=core, comment=thread, body="Those reporting it.")
    act(review_services.publish_review, actor=core, spec=in_review, vote=None, message="")
    assert Notification.objects.filter(recipient=bob, digested_at__isnull=True).count() == 1
    mail.outbox.clear()

    digest.send_digests()

    assert to("bob@example.org") == [], "not bob's spec: in the app only"
    assert not Notification.objects.filter(recipient=bob, digested_at__isnull=True).exists()
    assert len(to("alice@example.org")) == 1


def test_none_and_no_address_send_no_digest(news_for_alice, alice):
    choose(alice, email_notifications="none")
    assert digest.send_digests().emails == 0

    account_services.update_account_settings(
        actor=alice, email="", email_notifications="all", daily_digest=True
    )
    Notification.objects.filter(recipient=alice).update(digested_at=None)
    assert digest.send_digests().emails == 0
    assert mail.outbox == []


def test_turning_the_digest_on_starts_it_from_then(act, in_review, alice, bob):
    act(review_services.publish_review, actor=bob, spec=in_review, vote=1, message="Emailed at once.")
    assert len(to("alice@example.org")) == 1

    choose(alice)

    assert digest.send_digests() == digest.DigestRun()
    assert len(to("alice@example.org")) == 1, "not emailed a second time"


def test_turning_the_digest_off_sends_what_was_waiting_as_a_last_digest(
    news_for_alice, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        choose(alice, daily_digest=False)

    [email] = to("alice@example.org")
    assert email.subject == "[SpecPortal] Your daily digest: 3 notifications on 2 specs"
    assert not Notification.objects.filter(recipient=alice, digested_at__isnull=True).exists()
    assert digest.send_digests().emails == 0


def test_turning_the_digest_off_with_nothing_waiting_sends_nothing(
    alice, in_review, django_capture_on_commit_callbacks
):
    choose(alice)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        choose(alice, daily_digest=False)

    assert mail.outbox == []


def test_people_without_the_digest_are_left_alone(act, in_review, alice, bob):
    act(review_services.publish_review, actor=bob, spec=in_review, vote=1, message="Fine.")
    mail.outbox.clear()

    assert digest.send_digests() == digest.DigestRun()
    assert mail.outbox == []
    assert Notification.objects.get(recipient=alice).digested_at is None


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_refusing_mail_server_keeps_the_news_for_the_next_run(news_for_alice, alice, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _closed_port(), 5

    with pytest.raises(CommandError, match="Could not send 1 digest"):
        call_command("send_digests")
    assert Notification.objects.filter(recipient=alice, digested_at__isnull=True).count() == 3

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert digest.send_digests().emails == 1


def test_turning_the_digest_off_saves_even_when_the_mail_server_refuses_the_last_digest(
    news_for_alice, alice, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _closed_port(), 5

    with django_capture_on_commit_callbacks(execute=True):
        choose(alice, daily_digest=False)

    assert AccountSettings.objects.get(user=alice).daily_digest is False
    assert "send_digest" in caplog.text
    assert Notification.objects.filter(recipient=alice).count() == 3, "still in the app"


# The settings page


def test_the_settings_page_offers_the_digest(alice_client):
    page = html_tree(alice_client.get("/settings/account/").content)
    box = page.find("input", name="daily_digest")
    assert box.attrs["type"] == "checkbox" and "checked" not in box.attrs
    assert "Send me one email a day instead of one per event" in page.find("label", for_=box.attrs["id"]).text


def test_ticking_the_box_chooses_the_digest_and_unticking_undoes_it(alice_client, alice):
    form = {"email": alice.email, "email_notifications": "all"}
    assert alice_client.post("/settings/account/", {**form, "daily_digest": "on"}).status_code == 302
    assert AccountSettings.objects.get(user=alice).daily_digest
    page = html_tree(alice_client.get("/settings/account/").content)
    assert "checked" in page.find("input", name="daily_digest").attrs

    assert alice_client.post("/settings/account/", form).status_code == 302
    assert not AccountSettings.objects.get(user=alice).daily_digest


def test_saving_without_the_field_keeps_the_choice(alice):
    choose(alice)
    account_services.update_account_settings(actor=alice, email=alice.email, email_notifications="my_specs")
    assert AccountSettings.objects.get(user=alice).daily_digest
