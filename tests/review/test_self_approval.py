"""Nobody signs off their own spec: an author who is a core reviewer may not +2 it or approve it.

The owner alone used to be able to +2, approve and merge his own spec. Now a +2
counts only from core reviewers other than the spec's authors, and an author is
told why when refused, through the services, the pages and the API.
"""

from __future__ import annotations

import html
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from specs_app.models import Review, SpecStatus, Vote
from specs_app.review import rules as can
from specs_app.review import selectors as review_selectors
from specs_app.review import services as review_services
from tests.review_world import plus_two, refresh

SELF_VOTE = "You are an author of this spec, so you cannot +2 it"
SELF_APPROVAL = "You are an author of this spec, so you cannot approve it"


@pytest.fixture
def alice_is_core(alice, project):
    """Alice owns the spec and is also one of the project's core reviewers."""
    project.core_reviewers.add(alice)
    return alice


def test_the_owner_who_is_core_may_not_plus_two_her_own_spec(in_review, alice_is_core):
    with pytest.raises(PermissionDenied, match=re.escape(SELF_VOTE)) as refused:
        review_services.publish_review(actor=alice_is_core, spec=in_review, vote=Vote.APPROVE)
    assert "2 core reviewers other than the spec's authors" in str(refused.value)
    assert not Review.objects.exists()


def test_she_keeps_every_other_vote_a_core_reviewer_has(in_review, alice_is_core):
    assert can.allowed_votes(alice_is_core, in_review) == (-2, -1, 0, 1)
    review_services.publish_review(actor=alice_is_core, spec=in_review, vote=Vote.BLOCK)
    assert review_selectors.current_vote(in_review, alice_is_core) == Vote.BLOCK


def test_a_co_author_who_is_core_may_not_plus_two_either(in_review, alice, carol, project):
    from specs_app.authoring import services

    services.set_co_authors(actor=alice, spec=in_review, co_authors=[carol])
    project.core_reviewers.add(carol)
    with pytest.raises(PermissionDenied, match=re.escape(SELF_VOTE)):
        review_services.publish_review(actor=carol, spec=in_review, vote=Vote.APPROVE)


def test_the_owner_who_is_core_may_not_approve_even_when_others_gave_their_plus_twos(
    in_review, alice_is_core, core, second_core
):
    plus_two(in_review, core, second_core)
    assert review_selectors.approval_status(in_review).ready

    with pytest.raises(PermissionDenied, match=SELF_APPROVAL):
        review_services.approve_spec(actor=alice_is_core, spec=in_review)
    assert refresh(in_review).status == SpecStatus.IN_REVIEW

    review_services.approve_spec(actor=core, spec=in_review)
    assert refresh(in_review).status == SpecStatus.APPROVED


def test_an_authors_plus_two_given_before_the_rule_does_not_count(
    in_review, alice_is_core, core, second_core
):
    # As a +2 stored before this rule: it stays in the history but approves nothing.
    Review.objects.create(
        spec=in_review, revision=in_review.revisions.get(), reviewer=alice_is_core, vote=Vote.APPROVE
    )
    plus_two(in_review, core)

    status = review_selectors.approval_status(in_review)

    assert [person.get_username() for person in status.approvers] == ["dave"]
    assert status.missing == ["a +2 from 2 core reviewers other than the spec's authors (1 so far: dave)"]
    with pytest.raises(ValidationError, match="1 so far: dave"):
        review_services.approve_spec(actor=core, spec=in_review)


def test_a_plus_two_from_someone_no_longer_core_does_not_count(in_review, core, second_core, project):
    plus_two(in_review, core, second_core)
    project.core_reviewers.remove(second_core)

    status = review_selectors.approval_status(in_review)

    assert not status.ready
    assert "1 so far: dave" in status.missing[0]


def test_the_owner_alone_cannot_take_her_spec_to_merged(in_review, alice_is_core):
    """The reported bug, end to end: +2, approve and merge by the owner are each refused."""
    with pytest.raises(PermissionDenied):
        review_services.publish_review(actor=alice_is_core, spec=in_review, vote=Vote.APPROVE)
    with pytest.raises(PermissionDenied, match=SELF_APPROVAL):
        review_services.approve_spec(actor=alice_is_core, spec=in_review)
    with pytest.raises(ValidationError, match="must be approved"):
        review_services.merge_spec(actor=alice_is_core, spec=in_review)
    assert refresh(in_review).status == SpecStatus.IN_REVIEW


def test_the_page_offers_the_author_no_plus_two_and_no_approve(in_review, alice_is_core, client):
    client.force_login(alice_is_core)
    page = html.unescape(client.get(in_review.get_absolute_url()).content.decode())

    assert 'name="vote" value="-2"' in page
    assert 'name="vote" value="2"' not in page
    assert f"/p/cinder/{in_review.slug}/review/approve/" not in page


def test_the_page_refuses_the_authors_plus_two_and_approval_saying_why(in_review, alice_is_core, client):
    client.force_login(alice_is_core)

    vote = client.post(f"/p/cinder/{in_review.slug}/review/publish/", {"vote": "2"})
    approve = client.post(f"/p/cinder/{in_review.slug}/review/approve/")

    assert vote.status_code == approve.status_code == 403
    assert SELF_VOTE in html.unescape(vote.content.decode())
    assert SELF_APPROVAL in html.unescape(approve.content.decode())


@pytest.mark.parametrize("form", ["id", "name"])
def test_the_api_refuses_them_with_a_403_saying_why(api, api_as, in_review, alice_is_core, bob, core, form):
    base = (
        f"/api/v1/specs/{in_review.pk}/"
        if form == "id"
        else f"/api/v1/specs/{in_review.project.slug}/{in_review.slug}/"
    )
    owner = api_as(alice_is_core)

    vote = owner.post(f"{base}reviews/", {"vote": 2, "message": "Mine."}, format="json")
    approve = owner.post(f"{base}approve/")

    assert vote.status_code == approve.status_code == 403
    assert vote.json()["message"].startswith(SELF_VOTE)
    assert approve.json()["message"].startswith(SELF_APPROVAL)
    # Everyone else as before: anonymous 401, others 403, a core reviewer who is no author 400 (not ready).
    assert api.post(f"{base}approve/").status_code == 401
    assert api_as(bob).post(f"{base}approve/").json()["message"] == (
        "Only the project's core reviewers can approve a spec."
    )
    assert api_as(core).post(f"{base}approve/").status_code == 400
