"""Approval: a core reviewer, +2s from the project's required core reviewers, no -2, and (per project) no
unresolved threads. Who may not approve their own spec is tests/review/test_self_approval.py."""

import html

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from specs_app.models import SpecStatus
from specs_app.review import selectors as review_selectors
from specs_app.review import services as review_services
from tests.review_world import comment_on, plus_two, refresh

TWO_PLUS_TWOS = "a +2 from 2 core reviewers other than the spec's authors"


def test_it_needs_a_plus_two_from_two_core_reviewers(in_review, core, second_core):
    status = review_selectors.approval_status(in_review)
    assert not status.ready
    assert status.missing == [f"{TWO_PLUS_TWOS} (0 so far)"]
    with pytest.raises(ValidationError, match=r"a \+2 from 2 core reviewers"):
        review_services.approve_spec(actor=core, spec=in_review)

    plus_two(in_review, core)
    assert review_selectors.approval_status(in_review).missing == [f"{TWO_PLUS_TWOS} (1 so far: dave)"]
    with pytest.raises(ValidationError, match=r"1 so far: dave"):
        review_services.approve_spec(actor=core, spec=in_review)

    plus_two(in_review, second_core)
    assert review_selectors.approval_status(in_review).ready
    review_services.approve_spec(actor=core, spec=in_review)
    assert refresh(in_review).status == SpecStatus.APPROVED


def test_a_minus_two_blocks_it(in_review, core, second_core, django_user_model, password, project):
    fay = django_user_model.objects.create_user("fay", "fay@example.org", password)
    project.core_reviewers.add(fay)
    plus_two(in_review, core, second_core)
    review_services.publish_review(actor=fay, spec=in_review, vote=-2)
    status = review_selectors.approval_status(in_review)
    assert status.missing == ["no -2 (given by fay)"]
    with pytest.raises(ValidationError, match="no -2"):
        review_services.approve_spec(actor=core, spec=in_review)


def test_unresolved_threads_block_it_when_the_project_says_so(in_review, core, second_core, bob, alice):
    comment_on(in_review, bob, "The scheduler does not know")
    review_services.publish_review(actor=bob, spec=in_review, vote=1)
    plus_two(in_review, core, second_core)
    assert review_selectors.approval_status(in_review).missing == ["1 unresolved thread to resolve"]
    with pytest.raises(ValidationError, match="1 unresolved thread"):
        review_services.approve_spec(actor=core, spec=in_review)

    in_review.project.approval_requires_resolved_threads = False
    in_review.project.save()
    review_services.approve_spec(actor=core, spec=refresh(in_review))
    assert refresh(in_review).status == SpecStatus.APPROVED


def test_resolving_the_threads_makes_it_ready(in_review, core, second_core, bob, alice):
    thread = comment_on(in_review, bob, "The scheduler does not know")
    review_services.publish_review(actor=bob, spec=in_review, vote=1)
    plus_two(in_review, core, second_core)
    review_services.resolve_thread(actor=bob, comment=thread)
    assert review_selectors.approval_status(in_review).ready
    review_services.approve_spec(actor=core, spec=in_review)


def test_only_a_core_reviewer_approves(in_review, core, second_core, alice, staff):
    plus_two(in_review, core, second_core)
    for person in (alice, staff):
        with pytest.raises(PermissionDenied, match="core reviewers"):
            review_services.approve_spec(actor=person, spec=in_review)


def test_the_page_says_what_is_missing(in_review, client):
    response = client.get(in_review.get_absolute_url())
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Approval still needs" in page
    assert f"{TWO_PLUS_TWOS} (0 so far)" in page
