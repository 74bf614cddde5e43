"""Following a notification marks it read and goes to its page: a plain link, no JavaScript needed."""

import pytest

from specs_app.models import Notification
from specs_app.review import services as review_services
from tests.helpers import client_for, html_tree


@pytest.fixture
def notification(in_review, alice, bob):
    review = review_services.publish_review(actor=bob, spec=in_review, vote=1, message="Fine.")
    return Notification.objects.get(recipient=alice, review=review)


def test_following_it_marks_it_read_and_goes_to_its_page(notification, alice_client, in_review):
    response = alice_client.get(f"/notifications/{notification.pk}/")

    assert response.status_code == 302
    assert response["Location"] == f"/p/cinder/{in_review.slug}/#review-{notification.review_id}"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_the_list_links_through_it(notification, alice_client):
    page = html_tree(alice_client.get("/notifications/").content)
    [link] = [a for a in page.find_all("a") if a.text == notification.message]
    assert link.attrs["href"] == f"/notifications/{notification.pk}/"


def test_only_other_unread_ones_stay_unread(notification, in_review, alice, bob, alice_client):
    other = review_services.publish_review(actor=bob, spec=in_review, vote=-1, message="On second thought.")
    alice_client.get(f"/notifications/{notification.pk}/")
    assert Notification.objects.get(recipient=alice, review=other).read_at is None


def test_someone_elses_is_not_found_and_stays_unread(notification, carol, password):
    assert client_for(carol, password).get(f"/notifications/{notification.pk}/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_it_needs_a_sign_in(notification, client):
    response = client.get(f"/notifications/{notification.pk}/")
    assert response.status_code == 302
    assert "login" in response["Location"]
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_link_elsewhere_goes_to_the_spec_instead(notification, alice_client, in_review):
    Notification.objects.filter(pk=notification.pk).update(url="https://elsewhere.example/")
    response = alice_client.get(f"/notifications/{notification.pk}/")
    assert response["Location"] == f"/p/cinder/{in_review.slug}/"


def test_it_takes_no_post(notification, alice_client):
    assert alice_client.post(f"/notifications/{notification.pk}/").status_code == 405
