"""Approval: a core reviewer, a +2, no -2, and (per project) no unresolved threads."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from specs_app.models import SpecStatus
from specs_app.review import selectors as review_selectors
from specs_app.review import services as review_services
from tests.review_world import comment_on, refresh


def test_it_needs_a_plus_two(in_review, core):
    status = review_selectors.approval_status(in_review)
    assert not status.ready
    assert status.missing == ["a +2 from a core reviewer"]
    with pytest.raises(ValidationError, match=r"a \+2 from a core reviewer"):
        review_services.approve_spec(actor=core, spec=in_review)


def test_a_minus_two_blocks_it(in_review, core, django_user_model, password, project):
    erin = django_user_model.objects.create_user("erin", "erin@example.org", password)
    project.core_reviewers.add(erin)
    review_services.publish_review(actor=core, spec=in_review, vote=2)
    review_services.publish_review(actor=erin, spec=in_review, vote=-2)
    status = review_selectors.approval_status(in_review)
    assert status.missing == ["no -2 (given by erin)"]
    with pytest.raises(ValidationError, match="no -2"):
        review_services.approve_spec(actor=core, spec=in_review)


def test_unresolved_threads_block_it_when_the_project_says_so(in_review, core, bob, alice):
    comment_on(in_review, bob, "The scheduler does not know")
    review_services.publish_review(actor=bob, spec=in_review, vote=1)
    review_services.publish_review(actor=core, spec=in_review, vote=2)
    assert review_selectors.approval_status(in_review).missing == ["1 unresolved thread to resolve"]
    with pytest.raises(ValidationError, match="1 unresolved thread"):
        review_services.approve_spec(actor=core, spec=in_review)

    in_review.project.approval_requires_resolved_threads = False
    in_review.project.save()
    review_services.approve_spec(actor=refresh(in_review).owner and core, spec=refresh(in_review))
    assert refresh(in_review).status == SpecStatus.APPROVED


def test_resolving_the_threads_makes_it_ready(in_review, core, bob, alice):
    thread = comment_on(in_review, bob, "The scheduler does not know")
    review_services.publish_review(actor=bob, spec=in_review, vote=1)
    review_services.publish_review(actor=core, spec=in_review, vote=2)
    review_services.resolve_thread(actor=alice, comment=thread)
    assert review_selectors.approval_status(in_review).ready
    review_services.approve_spec(actor=core, spec=in_review)


def test_only_a_core_reviewer_approves(in_review, core, alice, staff):
    review_services.publish_review(actor=core, spec=in_review, vote=2)
    for person in (alice, staff):
        with pytest.raises(PermissionDenied, match="core reviewers"):
            review_services.approve_spec(actor=person, spec=in_review)


def test_the_page_says_what_is_missing(in_review, client):
    response = client.get(in_review.get_absolute_url())
    assert response.status_code == 200
    assert "Approval still needs" in response.content.decode()
    assert "a +2 from a core reviewer" in response.content.decode()
