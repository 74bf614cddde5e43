"""The caller's notifications over the API: the notifications page's list, unread count and marks."""

from __future__ import annotations

import pytest

from specs_app.models import Notification, Review
from specs_app.review import services as review_services
from tests.helpers import html_tree

LIST = "/api/v1/notifications/"
READ_ALL = "/api/v1/notifications/read/"


def read_one(notification_id: int) -> str:
    return f"/api/v1/notifications/{notification_id}/read/"


@pytest.fixture
def reviewed(in_review, bob, carol):
    """Alice's spec reviewed by bob, then by carol: two notifications for alice, none for them."""
    review_services.publish_review(actor=bob, spec=in_review, vote=1, message="Fine.")
    review_services.publish_review(actor=carol, spec=in_review, vote=-1, message="One question.")
    return in_review


def page_unread_count(client) -> int:
    """The unread count the header of every page shows (0 when it shows none)."""
    badge = html_tree(client.get("/notifications/").content).find("span", class_="count--unread")
    return int(badge.text) if badge else 0


def test_anonymous_callers_are_refused(api, reviewed):
    notification = Notification.objects.first()
    assert notification is not None

    answers = [api.get(LIST), api.post(read_one(notification.pk)), api.post(READ_ALL)]

    assert [answer.status_code for answer in answers] == [401, 401, 401]
    assert all(answer.json()["message"] for answer in answers)
    assert not Notification.objects.filter(read_at__isnull=False).exists()


def test_it_lists_a_published_review_with_an_absolute_link(api_as, alice, bob, in_review, settings):
    settings.SITE_URL = "https://specs.example.org"
    review_services.publish_review(actor=bob, spec=in_review, vote=1, message="Fine.")
    review = Review.objects.get(spec=in_review, reviewer=bob)

    answer = api_as(alice).get(LIST)

    assert answer.status_code == 200
    assert answer.json()["count"] == 1
    [item] = answer.json()["results"]
    assert item["kind"] == "review_published"
    assert item["message"].startswith("bob reviewed Volume multi-attach (revision 1): +1")
    assert item["actor"] == "bob"
    assert item["spec"]["id"] == in_review.pk
    assert item["spec"]["project"] == "cinder"
    assert item["spec"]["slug"] == in_review.slug
    assert item["spec"]["title"] == "Volume multi-attach"
    assert item["spec"]["url"] == f"/api/v1/specs/{in_review.pk}/"
    assert item["spec"]["html_url"] == in_review.get_absolute_url()
    assert item["url"] == f"https://specs.example.org{in_review.get_absolute_url()}#review-{review.pk}"
    assert item["read"] is False and item["read_at"] is None
    assert item["created_at"]


def test_the_actor_is_not_told_of_their_own_review(api_as, bob, reviewed):
    answer = api_as(bob).get(LIST)

    assert answer.status_code == 200
    assert answer.json()["count"] == 0 and answer.json()["results"] == []


def test_newest_come_first_a_page_at_a_time(api_as, alice, reviewed):
    client = api_as(alice)

    first = client.get(LIST, {"page_size": 1}).json()
    second = client.get(LIST, {"page_size": 1, "page": 2}).json()

    assert first["count"] == 2 and first["next"] and first["previous"] is None
    assert [item["actor"] for item in first["results"] + second["results"]] == ["carol", "bob"]


def test_the_unread_filter_leaves_out_what_was_read(api_as, alice, reviewed):
    client = api_as(alice)
    oldest = Notification.objects.filter(recipient=alice).last()
    assert oldest is not None
    client.post(read_one(oldest.pk))

    unread = client.get(LIST, {"unread": "true"}).json()
    everything = client.get(LIST, {"unread": "false"}).json()

    assert [item["actor"] for item in unread["results"]] == ["carol"]
    assert [item["read"] for item in everything["results"]] == [False, True]


def test_an_unread_filter_that_is_not_yes_or_no_is_a_400(api_as, alice, reviewed):
    answer = api_as(alice).get(LIST, {"unread": "perhaps"})

    assert answer.status_code == 400
    assert answer.json()["message"].startswith("unread: ")
    assert "unread" in answer.json()["errors"]


def test_marking_one_read_lowers_the_pages_unread_count(api_as, alice, alice_client, reviewed):
    newest = Notification.objects.filter(recipient=alice).first()
    assert newest is not None
    assert page_unread_count(alice_client) == 2

    answer = api_as(alice).post(read_one(newest.pk))

    assert answer.status_code == 200
    assert answer.json()["id"] == newest.pk
    assert answer.json()["read"] is True and answer.json()["read_at"]
    assert page_unread_count(alice_client) == 1


def test_marking_all_read_answers_how_many_and_the_page_shows_none(api_as, alice, alice_client, reviewed):
    client = api_as(alice)

    first = client.post(READ_ALL)
    again = client.post(READ_ALL)

    assert first.status_code == 200 and first.json() == {"count": 2}
    assert again.json() == {"count": 0}
    assert page_unread_count(alice_client) == 0
    assert client.get(LIST, {"unread": "true"}).json()["count"] == 0


def test_a_notification_opened_on_the_page_reads_as_read_in_the_api(api_as, alice, alice_client, reviewed):
    newest = Notification.objects.filter(recipient=alice).first()
    assert newest is not None

    alice_client.get(f"/notifications/{newest.pk}/")

    items = api_as(alice).get(LIST).json()["results"]
    assert (items[0]["id"], items[0]["read"]) == (newest.pk, True)


def test_someone_elses_notification_is_a_404_and_stays_unread(api_as, alice, bob, reviewed):
    alices = Notification.objects.filter(recipient=alice).first()
    assert alices is not None

    answer = api_as(bob).post(read_one(alices.pk))

    assert answer.status_code == 404
    assert answer.json()["message"] == "You have no such notification."
    alices.refresh_from_db()
    assert alices.read_at is None


def test_marking_all_read_touches_only_the_callers_own(api_as, alice, bob, carol, reviewed):
    api_as(carol).post(READ_ALL)

    assert Notification.objects.filter(recipient=alice, read_at__isnull=True).count() == 2


def test_an_unknown_notification_is_a_404(api_as, alice, reviewed):
    answer = api_as(alice).post(read_one(999_999))

    assert answer.status_code == 404
    assert answer.json()["message"] == "You have no such notification."
