"""Section sign-off over the API: a spec's owned sections and their sign-offs; a project's owners
(anyone reads, core reviewers and staff replace them); approval refused while a sign-off is missing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from specs_app.models import SectionOwner, SpecStatus
from specs_app.review import services as review_services
from tests.review_world import plus_two, refresh

OWNERS = "/api/v1/projects/cinder/section-owners/"


def _owners(project) -> list[tuple[str, str]]:
    return [(owner.section_title, owner.group.name) for owner in SectionOwner.objects.filter(project=project)]


def test_anyone_reads_a_specs_signoffs(api, url, in_review, security, sam):
    response = api.get(url(in_review, "signoffs/"))

    assert response.status_code == 200
    assert response.json() == {
        "revision": 1,
        "signoffs": [
            {
                "section_title": "Security impact",
                "groups": [{"group": "security", "signed_by": []}],
                "sign_off": "needed",
                "needed": True,
                "waiting_for": ["security"],
                "status": "needs sign-off from security",
            }
        ],
    }

    review_services.publish_review(actor=sam, spec=in_review, vote=1)
    (section,) = api.get(url(in_review, "signoffs/")).json()["signoffs"]
    assert (section["sign_off"], section["groups"]) == (
        "signed",
        [{"group": "security", "signed_by": ["sam"]}],
    )


def test_a_spec_without_owned_sections_has_none(api, url, in_review):
    assert api.get(url(in_review, "signoffs/")).json() == {"revision": 1, "signoffs": []}


def test_approval_is_refused_naming_the_section(api_as, url, in_review, security, sam, core, second_core):
    plus_two(in_review, core, second_core)

    response = api_as(core).post(url(in_review, "approve/"))

    assert response.status_code == 400
    assert "a +1 on Security impact from a member of security" in response.json()["message"]
    review_services.publish_review(actor=sam, spec=in_review, vote=1)
    assert api_as(core).post(url(in_review, "approve/")).json()["status"] == SpecStatus.APPROVED
    assert refresh(in_review).status == SpecStatus.APPROVED


def test_anyone_reads_the_owners(api, security):
    response = api.get(OWNERS)

    assert response.status_code == 200
    assert response.json() == {"owners": [{"section_title": "Security impact", "group": "security"}]}


@pytest.mark.parametrize(("who", "status"), [("anonymous", 401), ("outsider", 403), ("author", 403)])
def test_others_may_not_replace_them(api, api_as, project, security, spec, bob, alice, who, status):
    client = api if who == "anonymous" else api_as(bob if who == "outsider" else alice)

    response = client.put(OWNERS, {"owners": []}, format="json")

    assert response.status_code == status
    assert _owners(project) == [("Security impact", "security")]


@pytest.mark.parametrize("who", ["core", "staff"])
def test_core_reviewers_and_staff_replace_them(api_as, project, security, core, staff, who):
    Group.objects.create(name="api")
    body = {
        "owners": [
            {"section_title": "rest API impact", "group": "api"},
            {"section_title": "Security impact", "group": "security"},
            {"section_title": "Security impact", "group": "api"},
        ]
    }

    response = api_as(core if who == "core" else staff).put(OWNERS, body, format="json")

    assert response.status_code == 200
    # Spelt as the template spells it.
    assert response.json()["owners"] == [
        {"section_title": "REST API impact", "group": "api"},
        {"section_title": "Security impact", "group": "api"},
        {"section_title": "Security impact", "group": "security"},
    ]
    assert len(_owners(project)) == 3


@pytest.mark.parametrize(
    ("owner", "message"),
    [
        ({"section_title": "Security impact", "group": "nobody"}, "There is no group named “nobody”"),
        ({"section_title": "   ", "group": "security"}, "Name the section, as its heading reads."),
        ({"section_title": 5, "group": "security"}, "Not a valid string."),
        ({"section_title": "x" * 201, "group": "security"}, "no more than 200 characters"),
        ({"group": "security"}, "This field is required."),
    ],
)
def test_bad_input_is_a_400_saying_why(api_as, project, security, core, owner, message):
    response = api_as(core).put(OWNERS, {"owners": [owner]}, format="json")

    assert response.status_code == 400
    assert message in response.json()["message"]
    assert _owners(project) == [("Security impact", "security")]


def test_an_unknown_project_is_a_404(api):
    assert api.get("/api/v1/projects/nowhere/section-owners/").status_code == 404
