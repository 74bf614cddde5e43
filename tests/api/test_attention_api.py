"""The attention set in the API: on every spec, read and handed on at attention/, ?waiting_for= on lists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from specs_app.authoring import services
from specs_app.models import Attention, Notification
from tests.review_world import submit, write


def address(spec) -> str:
    return f"/api/v1/specs/{spec.pk}/attention/"


def test_every_spec_says_whose_turn_it_is(core, in_review, api):
    detail = api.get(f"/api/v1/specs/{in_review.pk}/").json()
    [turn] = detail["attention"]
    assert (turn["user"], turn["reason"]) == ("dave", "revision 1 to review")
    assert turn["since"]
    [listed] = api.get("/api/v1/specs/").json()["results"]
    assert listed["attention"] == detail["attention"]


def test_the_list_reads_the_sets_in_a_fixed_number_of_queries(core, in_review, alice, project, api):
    with CaptureQueriesContext(connection) as few:
        api.get("/api/v1/specs/")
    for number in range(5):
        spec = services.create_spec(
            actor=alice,
            project=project,
            title=f"Another {number}",
            release="2026.1",
            blueprint_url=f"https://blueprints.launchpad.net/cinder/+spec/another-{number}",
        )
        submit(write(spec, alice, proposed_change="Text."), alice)
    with CaptureQueriesContext(connection) as many:
        api.get("/api/v1/specs/")
    assert len(many) == len(few)


def test_get_lists_the_set_to_anyone(core, in_review, api):
    response = api.get(f"/api/v1/specs/{in_review.project.slug}/{in_review.slug}/attention/")
    assert response.status_code == 200
    assert [turn["user"] for turn in response.json()] == ["dave"]


def test_an_author_hands_the_turn_on_and_the_new_person_is_told(core, in_review, alice, bob, api_as):
    response = api_as(alice).post(
        address(in_review), {"to": "bob", "from": "dave", "reason": "Knows it."}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == [
        {"user": "bob", "reason": "handed on by alice: Knows it.", "since": response.json()[0]["since"]}
    ]
    assert Notification.objects.get(kind=Notification.Kind.YOUR_TURN).recipient == bob


def test_anonymous_is_401_and_an_outsider_403(core, in_review, carol, api, api_as):
    assert api.post(address(in_review), {"to": "carol"}, format="json").status_code == 401
    assert api.delete(address(in_review)).status_code == 401
    refused = api_as(carol).post(address(in_review), {"to": "carol"}, format="json")
    assert refused.status_code == 403
    assert "taking part" in refused.json()["message"]
    assert list(Attention.objects.values_list("user__username", flat=True)) == ["dave"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "to"),
        ({"to": ""}, "to"),
        ({"to": 5}, "to"),
        ({"to": "ghost"}, "to"),
        ({"to": "bob", "from": "ghost"}, "from"),
        ({"to": "bob", "reason": "x" * 151}, "reason"),
    ],
)
def test_a_bad_hand_on_is_a_400_naming_the_field(core, in_review, alice, bob, api_as, body, field):
    response = api_as(alice).post(address(in_review), body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_a_closed_spec_takes_no_hand_on(spec, alice, bob, api_as):
    response = api_as(alice).post(address(spec), {"to": "bob"}, format="json")
    assert response.status_code == 400
    assert "waits for nobody" in response.json()["message"]


def test_delete_takes_yourself_out(core, in_review, api_as):
    client = api_as(core)
    assert client.delete(address(in_review)).status_code == 204
    assert not Attention.objects.exists()
    again = client.delete(address(in_review))
    assert again.status_code == 400
    assert "not your turn" in again.json()["message"]


def test_a_spec_that_does_not_exist_is_a_404(db, api):
    assert api.get("/api/v1/specs/999999/attention/").status_code == 404
    assert api.get("/api/v1/specs/nope/nothing/attention/").status_code == 404


def test_the_list_filters_by_whose_turn_it_is(core, in_review, alice, project, api, api_as):
    services.create_spec(
        actor=alice,
        project=project,
        title="Not waiting",
        release="2026.1",
        blueprint_url="https://blueprints.launchpad.net/cinder/+spec/not-waiting",
    )
    titles = [spec["title"] for spec in api.get("/api/v1/specs/?waiting_for=dave").json()["results"]]
    assert titles == ["Volume multi-attach"]
    mine = api_as(core).get("/api/v1/specs/?waiting_for=me").json()["results"]
    assert [spec["title"] for spec in mine] == ["Volume multi-attach"]
    assert api_as(alice).get("/api/v1/specs/?waiting_for=me").json()["results"] == []


def test_waiting_for_me_needs_a_sign_in(core, in_review, api):
    response = api.get("/api/v1/specs/?waiting_for=me")
    assert response.status_code == 400
    assert "Sign in" in response.json()["errors"]["waiting_for"][0]


def test_the_spec_list_page_filters_the_same_way(core, in_review, alice, project, password):
    from tests.helpers import client_for

    services.create_spec(
        actor=alice,
        project=project,
        title="Not waiting",
        release="2026.1",
        blueprint_url="https://blueprints.launchpad.net/cinder/+spec/not-waiting",
    )
    page = client_for(core, password).get(f"/p/{project.slug}/?waiting_for=me").content
    assert b"Volume multi-attach" in page
    assert b"Not waiting" not in page
