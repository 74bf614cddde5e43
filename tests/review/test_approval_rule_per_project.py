"""Each project says how many core reviewers (besides the authors) must +2 a spec; two unless it says so."""

from __future__ import annotations

import html

import pytest
from django.core.exceptions import ValidationError

from specs_app.models import Project, SpecStatus
from specs_app.review import rules as can
from specs_app.review import selectors as review_selectors
from specs_app.review import services as review_services
from tests.review_world import plus_two, refresh


def test_a_project_asks_for_two_by_default(project):
    assert Project._meta.get_field("required_core_approvals").default == 2
    assert project.required_core_approvals == 2


def test_a_project_may_ask_for_one(in_review, core):
    in_review.project.required_core_approvals = 1
    in_review.project.save()
    plus_two(in_review, core)

    review_services.approve_spec(actor=core, spec=refresh(in_review))

    assert refresh(in_review).status == SpecStatus.APPROVED


def test_a_project_may_ask_for_three(in_review, core, second_core, django_user_model, password, project):
    project.required_core_approvals = 3
    project.save()
    fay = django_user_model.objects.create_user("fay", "fay@example.org", password)
    project.core_reviewers.add(fay)
    plus_two(in_review, core, second_core)

    assert review_selectors.approval_status(refresh(in_review)).missing == [
        "a +2 from 3 core reviewers other than the spec's authors (2 so far: dave, erin)"
    ]
    plus_two(in_review, fay)
    review_services.approve_spec(actor=core, spec=refresh(in_review))
    assert refresh(in_review).status == SpecStatus.APPROVED


def test_it_is_at_least_one(project):
    project.required_core_approvals = 0
    with pytest.raises(ValidationError) as refused:
        project.full_clean()
    assert "required_core_approvals" in refused.value.message_dict


def test_a_project_with_too_few_core_reviewers_is_told_so(in_review, core, alice, project):
    # Alice, the author, does not count among them.
    project.core_reviewers.add(alice)

    missing = review_selectors.approval_status(refresh(in_review)).missing

    assert missing[-1] == (
        "1 more core reviewer in Cinder: it has 1 besides the spec's authors (an administrator adds them)"
    )


def test_the_spec_page_explains_the_projects_rule(in_review, client, project):
    project.required_core_approvals = 3
    project.save()

    page = html.unescape(client.get(in_review.get_absolute_url()).content.decode())

    rule = can.approval_rule(project)
    assert rule[0].upper() + rule[1:] in page
    assert "a +2 from 3 core reviewers other than the spec's authors" in page


def test_the_rule_reads_as_the_project_sets_it(project):
    assert can.approval_rule(project) == (
        "approval takes a +2 from 2 core reviewers other than the spec's authors, no -2, every thread "
        "resolved; then a core reviewer who is not an author approves it."
    )
    project.required_core_approvals = 1
    project.approval_requires_resolved_threads = False
    assert can.approval_rule(project) == (
        "approval takes a +2 from a core reviewer other than the spec's authors, no -2; "
        "then a core reviewer who is not an author approves it."
    )


def test_the_api_shows_a_projects_rule(api, project):
    project.required_core_approvals = 3
    project.save()

    data = api.get(f"/api/v1/projects/{project.slug}/").json()

    assert data["required_core_approvals"] == 3
    assert data["approval_requires_resolved_threads"] is True


def test_the_admin_edits_it(client, staff, project):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)

    listing = client.get("/admin/specs_app/project/")
    form = client.get(f"/admin/specs_app/project/{project.pk}/change/")

    assert listing.status_code == form.status_code == 200
    assert "required_core_approvals" in form.content.decode()
    assert "column-required_core_approvals" in listing.content.decode()
