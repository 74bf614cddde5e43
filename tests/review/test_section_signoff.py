"""Section sign-off: a section a group owns needs a +1 from one of its members before approval,
unless it is written as "None"; a new revision resets the sign-off like any vote."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from specs_app.models import SectionOwner, SpecStatus
from specs_app.review import rules as can
from specs_app.review import selectors as review_selectors
from specs_app.review import services as review_services
from specs_app.review import signoff
from tests.review_world import plus_two, refresh, submit, write


def _security(spec) -> signoff.SectionSignoff:
    (only,) = signoff.section_signoffs(spec, review_selectors.latest_revision(spec))
    return only


def _resubmit(spec, alice, **texts):
    spec = write(spec, alice, **texts)
    submit(spec, alice, "Answer the security group.")
    return refresh(spec)


@pytest.mark.parametrize("text", ["None", "None.", "none", "  None.  \n"])
def test_a_section_written_as_none_needs_no_signoff(in_review, alice, security, text):
    spec = _resubmit(in_review, alice, security_impact=text)

    section = _security(spec)

    assert (section.section_title, section.needed, section.status) == (
        "Security impact",
        False,
        "not needed (None)",
    )


@pytest.mark.parametrize("text", ["", "None, but the attachment token is logged.", "Nonexistent."])
def test_anything_else_needs_the_owners_signoff(in_review, alice, security, text):
    spec = _resubmit(in_review, alice, security_impact=text) if text else in_review

    section = _security(spec)

    assert section.needed
    assert section.status == "needs sign-off from security"


def test_a_plus_one_from_a_group_member_signs_it_off(in_review, security, sam):
    review_services.publish_review(actor=sam, spec=in_review, vote=1, message="No new secrets.")

    section = _security(in_review)

    assert not section.needed
    assert section.status == "signed off by sam (security)"


def test_a_plus_one_from_outside_the_group_or_a_minus_one_from_inside_does_not(in_review, security, sam, bob):
    review_services.publish_review(actor=bob, spec=in_review, vote=1)
    review_services.publish_review(actor=sam, spec=in_review, vote=-1, message="The token is logged.")

    assert _security(in_review).needed


def test_an_authors_own_plus_one_does_not_sign_off(in_review, security, alice):
    security.user_set.add(alice)
    review_services.publish_review(actor=alice, spec=in_review, vote=1)

    assert _security(in_review).needed


def test_a_new_revision_resets_the_signoff(in_review, alice, security, sam):
    review_services.publish_review(actor=sam, spec=in_review, vote=1)
    assert not _security(in_review).needed

    spec = _resubmit(in_review, alice, security_impact="Tokens are kept in Barbican.")

    assert _security(spec).status == "needs sign-off from security"
    # The earlier revision's page shows none either: its votes no longer count.
    first = spec.revisions.get(number=1)
    assert signoff.section_signoffs(spec, first)[0].needed


def test_each_owning_group_signs_off(in_review, project, security, sam, django_user_model, password):
    api_group = Group.objects.create(name="api")
    SectionOwner.objects.create(project=project, section_title="security IMPACT", group=api_group)

    review_services.publish_review(actor=sam, spec=in_review, vote=1)

    section = _security(in_review)
    assert [group.group for group in section.groups] == ["api", "security"]
    assert section.status == "needs sign-off from api; signed off by sam (security)"


def test_approval_is_refused_naming_the_section_and_its_group(in_review, security, sam, core, second_core):
    plus_two(in_review, core, second_core)

    status = review_selectors.approval_status(in_review)
    assert status.missing == [
        "a +1 on Security impact from a member of security (or the section written as None)"
    ]
    with pytest.raises(ValidationError, match=r"Security impact from a member of security"):
        review_services.approve_spec(actor=core, spec=in_review)

    review_services.publish_review(actor=sam, spec=in_review, vote=1)
    review_services.approve_spec(actor=core, spec=refresh(in_review))
    assert refresh(in_review).status == SpecStatus.APPROVED


def test_a_section_the_spec_lacks_needs_nothing(in_review, project, core, second_core):
    group = Group.objects.create(name="ops")
    SectionOwner.objects.create(project=project, section_title="Upgrade impact", group=group)
    plus_two(in_review, core, second_core)

    assert _security(in_review).status == "not in this spec"
    assert review_selectors.approval_status(in_review).ready


def test_the_approval_rule_names_the_owned_sections(project, security):
    assert can.approval_rule(project) == (
        "approval takes a +2 from 2 core reviewers other than the spec's authors, no -2, every thread "
        "resolved, and each owned section signed off with a +1 from a member of its group "
        '(Security impact by security) unless it is written as "None"; '
        "then a core reviewer who is not an author approves it."
    )


def test_it_reads_in_a_fixed_number_of_queries(
    in_review, project, security, sam, bob, django_assert_max_num_queries
):
    for name in ("api", "docs", "ops"):
        group = Group.objects.create(name=name)
        group.user_set.add(bob)
        for title in ("REST API impact", "Documentation Impact", "Upgrade impact"):
            SectionOwner.objects.create(project=project, section_title=title, group=group)
    review_services.publish_review(actor=sam, spec=in_review, vote=1)
    review_services.publish_review(actor=bob, spec=in_review, vote=1)
    revision = review_selectors.latest_revision(in_review)
    spec = refresh(in_review)

    # The project, its owners, the latest revision, the reviews, the co-authors, the voters' groups.
    with django_assert_max_num_queries(6):
        signoffs = signoff.section_signoffs(spec, revision)

    assert len(signoffs) == 4
    assert [item.status for item in signoffs if item.section_title == "REST API impact"] == [
        "signed off by bob (api), bob (docs), bob (ops)"
    ]
