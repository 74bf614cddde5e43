"""A project's specs, filtered by status, release, owner and a search."""

from __future__ import annotations

import pytest
from django.urls import reverse

from specs_app.authoring import services
from specs_app.models import Spec, SpecStatus
from tests.helpers import html_tree

URL = reverse("specs:spec-list", kwargs={"project_slug": "cinder"})


def _new_spec(actor, project, name, *, title=None, release="2026.1", status=None):
    spec = services.create_spec(
        actor=actor,
        project=project,
        title=title or name.replace("-", " ").title(),
        release=release,
        blueprint_url=f"https://blueprints.launchpad.net/cinder/+spec/{name}",
    )
    if status:
        Spec.objects.filter(pk=spec.pk).update(status=status)
    return spec


@pytest.fixture
def specs(project, alice, bob):
    return {
        "multi": _new_spec(alice, project, "multi-attach", title="Volume multi-attach"),
        "backup": _new_spec(bob, project, "backup-zstd", title="Backup compression", release="2025.2"),
        "rbac": _new_spec(alice, project, "srbac", title="Secure RBAC", status=SpecStatus.APPROVED),
    }


def _listed(response) -> set[str]:
    return {
        cell.text.strip() for cell in html_tree(response.content).find_all("a", class_="spec-table__title")
    }


def test_it_lists_the_projects_specs(client, specs):
    response = client.get(URL)

    assert response.status_code == 200
    assert _listed(response) == {"Volume multi-attach", "Backup compression", "Secure RBAC"}


def test_it_lists_only_this_projects_specs(client, specs, alice):
    other = services.create_project(name="Manila", slug="manila")
    _new_spec(alice, other, "share-groups", title="Share groups")

    assert "Share groups" not in _listed(client.get(URL))


def test_it_shows_status_release_and_owner(client, specs):
    page = html_tree(client.get(URL).content)

    row = next(tr for tr in page.find_all("tr") if "Backup compression" in tr.text)
    cells = [td.text.strip() for td in row.find_all("td")]
    assert cells[1] == "Draft"
    assert cells[2] == "2025.2"
    assert cells[3] == "bob"


def test_it_filters_by_status(client, specs):
    assert _listed(client.get(URL, {"status": "approved"})) == {"Secure RBAC"}


def test_it_filters_by_release(client, specs):
    assert _listed(client.get(URL, {"release": "2025.2"})) == {"Backup compression"}


def test_it_filters_by_owner(client, specs):
    assert _listed(client.get(URL, {"owner": "alice"})) == {"Volume multi-attach", "Secure RBAC"}


def test_it_combines_filters(client, specs):
    assert _listed(client.get(URL, {"owner": "alice", "status": "draft"})) == {"Volume multi-attach"}


def test_it_searches_titles_and_slugs(client, specs):
    assert _listed(client.get(URL, {"search": "compression"})) == {"Backup compression"}
    assert _listed(client.get(URL, {"search": "srbac"})) == {"Secure RBAC"}


def test_it_sends_an_old_q_bookmark_to_search(client, specs):
    response = client.get(URL, {"q": "compression", "status": "draft"})

    assert response.status_code == 301
    assert response["Location"] == f"{URL}?status=draft&search=compression"
    assert _listed(client.get(response["Location"])) == {"Backup compression"}


def test_it_treats_the_forms_empty_fields_as_any(client, specs):
    response = client.get(URL, {"search": "", "status": "", "release": "", "owner": "bob"})

    assert _listed(response) == {"Backup compression"}


def test_it_keeps_the_filters_in_the_form(client, specs):
    page = html_tree(client.get(URL, {"status": "approved", "release": "2026.1", "search": "rbac"}).content)
    # The filter form's box, not the site-wide search box in the header.
    page = page.find("form", class_="filters")

    assert page.find("input", name="search").attrs["value"] == "rbac"
    status = page.find("select", name="status").find("option", value="approved")
    assert "selected" in status.attrs
    release = page.find("select", name="release").find("option", value="2026.1")
    assert "selected" in release.attrs


def test_it_offers_the_projects_releases_and_owners_as_filters(client, specs):
    page = html_tree(client.get(URL).content)

    releases = [o.attrs["value"] for o in page.find("select", name="release").find_all("option")]
    owners = [o.attrs["value"] for o in page.find("select", name="owner").find_all("option")]
    assert releases == ["", "2026.1", "2025.2"]
    assert owners == ["", "alice", "bob"]


def test_it_ignores_an_unknown_filter_value(client, specs):
    response = client.get(URL, {"status": "bogus"})

    assert response.status_code == 200
    assert len(_listed(response)) == 3


def test_it_explains_a_refused_filter_as_the_api_does(client, specs):
    api_errors = client.get("/api/v1/specs/", {"project": "cinder", "status": "bogus"}).json()["errors"]
    page = html_tree(client.get(URL, {"status": "bogus"}).content)

    shown = [p.text.strip() for p in page.find("form", class_="filters").find_all("p", class_="field__error")]
    assert api_errors["status"] and shown == api_errors["status"]


def test_it_says_when_nothing_matches(client, specs):
    response = client.get(URL, {"search": "nothing-like-this"})

    assert _listed(response) == set()
    assert "No spec matches these filters" in response.content.decode()


def test_it_shows_new_spec_button_to_signed_in_users(alice_client, project):
    page = html_tree(alice_client.get(URL).content)

    button = [a for a in page.find_all("a") if a.text.strip() == "New spec"]
    assert button and button[0].attrs["href"] == reverse(
        "specs:spec-create", kwargs={"project_slug": "cinder"}
    )


def test_it_hides_new_spec_button_from_anonymous_visitors(client, project):
    page = html_tree(client.get(URL).content)

    assert not [a for a in page.find_all("a") if a.text.strip() == "New spec"]
    assert [a for a in page.find_all("a") if a.text.strip() == "Sign in to write a spec"]


def test_it_links_to_the_import_page(client, project):
    page = html_tree(client.get(URL).content)

    links = [a.attrs["href"] for a in page.find_all("a") if a.text.strip() == "Import"]
    assert links == [reverse("specs:spec-import", kwargs={"project_slug": "cinder"})]


def test_it_paginates(client, project, alice, monkeypatch):
    from specs_app.authoring import views

    monkeypatch.setattr(views, "SPECS_PER_PAGE", 2)
    for number in range(3):
        _new_spec(alice, project, f"spec-{number}")

    first, second = client.get(URL), client.get(URL, {"page": 2})

    assert len(_listed(first)) == 2
    assert len(_listed(second)) == 1
    assert "Page 1 of 2" in first.content.decode()


def test_it_returns_404_for_an_unknown_project(client, db):
    assert client.get(reverse("specs:spec-list", kwargs={"project_slug": "nova"})).status_code == 404


def test_it_rejects_post(alice_client, project):
    assert alice_client.post(URL).status_code == 405
