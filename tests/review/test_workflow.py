"""The spec's life: draft -> in review -> approved -> merged, or abandoned and restored."""

import pytest
from django.core.exceptions import ValidationError

from specs_app.models import SpecStatus, Vote
from specs_app.review import services as review_services
from tests.review_world import refresh, submit


def approve_ready(spec, *core_users):
    for core_user in core_users:
        review_services.publish_review(actor=core_user, spec=spec, vote=Vote.APPROVE, message="Good.")


def test_it_goes_from_draft_to_merged(in_review, core, second_core):
    assert in_review.status == SpecStatus.IN_REVIEW
    approve_ready(in_review, core, second_core)
    review_services.approve_spec(actor=core, spec=in_review)
    assert refresh(in_review).status == SpecStatus.APPROVED
    review_services.merge_spec(actor=core, spec=in_review)
    assert refresh(in_review).status == SpecStatus.MERGED


def test_it_refuses_to_merge_before_approval(in_review, core):
    with pytest.raises(ValidationError, match="must be approved"):
        review_services.merge_spec(actor=core, spec=in_review)


def test_it_abandons_and_restores_to_review(in_review, alice):
    review_services.abandon_spec(actor=alice, spec=in_review)
    assert refresh(in_review).status == SpecStatus.ABANDONED
    review_services.restore_spec(actor=alice, spec=in_review)
    assert refresh(in_review).status == SpecStatus.IN_REVIEW


def test_a_never_submitted_spec_is_restored_as_a_draft(spec, alice):
    review_services.abandon_spec(actor=alice, spec=spec)
    review_services.restore_spec(actor=alice, spec=spec)
    assert refresh(spec).status == SpecStatus.DRAFT


def test_it_refuses_to_submit_an_abandoned_spec(in_review, alice):
    review_services.abandon_spec(actor=alice, spec=in_review)
    with pytest.raises(ValidationError, match="abandoned"):
        submit(refresh(in_review), alice)


def test_a_new_revision_takes_an_approved_spec_back_to_review(in_review, alice, core, second_core):
    from tests.review_world import write

    approve_ready(in_review, core, second_core)
    review_services.approve_spec(actor=core, spec=in_review)
    spec = write(refresh(in_review), alice, use_cases="Clustered file systems.")
    submit(spec, alice)
    assert refresh(spec).status == SpecStatus.IN_REVIEW


def test_the_pages_post_status_actions(in_review, alice_client):
    url = f"/p/cinder/{in_review.slug}/review/abandon/"
    response = alice_client.post(url)
    assert response.status_code == 302
    assert refresh(in_review).status == SpecStatus.ABANDONED
    assert alice_client.post(f"/p/cinder/{in_review.slug}/review/fly/").status_code == 404
    assert alice_client.get(url).status_code == 405


def test_a_refused_action_says_why_with_a_4xx(in_review, alice_client):
    response = alice_client.post(f"/p/cinder/{in_review.slug}/review/merge/")
    assert response.status_code == 403
    assert b"core reviewers and staff" in response.content
