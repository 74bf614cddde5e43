"""No input, however malformed, ends in a 500; every error has the one JSON shape."""

from __future__ import annotations

import pytest

from specs_app.limits import MAX_REQUEST_BYTES

ERROR_KEYS = {"message", "errors"}


@pytest.fixture
def section_url(spec):
    return f"/api/v1/specs/{spec.pk}/sections/{spec.sections.first().pk}/"


@pytest.mark.parametrize(
    "body",
    [
        b"{",
        b"[1, 2",
        b'{"text": "x", "version": 1',
        b"\xff\xfe\x00garbage",
        b'{"text": "\\ud800", "version": 1}',
        b"null",
        b"[]",
        b'"text"',
    ],
)
def test_it_answers_400_to_malformed_json(api_as, alice, section_url, body):
    response = api_as(alice).generic("PUT", section_url, body, content_type="application/json")

    assert response.status_code == 400
    assert set(response.json()) == ERROR_KEYS
    assert response.json()["message"]


@pytest.mark.parametrize("url", ["/api/v1/specs/", "/api/v1/specs/{pk}/text/", "/api/v1/specs/{pk}/"])
def test_it_refuses_huge_bodies_with_413_before_reading_them(api_as, alice, spec, url):
    body = b'{"text": "' + b"x" * (MAX_REQUEST_BYTES + 1) + b'", "version": 1}'

    response = api_as(alice).generic(
        "PUT" if "{pk}" in url else "POST", url.format(pk=spec.pk), body, content_type="application/json"
    )

    assert response.status_code == 413
    assert set(response.json()) == ERROR_KEYS


def test_it_refuses_a_lying_content_length(api_as, alice, section_url):
    response = api_as(alice).generic(
        "PUT",
        section_url,
        b'{"text": "x", "version": 1}',
        content_type="application/json",
        CONTENT_LENGTH="99999999999",
    )

    assert response.status_code == 413


def test_it_answers_415_to_an_unknown_content_type(api_as, alice, section_url):
    response = api_as(alice).generic("PUT", section_url, b"text", content_type="application/x-nonsense")

    assert response.status_code == 415
    assert set(response.json()) == ERROR_KEYS


def test_it_answers_405_in_the_same_shape(api_as, alice, spec):
    response = api_as(alice).post(f"/api/v1/specs/{spec.pk}/", {}, format="json")

    assert response.status_code == 405
    assert set(response.json()) == ERROR_KEYS


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/nothing/",
        "/api/v1/specs/1/nothing/",
        "/api/v1/specs/0/sections/99999999999999999999/",
        "/api/v1/projects/%00/",
    ],
)
def test_it_answers_404_in_the_same_shape_for_unknown_paths(api, spec, url):
    response = api.get(url)

    assert response.status_code == 404
    assert set(response.json()) == ERROR_KEYS


@pytest.mark.parametrize(
    "query",
    [
        "search=%00",
        "owner=%00",
        "project=%00",
        "release=%00",
        "ordering=%00",
        "page=%00",
        "page_size=-1",
        "search=" + "x" * 5000,
    ],
)
def test_it_never_fails_on_strange_query_strings(api, spec, query):
    response = api.get(f"/api/v1/specs/?{query}")

    assert response.status_code in {200, 400, 404}
    assert response.status_code == 200 or set(response.json()) == ERROR_KEYS


def test_it_refuses_nul_in_text(api_as, alice, spec, section_url):
    response = api_as(alice).put(section_url, {"text": "a\x00b", "version": 1}, format="json")

    assert response.status_code == 400
    assert "text" in response.json()["errors"]


@pytest.mark.parametrize(
    "header", ["Token", "Token a b", "Token \x00", "Token " + "k" * 5000, "Token sp_unknown", "Token é"]
)
def test_it_answers_401_to_bad_tokens(api, spec, header):
    response = api.get("/api/v1/specs/", HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert set(response.json()) == ERROR_KEYS


def test_it_answers_json_404_for_paths_with_line_breaks(api, db):
    response = api.get("/api/v1/templates/a%0Ab%E2%80%A8c/")

    assert response.status_code == 404
    assert set(response.json()) == ERROR_KEYS


def test_a_vanished_object_is_a_404_not_a_500(client, project, monkeypatch):
    from specs_app.api import projects as api_projects
    from specs_app.models import Project

    def vanished(self):
        raise Project.DoesNotExist("Project matching query does not exist.")

    monkeypatch.setattr(api_projects.ProjectViewSet, "get_queryset", vanished)
    response = client.get("/api/v1/projects/")
    assert response.status_code == 404
    assert "no longer exists" in response.json()["message"]
