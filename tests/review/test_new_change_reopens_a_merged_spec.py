"""A new change re-opens a merged spec: it becomes a draft again, its revisions and threads kept,
editable, and submitting it makes the next revision. The workflow table's "reopen" row, so the
spec page and the API both have it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from specs_app.models import Spec, SpecStatus
from specs_app.review import services as review_services
from specs_app.review import workflow
from specs_app.transfer import exporting
from tests.review_world import comment_on, plus_two, refresh, submit, write

CHANGE = "A follow-up: back ends may also report a limit.\n"


@pytest.fixture
def merged(in_review, bob, core, second_core):
    """Revision 1, reviewed (bob's thread, resolved by him), approved and merged."""
    thread = comment_on(in_review, bob, "The scheduler does not know", body="Which scheduler?")
    review_services.publish_review(actor=bob, spec=in_review, vote=1)
    review_services.resolve_thread(actor=bob, comment=thread)
    plus_two(in_review, core, second_core)
    review_services.approve_spec(actor=core, spec=in_review)
    review_services.merge_spec(actor=core, spec=refresh(in_review))
    return refresh(in_review)


def test_it_is_a_row_of_the_workflow_table():
    step = workflow.TRANSITIONS["reopen"]
    assert (step.sources, step.target) == ((SpecStatus.MERGED,), SpecStatus.DRAFT)


def test_it_makes_the_spec_an_editable_draft_keeping_its_history(merged, alice):
    spec = review_services.reopen_spec(actor=alice, spec=merged)

    assert spec.status == SpecStatus.DRAFT
    assert spec.revisions.count() == 1
    assert spec.comments.count() == 1
    assert spec.reviews.count() == 3
    spec = write(spec, alice, proposed_change=CHANGE)
    assert CHANGE in spec.text()


def test_submitting_the_change_makes_the_next_revision_for_review(merged, alice):
    spec = write(review_services.reopen_spec(actor=alice, spec=merged), alice, proposed_change=CHANGE)

    revision = submit(spec, alice, "Add the limit")

    assert revision.number == 2
    assert refresh(spec).status == SpecStatus.IN_REVIEW
    assert CHANGE in exporting.exported_text(refresh(spec))


def test_until_then_the_merged_text_is_what_leaves(merged, alice):
    merged_text = merged.revisions.get().text
    spec = write(review_services.reopen_spec(actor=alice, spec=merged), alice, proposed_change=CHANGE)

    # A draft exports its working text, as any draft does; the merged revision stays as it was.
    assert exporting.exported_text(spec) == spec.text()
    assert spec.revisions.get().text == merged_text


@pytest.mark.parametrize("status", [SpecStatus.IMPLEMENTED, SpecStatus.IN_REVIEW, SpecStatus.APPROVED])
def test_only_a_merged_spec_is_reopened(merged, alice, status):
    Spec.objects.filter(pk=merged.pk).update(status=status)
    with pytest.raises(ValidationError, match="it must be merged"):
        review_services.reopen_spec(actor=alice, spec=refresh(merged))


@pytest.mark.parametrize("who", ["bob", "core"])
def test_only_its_authors_and_staff_start_one(merged, request, who):
    with pytest.raises(PermissionDenied, match="owner, its co-authors and staff"):
        review_services.reopen_spec(actor=request.getfixturevalue(who), spec=merged)


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("bob", 403), ("core", 403), ("alice", 302), ("staff", 302)]
)
def test_the_page_takes_it_from_the_right_people(merged, client, request, who, status):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))

    response = client.post(f"/p/cinder/{merged.slug}/review/reopen/")

    assert response.status_code == status
    expected = SpecStatus.DRAFT if who in ("alice", "staff") else SpecStatus.MERGED
    assert refresh(merged).status == expected


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 401), ("bob", 403), ("core", 403), ("alice", 200), ("staff", 200)]
)
def test_the_api_takes_it_from_the_right_people(merged, api, api_as, request, who, status):
    client = api if who == "anonymous" else api_as(request.getfixturevalue(who))

    response = client.post(f"/api/v1/specs/cinder/{merged.slug}/reopen/")

    assert response.status_code == status
    if status == 200:
        assert response.json() == {"status": "draft", "revision": 1}


def test_the_spec_page_offers_it_to_the_authors(merged, alice_client):
    page = alice_client.get(merged.get_absolute_url()).content.decode()

    assert f"/p/cinder/{merged.slug}/review/reopen/" in page
    assert "Start a new change" in page
