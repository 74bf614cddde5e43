"""Your settings over the API: the settings page's choices, through the same service."""

from __future__ import annotations

from specs_app.models import AccountSettings, Notification
from specs_app.review import services as review_services
from tests.helpers import html_tree

SETTINGS = "/api/v1/account/settings/"


def test_anonymous_callers_are_refused(api, alice):
    answers = [api.get(SETTINGS), api.patch(SETTINGS, {"email_notifications": "none"}, format="json")]

    assert [answer.status_code for answer in answers] == [401, 401]
    assert all(answer.json()["message"] for answer in answers)
    assert not AccountSettings.objects.exists()


def test_it_reads_your_address_and_the_defaults(api_as, alice):
    answer = api_as(alice).get(SETTINGS)

    assert answer.status_code == 200
    assert answer.json() == {
        "email": "alice@example.org",
        "email_notifications": "all",
        "daily_digest": False,
    }


def test_each_person_reads_their_own(api_as, alice, bob):
    api_as(alice).patch(SETTINGS, {"email_notifications": "none"}, format="json")

    assert api_as(bob).get(SETTINGS).json()["email_notifications"] == "all"


def test_a_patch_changes_only_what_it_names(api_as, alice):
    client = api_as(alice)

    answer = client.patch(SETTINGS, {"email_notifications": "my_specs"}, format="json")

    assert answer.status_code == 200
    assert answer.json() == {
        "email": "alice@example.org",
        "email_notifications": "my_specs",
        "daily_digest": False,
    }
    assert client.patch(SETTINGS, {"daily_digest": True}, format="json").json() == {
        "email": "alice@example.org",
        "email_notifications": "my_specs",
        "daily_digest": True,
    }


def test_a_setting_changed_by_the_api_shows_on_the_settings_page(api_as, alice, alice_client):
    api_as(alice).patch(
        SETTINGS,
        {"email": " alice@cinder.example ", "email_notifications": "none", "daily_digest": True},
        format="json",
    )

    page = html_tree(alice_client.get("/settings/account/").content)
    assert page.find("input", name="email").attrs["value"] == "alice@cinder.example"
    assert "checked" in page.find("input", name="email_notifications", value="none").attrs
    assert "checked" in page.find("input", name="daily_digest").attrs


def test_a_setting_saved_on_the_page_reads_the_same_in_the_api(api_as, alice, alice_client):
    alice_client.post(
        "/settings/account/",
        {"email": "alice@cinder.example", "email_notifications": "my_specs", "daily_digest": "on"},
    )

    assert api_as(alice).get(SETTINGS).json() == {
        "email": "alice@cinder.example",
        "email_notifications": "my_specs",
        "daily_digest": True,
    }


def test_an_empty_address_means_no_email(api_as, alice):
    answer = api_as(alice).patch(SETTINGS, {"email": ""}, format="json")

    assert answer.status_code == 200 and answer.json()["email"] == ""
    alice.refresh_from_db()
    assert alice.email == ""


def test_an_unknown_choice_is_a_400_saying_which_there_are(api_as, alice):
    answer = api_as(alice).patch(SETTINGS, {"email_notifications": "sometimes"}, format="json")

    assert answer.status_code == 400
    assert answer.json() == {
        "message": "email_notifications: Choose all, only your specs, or no email.",
        "errors": {"email_notifications": ["Choose all, only your specs, or no email."]},
    }
    assert not AccountSettings.objects.filter(user=alice).exists()


def test_a_bad_address_is_a_400_and_nothing_changes(api_as, alice):
    answer = api_as(alice).patch(
        SETTINGS, {"email": "alice at home", "email_notifications": "none"}, format="json"
    )

    assert answer.status_code == 400
    assert (
        answer.json()["message"]
        == "email: “alice at home” is not an email address, such as name@example.org."
    )
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"
    assert not AccountSettings.objects.filter(user=alice).exists()


def test_an_address_that_is_not_text_is_a_400(api_as, alice):
    answer = api_as(alice).patch(SETTINGS, {"email": 42}, format="json")

    assert answer.status_code == 400
    assert list(answer.json()["errors"]) == ["email"]


def test_a_body_that_is_not_an_object_is_a_400(api_as, alice):
    answer = api_as(alice).patch(SETTINGS, ["none"], format="json")

    assert answer.status_code == 400
    assert answer.json()["message"]


def test_choosing_the_digest_starts_it_from_now_as_on_the_page(api_as, alice, bob, in_review):
    review_services.publish_review(actor=bob, spec=in_review, vote=1, message="Fine.")

    api_as(alice).patch(SETTINGS, {"daily_digest": True}, format="json")

    # Emailed one by one before the choice: the first digest does not repeat it.
    assert not Notification.objects.filter(recipient=alice, digested_at__isnull=True).exists()
