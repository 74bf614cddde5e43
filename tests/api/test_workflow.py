"""/api/v1/specs/<spec>/{submit,abandon,restore,approve,merge,reopen}/: the workflow, via its services."""

from __future__ import annotations

import pytest

from specs_app.models import SpecStatus
from specs_app.review import services as review_services
from tests.review_world import plus_two, refresh, write


def _status(spec, value: str) -> None:
    type(spec).objects.filter(pk=spec.pk).update(status=value)


# Submit


def test_the_owner_submits_a_revision_and_gets_the_new_status(api_as, alice, spec, url):
    write(spec, alice, proposed_change="Do it.\n")

    response = api_as(alice).post(url(spec, "submit/"), {"message": "First draft"}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json() == {"status": "in_review", "revision": 1}
    spec = refresh(spec)
    assert spec.status == SpecStatus.IN_REVIEW
    assert spec.revisions.get().message == "First draft"


def test_submitting_unchanged_text_is_a_400_with_the_services_message(api_as, alice, in_review, url):
    response = api_as(alice).post(url(in_review, "submit/"), {}, format="json")

    assert response.status_code == 400
    assert response.json()["message"].startswith("Nothing changed since revision 1")
    assert set(response.json()) == {"message", "errors"}


def test_submit_refuses_anonymous_other_people_and_core_reviewers(api, api_as, bob, core, spec, url):
    assert api.post(url(spec, "submit/"), {}, format="json").status_code == 401
    for user in (bob, core):
        response = api_as(user).post(url(spec, "submit/"), {}, format="json")
        assert response.status_code == 403
        assert "owner" in response.json()["message"]
    assert refresh(spec).status == SpecStatus.DRAFT


def test_submit_refuses_a_message_of_the_wrong_type(api_as, alice, spec, url):
    response = api_as(alice).post(url(spec, "submit/"), {"message": ["x"]}, format="json")

    assert response.status_code == 400
    assert "message" in response.json()["errors"]


# Abandon and restore


@pytest.mark.parametrize("who", ["alice", "core", "staff"])
def test_authors_core_reviewers_and_staff_abandon_and_restore(api_as, in_review, url, who, request):
    user = request.getfixturevalue(who)
    client = api_as(user)

    response = client.post(url(in_review, "abandon/"))
    assert response.status_code == 200
    assert response.json() == {"status": "abandoned", "revision": 1}

    response = client.post(url(in_review, "restore/"))
    assert response.status_code == 200
    assert response.json() == {"status": "in_review", "revision": 1}


def test_restoring_a_never_submitted_spec_makes_it_a_draft(api_as, alice, spec, url):
    api_as(alice).post(url(spec, "abandon/"))

    response = api_as(alice).post(url(spec, "restore/"))

    assert response.json() == {"status": "draft", "revision": None}


def test_abandon_and_restore_refuse_anonymous_and_other_people(api, api_as, bob, in_review, url):
    assert api.post(url(in_review, "abandon/")).status_code == 401
    assert api_as(bob).post(url(in_review, "abandon/")).status_code == 403
    _status(in_review, SpecStatus.ABANDONED)
    assert api.post(url(in_review, "restore/")).status_code == 401
    assert api_as(bob).post(url(in_review, "restore/")).status_code == 403
    assert refresh(in_review).status == SpecStatus.ABANDONED


def test_restoring_a_spec_that_is_not_abandoned_is_a_400(api_as, alice, in_review, url):
    response = api_as(alice).post(url(in_review, "restore/"))

    assert response.status_code == 400
    assert "it must be abandoned" in response.json()["message"]


# Approve and merge


def test_only_core_reviewers_approve(api, api_as, alice, bob, in_review, url):
    assert api.post(url(in_review, "approve/")).status_code == 401
    for user in (alice, bob):
        response = api_as(user).post(url(in_review, "approve/"))
        assert response.status_code == 403
        assert "core reviewers" in response.json()["message"]


def test_approval_without_two_plus_twos_is_a_400_saying_what_is_missing(
    api_as, core, second_core, in_review, url
):
    response = api_as(core).post(url(in_review, "approve/"))

    assert response.status_code == 400
    assert "a +2 from 2 core reviewers other than the spec's authors (0 so far)" in response.json()["message"]

    review_services.publish_review(actor=core, spec=in_review, vote=2)
    response = api_as(core).post(url(in_review, "approve/"))

    assert response.status_code == 400
    assert "(1 so far: dave)" in response.json()["message"]
    assert refresh(in_review).status == SpecStatus.IN_REVIEW


def test_a_core_reviewer_approves_and_merges(api_as, core, second_core, in_review, url):
    plus_two(in_review, core, second_core)
    client = api_as(core)

    response = client.post(url(in_review, "approve/"))
    assert response.status_code == 200
    assert response.json() == {"status": "approved", "revision": 1}

    response = client.post(url(in_review, "merge/"))
    assert response.status_code == 200
    assert response.json() == {"status": "merged", "revision": 1}


def test_merge_refuses_anonymous_authors_and_other_people(api, api_as, alice, bob, in_review, url):
    _status(in_review, SpecStatus.APPROVED)

    assert api.post(url(in_review, "merge/")).status_code == 401
    for user in (alice, bob):
        assert api_as(user).post(url(in_review, "merge/")).status_code == 403
    assert refresh(in_review).status == SpecStatus.APPROVED


def test_staff_merge_an_approved_spec_but_not_one_in_review(api_as, staff, in_review, url):
    response = api_as(staff).post(url(in_review, "merge/"))
    assert response.status_code == 400
    assert "it must be approved" in response.json()["message"]

    _status(in_review, SpecStatus.APPROVED)
    assert api_as(staff).post(url(in_review, "merge/")).json()["status"] == "merged"


@pytest.mark.parametrize("action", ["submit/", "abandon/", "restore/", "approve/", "merge/", "reopen/"])
def test_actions_on_an_unknown_spec_are_404_and_reading_them_is_405(api_as, alice, spec, action):
    assert api_as(alice).post(f"/api/v1/specs/999999/{action}").status_code == 404
    assert api_as(alice).post(f"/api/v1/specs/cinder/nope/{action}").status_code == 404
    response = api_as(alice).get(f"/api/v1/specs/{spec.pk}/{action}")
    assert response.status_code == 405
    assert set(response.json()) == {"message", "errors"}


def test_a_spec_deleted_while_the_request_runs_is_a_404(api_as, alice, in_review, monkeypatch):
    abandon = review_services.abandon_spec

    def deleted_meanwhile(*, actor, spec):
        type(spec).objects.filter(pk=spec.pk).delete()
        return abandon(actor=actor, spec=spec)

    monkeypatch.setattr(review_services, "abandon_spec", deleted_meanwhile)

    response = api_as(alice).post(f"/api/v1/specs/{in_review.pk}/abandon/")

    assert response.status_code == 404
    assert response.json() == {"message": "It was deleted meanwhile.", "errors": {}}
