"""The front page: every project, with how many specs it has."""

from __future__ import annotations

from django.urls import reverse

from specs_app.authoring import services
from tests.helpers import html_tree


def test_it_lists_projects_with_spec_counts(client, spec, alice):
    services.create_project(name="Manila", slug="manila")
    services.create_spec(
        actor=alice,
        project=spec.project,
        title="Another",
        release="2026.1",
        blueprint_url="https://blueprints.launchpad.net/cinder/+spec/another",
    )

    response = client.get(reverse("specs:project-list"))

    assert response.status_code == 200
    cards = {
        card.find("a").text.strip(): card.text
        for card in html_tree(response.content).find_all("li", class_="project-card")
    }
    assert set(cards) == {"Cinder", "Manila"}
    assert "2 specs" in " ".join(cards["Cinder"].split())
    assert "0 specs" in " ".join(cards["Manila"].split())


def test_it_links_each_project_to_its_specs(client, project):
    response = client.get(reverse("specs:project-list"))

    assert reverse("specs:spec-list", kwargs={"project_slug": "cinder"}) in response.content.decode()


def test_it_says_when_there_are_no_projects(client, db):
    response = client.get(reverse("specs:project-list"))

    assert "No projects yet" in response.content.decode()


def test_it_rejects_post(client, db):
    assert client.post(reverse("specs:project-list")).status_code == 405


def test_it_uses_the_shared_layout(client, project):
    page = html_tree(client.get(reverse("specs:project-list")).content)

    skip = page.find("a", class_="skip-link")
    assert skip is not None and skip.attrs["href"] == "#main"
    assert page.find("main", id="main") is not None
    stylesheets = [link.attrs["href"] for link in page.find_all("link", rel="stylesheet")]
    assert stylesheets == ["/static/specs_app/css/base.css", "/static/specs_app/css/authoring.css"]
    assert page.find("a", class_="brand").text.strip().endswith("SpecPortal")
