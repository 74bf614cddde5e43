"""A thread's opener may ask to verify its resolution (Review Board's "verifying"): resolved by anyone
else, it waits for them, unresolved for approval, until they verify it or reopen it."""

from __future__ import annotations

import html

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from specs_app.models import Comment, Notification, ThreadState
from specs_app.review import selectors as review_selectors
from specs_app.review import services as review_services
from tests.helpers import client_for
from tests.review_world import comment_on, line_of_text, plus_two

QUOTE = "The scheduler does not know"


@pytest.fixture
def bobs_thread(in_review, bob):
    """Bob's published thread, whose resolution he asked to verify."""
    line = line_of_text(in_review, QUOTE)
    thread = review_services.add_comment(
        actor=bob,
        spec=in_review,
        body="Which scheduler?",
        selection=review_services.Selection(line_start=line, line_end=line, quote=QUOTE),
        requires_verification=True,
    )
    review_services.publish_review(actor=bob, spec=in_review, message="One question.")
    thread.refresh_from_db()
    return thread


def _state(thread: Comment) -> str:
    thread.refresh_from_db()
    return thread.state


def test_resolved_by_someone_else_it_waits_for_its_opener(bobs_thread, core, bob):
    before = bobs_thread.changed_at

    review_services.resolve_thread(actor=core, comment=bobs_thread)

    assert _state(bobs_thread) == ThreadState.VERIFYING
    assert bobs_thread.resolved_by == core
    assert bobs_thread.changed_at > before
    asked = Notification.objects.get(recipient=bob)
    assert asked.kind == Notification.Kind.VERIFY_RESOLUTION
    assert (
        asked.message
        == "dave resolved your thread on Volume multi-attach: verify the resolution or reopen it"
    )
    assert asked.url.endswith(f"#thread-{bobs_thread.pk}")


def test_the_authors_are_told_it_awaits_verification(bobs_thread, core, alice):
    review_services.resolve_thread(actor=core, comment=bobs_thread)

    told = Notification.objects.filter(recipient=alice).latest("pk")
    assert (told.kind, told.message) == (
        Notification.Kind.THREAD_RESOLVED,
        "dave resolved bob's thread on Volume multi-attach; bob verifies it",
    )


def test_the_opener_verifies_it_and_it_is_resolved(bobs_thread, core, bob, alice):
    review_services.resolve_thread(actor=core, comment=bobs_thread)

    review_services.verify_thread(actor=bob, comment=bobs_thread)

    assert _state(bobs_thread) == ThreadState.RESOLVED
    assert bobs_thread.resolved_by == core  # still who resolved it
    told = Notification.objects.filter(recipient=alice).latest("pk")
    assert told.message == "bob verified the resolution of bob's thread on Volume multi-attach"


def test_the_opener_reopens_it_instead(bobs_thread, core, bob):
    review_services.resolve_thread(actor=core, comment=bobs_thread)

    review_services.reopen_thread(actor=bob, comment=bobs_thread)

    assert _state(bobs_thread) == ThreadState.OPEN
    assert bobs_thread.resolved_by is None


def test_the_opener_resolving_it_himself_needs_no_verification(bobs_thread, bob):
    review_services.resolve_thread(actor=bob, comment=bobs_thread)

    assert _state(bobs_thread) == ThreadState.RESOLVED
    assert not Notification.objects.filter(kind=Notification.Kind.VERIFY_RESOLUTION).exists()


def test_a_thread_not_asking_for_it_is_resolved_at_once(in_review, bob, core):
    thread = comment_on(in_review, bob, QUOTE)
    review_services.publish_review(actor=bob, spec=in_review, message="Q.")

    review_services.resolve_thread(actor=core, comment=thread)

    assert _state(thread) == ThreadState.RESOLVED


def test_only_the_opener_verifies_and_only_a_thread_waiting_for_it(bobs_thread, core, alice, bob):
    with pytest.raises(ValidationError, match="not waiting for verification"):
        review_services.verify_thread(actor=bob, comment=bobs_thread)
    review_services.resolve_thread(actor=core, comment=bobs_thread)
    for person in (core, alice):
        with pytest.raises(PermissionDenied, match="Only bob, who opened the thread, verifies"):
            review_services.verify_thread(actor=person, comment=bobs_thread)
    assert _state(bobs_thread) == ThreadState.VERIFYING


