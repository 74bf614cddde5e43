"""The section owners page (anyone reads; staff and core reviewers change it), and the sign-off
panel on the spec and revision pages."""

from __future__ import annotations

import html

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from specs_app.models import SectionOwner
from specs_app.models.specs import validate_spec_name
from tests.helpers import client_for

PAGE = "/p/cinder/section-owners/"


@pytest.fixture
def api_group(db):
    return Group.objects.create(name="api")


def _owners(project) -> list[tuple[str, str]]:
    return [(owner.section_title, owner.group.name) for owner in SectionOwner.objects.filter(project=project)]


def test_anyone_reads_the_page_but_only_managers_get_the_form(client, project, security, bob, core):
    page = client.get(PAGE).content.decode()
    assert "Security impact" in page and "security" in page
    assert 'name="section_title"' not in page

    assert (
        'name="section_title"'
        not in client_for(bob, "correct horse battery staple").get(PAGE).content.decode()
    )
    managed = client_for(core, "correct horse battery staple").get(PAGE).content.decode()
    assert 'name="section_title"' in managed
    # The template's headings are offered, with where they are.
    assert '<option value="REST API impact">Proposed change / REST API impact</option>' in managed


@pytest.mark.parametrize("who", ["anonymous", "outsider", "author"])
def test_others_may_not_add_an_owner(client, project, api_group, spec, bob, alice, password, who):
    browser = {
        "anonymous": client,
        "outsider": client_for(bob, password),
        "author": client_for(alice, password),
    }[who]

    response = browser.post(PAGE, {"section_title": "REST API impact", "group": api_group.pk})

    assert response.status_code == 403
    assert "core reviewers" in html.unescape(response.content.decode())
    assert _owners(project) == []


@pytest.mark.parametrize("who", ["core", "staff"])
def test_core_reviewers_and_staff_add_an_owner(project, api_group, core, staff, password, who):
    browser = client_for(core if who == "core" else staff, password)

    # Spelt as the template spells it, whatever the case typed.
    response = browser.post(PAGE, {"section_title": " rest api  IMPACT ", "group": api_group.pk}, follow=True)

    assert response.redirect_chain[-1][0] == PAGE
    assert "api now signs off REST API impact." in html.unescape(response.content.decode())
    assert _owners(project) == [("REST API impact", "api")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"section_title": "", "group": "GROUP"}, "Name the section, as its heading reads."),
        (
            {"section_title": "Security impact", "group": "GROUP"},
            "security already signs off Security impact.",
        ),
        ({"section_title": "Security impact", "group": "999"}, "Choose one of the groups listed."),
        ({"section_title": "x" * 201, "group": "GROUP"}, "at most 200 characters"),
    ],
)
def test_bad_input_is_a_400_saying_why(project, security, core, password, data, message):
    data = {**data, "group": str(security.pk) if data["group"] == "GROUP" else data["group"]}

    response = client_for(core, password).post(PAGE, data)

    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert _owners(project) == [("Security impact", "security")]


def test_only_managers_remove_an_owner(project, security, bob, core, password):
    owner = SectionOwner.objects.get()
    address = f"/p/cinder/section-owners/{owner.pk}/delete/"

    assert client_for(bob, password).post(address).status_code == 403
    assert _owners(project) == [("Security impact", "security")]

    response = client_for(core, password).post(address)
    assert (response.status_code, response.url) == (302, PAGE)
    assert _owners(project) == []


def test_the_spec_page_and_revision_page_show_the_signoff_panel(client, in_review, security, sam, password):
    for address in (in_review.get_absolute_url(), f"/p/cinder/{in_review.slug}/revisions/1/"):
        page = html.unescape(client.get(address).content.decode())
        assert 'id="section-signoff"' in page
        assert "needs sign-off from security" in page

    spec_page = html.unescape(client.get(in_review.get_absolute_url()).content.decode())
    assert "a +1 on Security impact from a member of security (or the section written as None)" in spec_page
    assert (
        "each owned section signed off with a +1 from a member of its group (Security impact by security)"
        in (spec_page)
    )

    client_for(sam, password).post(
        f"/p/cinder/{in_review.slug}/review/publish/", {"vote": "1", "message": "Fine."}
    )
    assert "signed off by sam (security)" in html.unescape(
        client.get(in_review.get_absolute_url()).content.decode()
    )


def test_no_panel_where_no_group_owns_a_section(client, in_review):
    assert 'id="section-signoff"' not in client.get(in_review.get_absolute_url()).content.decode()


def test_the_project_page_links_to_it(client, project):
    assert f'href="{PAGE}"' in client.get("/p/cinder/").content.decode()


def test_a_spec_may_not_be_named_like_the_page():
    with pytest.raises(ValidationError, match="names a page of SpecPortal"):
        validate_spec_name("section-owners")


def test_the_admin_lists_them(client, security, staff):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)

    page = client.get("/admin/specs_app/sectionowner/").content.decode()

    assert "Security impact" in page
