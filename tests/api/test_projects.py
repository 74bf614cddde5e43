"""/api/v1/projects/ and /api/v1/templates/: read only."""

from __future__ import annotations

import pytest

from specs_app.authoring import services


def test_it_lists_projects_with_spec_counts(api, spec):
    services.create_project(name="Manila", slug="manila")

    response = api.get("/api/v1/projects/")

    assert response.status_code == 200
    assert [(item["slug"], item["spec_count"]) for item in response.json()["results"]] == [
        ("cinder", 1),
        ("manila", 0),
    ]


def test_it_lists_projects_with_constant_queries(api, db, django_assert_max_num_queries):
    for n in range(12):
        services.create_project(name=f"Project {n}", slug=f"project-{n}")

    with django_assert_max_num_queries(2):
        assert api.get("/api/v1/projects/?page_size=50").status_code == 200


def test_it_reads_a_project_by_slug(api, project):
    response = api.get("/api/v1/projects/cinder/")

    assert response.status_code == 200
    assert response.json()["max_line_length"] == 79


def test_it_answers_404_for_an_unknown_project(api, project):
    assert api.get("/api/v1/projects/nowhere/").status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_it_refuses_writes_to_projects(api_as, staff, project, method):
    url = "/api/v1/projects/" if method == "post" else "/api/v1/projects/cinder/"

    assert getattr(api_as(staff), method)(url, {}, format="json").status_code == 405


def test_it_lists_templates_by_project(api, project):
    services.create_project(name="Manila", slug="manila")

    response = api.get("/api/v1/templates/?project=cinder")

    assert response.status_code == 200
    [template] = response.json()["results"]
    assert template["project"] == "cinder"
    assert template["filename"] == "template.rst"


def test_it_reads_a_template_with_its_sections(api, project, django_assert_max_num_queries):
    template = project.templates.get()

    with django_assert_max_num_queries(2):
        response = api.get(f"/api/v1/templates/{template.pk}/")

    assert response.status_code == 200
    sections = response.json()["sections"]
    assert sections[0]["title"] == "Problem description"
    assert [section["order"] for section in sections] == sorted(section["order"] for section in sections)
    assert response.json()["source"] == template.source


def test_it_refuses_writes_to_templates(api_as, staff, project):
    template = project.templates.get()

    assert api_as(staff).delete(f"/api/v1/templates/{template.pk}/").status_code == 405
