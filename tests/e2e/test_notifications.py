"""Notifications in Chromium: following one marks it read (with or without JavaScript); the settings page
sets the address emails go to, and their links are absolute."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from specs_app.models import Notification
from specs_app.review import services as review_services
from tests.review_world import comment_on

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reviewed(in_review, bob):
    comment_on(in_review, bob, "The scheduler does not know", body="Which back ends?")
    return review_services.publish_review(actor=bob, spec=in_review, vote=-1, message="One question.")


def unread_badge(page):
    return page.locator(".site-header .count--unread")


def follow_the_notification(page, reviewed):
    page.goto("/notifications/")
    item = page.locator(".notification").filter(has_text="bob reviewed Volume multi-attach")
    expect(item).to_contain_text("One question.")  # the review's message, beside its notification
    item.get_by_role("link", name=re.compile("bob reviewed")).click()
    expect(page).to_have_url(re.compile(rf"/p/cinder/{reviewed.spec.slug}/#review-{reviewed.pk}$"))
    expect(page.locator(f"#review-{reviewed.pk}")).to_contain_text("One question.")


def test_following_a_notification_marks_it_read(page, sign_in, alice, reviewed):
    sign_in(alice)
    page.goto("/dashboard/")
    expect(unread_badge(page)).to_have_text("1")

    follow_the_notification(page, reviewed)

    expect(unread_badge(page)).to_have_count(0)
    assert Notification.objects.get(recipient=alice).read_at is not None


def test_it_works_without_javascript(browser, live_server, alice, reviewed):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(alice)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        page = context.new_page()
        follow_the_notification(page, reviewed)
        expect(unread_badge(page)).to_have_count(0)
    finally:
        context.close()


def test_the_settings_page_sets_where_emails_go(page, sign_in, settings, live_server, alice, bob, in_review):
    settings.SITE_URL = live_server.url
    sign_in(alice)
    page.goto("/dashboard/")
    page.locator(".site-header").get_by_role("link", name="Settings").click()

    expect(page.get_by_label("Email address")).to_have_value("alice@example.org")
    expect(page.get_by_label("Everything on specs I take part in")).to_be_checked()
    page.get_by_label("Email address").fill("alice@cinder.example")
    page.get_by_label("Only specs I own or co-author").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status")).to_contain_text("Saved your settings.")
    expect(page.get_by_label("Email address")).to_have_value("alice@cinder.example")
    expect(page.get_by_label("Only specs I own or co-author")).to_be_checked()

    mail.outbox.clear()
    review = review_services.publish_review(actor=bob, spec=in_review, vote=1, message="Looks right.")
    [email] = mail.outbox
    assert email.to == ["alice@cinder.example"]
    told = Notification.objects.get(recipient=alice, review=review)
    link = f"{live_server.url}/p/cinder/{in_review.slug}/?notification={told.pk}#review-{review.pk}"
    assert link in email.body

    page.goto(link)  # the email's link, as a mail reader opens it: the page, and the notification read
    expect(page.locator(f"#review-{review.pk}")).to_contain_text("Looks right.")
    expect(unread_badge(page)).to_have_count(0)
    told.refresh_from_db()
    assert told.read_at is not None


def test_a_bad_address_is_refused_at_its_field(page, sign_in, alice, console_errors):
    sign_in(alice)
    page.goto("/settings/account/")
    page.get_by_label("Email address").fill("alice at home")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".field__error")).to_contain_text("is not an email address")
    # The refusal is a 400 on purpose, which Chromium logs as a failed load: not a page error.
    assert [error for error in console_errors if "status of 400" not in error] == []
    console_errors.clear()
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"