def test_a_thread_awaiting_verification_blocks_approval(bobs_thread, core, second_core, bob):
    spec = bobs_thread.spec
    plus_two(spec, core, second_core)
    review_services.resolve_thread(actor=core, comment=bobs_thread)

    assert review_selectors.approval_status(spec).missing == ["1 unresolved thread to resolve"]
    with pytest.raises(ValidationError, match="1 unresolved thread"):
        review_services.approve_spec(actor=core, spec=spec)

    review_services.verify_thread(actor=bob, comment=bobs_thread)
    assert review_selectors.approval_status(spec).ready


# The pages


def test_the_comment_forms_ask_for_it(in_review, bob, password):
    browser = client_for(bob, password)
    page = browser.get(f"/p/cinder/{in_review.slug}/revisions/1/").content.decode()
    assert page.count('name="requires_verification"') == 2  # the source lines' and the section's forms

    browser.post(
        f"/p/cinder/{in_review.slug}/review/comments/",
        {"body": "Which back ends?", "revision": "1", "requires_verification": "1"},
    )
    browser.post(f"/p/cinder/{in_review.slug}/review/comments/", {"body": "And this?", "revision": "1"})

    assert list(Comment.objects.order_by("pk").values_list("requires_verification", flat=True)) == [
        True,
        False,
    ]


def test_the_page_shows_the_state_and_offers_verify_to_the_opener_only(bobs_thread, core, bob, password):
    spec = bobs_thread.spec
    address = f"/p/cinder/{spec.slug}/revisions/1/"
    assert "bob verifies its resolution." in client_for(core, password).get(address).content.decode()

    response = client_for(core, password).post(
        f"/p/cinder/{spec.slug}/review/comments/{bobs_thread.pk}/resolve/", follow=True
    )
    assert "Resolved the thread; bob verifies the resolution." in html.unescape(response.content.decode())

    as_core = html.unescape(client_for(core, password).get(address).content.decode())
    assert "Resolved, awaiting verification" in as_core
    assert "Resolved by dave; waiting for bob to verify the resolution." in as_core
    assert ">Verify</button>" not in as_core
    assert ">Reopen</button>" in as_core

    browser = client_for(bob, password)
    as_bob = browser.get(address).content.decode()
    assert ">Verify</button>" in as_bob and ">Reopen</button>" in as_bob

    response = browser.post(f"/p/cinder/{spec.slug}/review/comments/{bobs_thread.pk}/verify/", follow=True)
    assert "Verified the resolution: the thread is resolved." in html.unescape(response.content.decode())
    assert _state(bobs_thread) == ThreadState.RESOLVED


def test_verifying_someone_elses_thread_on_the_page_is_a_403(bobs_thread, core, password):
    review_services.resolve_thread(actor=core, comment=bobs_thread)

    response = client_for(core, password).post(
        f"/p/cinder/{bobs_thread.spec.slug}/review/comments/{bobs_thread.pk}/verify/"
    )

    assert response.status_code == 403
    assert _state(bobs_thread) == ThreadState.VERIFYING


# The API


def test_the_api_creates_resolves_lists_and_verifies_it(api, api_as, in_review, bob, core):
    base = f"/api/v1/specs/{in_review.pk}/comments/"
    created = api_as(bob).post(
        base, {"body": "Which back ends?", "requires_verification": True}, format="json"
    )
    assert created.status_code == 201
    assert created.json()["requires_verification"] is True
    thread_id = created.json()["id"]
    review_services.publish_review(actor=bob, spec=in_review, message="Q.")

    resolved = api_as(core).post(f"{base}{thread_id}/resolve/")
    assert (resolved.status_code, resolved.json()["state"]) == (200, "verifying")

    listed = api.get(f"{base}?state=verifying").json()["threads"]
    assert [thread["id"] for thread in listed] == [thread_id]

    assert api.post(f"{base}{thread_id}/verify/").status_code == 401
    refused = api_as(core).post(f"{base}{thread_id}/verify/")
    assert refused.status_code == 403
    assert "Only bob, who opened the thread, verifies" in refused.json()["message"]

    verified = api_as(bob).post(f"{base}{thread_id}/verify/")
    assert (verified.status_code, verified.json()["state"]) == (200, "resolved")
    again = api_as(bob).post(f"{base}{thread_id}/verify/")
    assert again.status_code == 400
    assert "not waiting for verification" in again.json()["message"]


def test_the_api_takes_a_json_boolean_only(api_as, in_review, bob):
    response = api_as(bob).post(
        f"/api/v1/specs/{in_review.pk}/comments/",
        {"body": "Q", "requires_verification": "maybe"},
        format="json",
    )

    assert response.status_code == 400
    assert "requires_verification" in response.json()["errors"]
