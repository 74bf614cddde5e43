"""Only a thread's opener, or a core reviewer who is not an author of the spec, resolves or reopens it.

The owner used to resolve every reviewer's thread on his own spec; he answers it now,
and the reviewer (or another core reviewer) decides it is settled.
"""

from __future__ import annotations

import html

import pytest
from django.core.exceptions import PermissionDenied

from specs_app.models import ThreadState
from specs_app.review import services as review_services
from tests.review_world import comment_on

REFUSAL = "Only the comment's author and the project's core reviewers (other than the spec's authors)"


@pytest.fixture
def bobs_thread(in_review, bob):
    thread = comment_on(in_review, bob, "The scheduler does not know", body="Which scheduler?")
    review_services.publish_review(actor=bob, spec=in_review, message="One question.")
    thread.refresh_from_db()
    return thread


def test_the_owner_may_not_resolve_a_reviewers_thread_even_as_a_core_reviewer(bobs_thread, alice, project):
    project.core_reviewers.add(alice)
    with pytest.raises(PermissionDenied, match=r"answer it with a reply instead"):
        review_services.resolve_thread(actor=alice, comment=bobs_thread)
    bobs_thread.refresh_from_db()
    assert bobs_thread.state == ThreadState.OPEN


def test_the_owner_resolves_a_thread_she_opened_herself(in_review, alice):
    thread = comment_on(in_review, alice, "multiattach capability", body="Note to self: name them.")
    review_services.publish_review(actor=alice, spec=in_review, message="Notes.")
    review_services.resolve_thread(actor=alice, comment=thread)
    thread.refresh_from_db()
    assert thread.state == ThreadState.RESOLVED


def test_a_core_reviewer_who_is_no_author_resolves_anyones(bobs_thread, core):
    review_services.resolve_thread(actor=core, comment=bobs_thread)
    bobs_thread.refresh_from_db()
    assert (bobs_thread.state, bobs_thread.resolved_by) == (ThreadState.RESOLVED, core)


def _resolve_buttons(client, spec) -> int:
    page = client.get(f"/p/cinder/{spec.slug}/revisions/1/").content.decode()
    return page.count(">Resolve</button>")


def test_the_page_offers_resolve_only_to_those_who_may(bobs_thread, alice, bob, carol, core, client):
    spec = bobs_thread.spec
    offered = {}
    for person in (alice, bob, carol, core):
        client.force_login(person)
        offered[person.get_username()] = _resolve_buttons(client, spec)
    client.logout()
    offered["anonymous"] = _resolve_buttons(client, spec)

    assert offered == {"alice": 0, "bob": 1, "carol": 0, "dave": 1, "anonymous": 0}


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("carol", 403), ("alice", 403), ("core", 302), ("bob", 302)]
)
def test_the_page_resolves_for_the_right_people(bobs_thread, client, request, who, status):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))

    response = client.post(f"/p/cinder/{bobs_thread.spec.slug}/review/comments/{bobs_thread.pk}/resolve/")

    assert response.status_code == status
    if who == "anonymous":
        assert "login" in response["Location"]
    if status == 403:
        assert REFUSAL in html.unescape(response.content.decode())
    bobs_thread.refresh_from_db()
    assert (bobs_thread.state == ThreadState.RESOLVED) == (who in ("core", "bob"))


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 401), ("carol", 403), ("alice", 403), ("core", 200)]
)
def test_the_api_resolves_for_the_right_people(api, api_as, bobs_thread, request, who, status):
    client = api if who == "anonymous" else api_as(request.getfixturevalue(who))

    response = client.post(f"/api/v1/specs/{bobs_thread.spec.pk}/comments/{bobs_thread.pk}/resolve/")

    assert response.status_code == status
    if status == 403:
        assert response.json()["message"].startswith(REFUSAL)
