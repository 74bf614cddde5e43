"""While the database is unreachable, pages and the API answer 503 with Retry-After."""

import pytest
from django.db import OperationalError

from specs_app.authoring import selectors


@pytest.fixture
def database_down(monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(selectors, "project_list", unreachable)


def test_a_page_answers_503_with_retry_after(client, db, database_down):
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "nothing was saved" in response.content.decode()


def test_the_api_answers_503_in_its_error_shape(client, project, monkeypatch):
    from specs_app.api import projects as api_projects

    def unreachable(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(api_projects.ProjectViewSet, "get_queryset", unreachable)
    response = client.get("/api/v1/projects/")
    assert response.status_code == 503
    assert response.json() == {
        "message": "The database is not reachable right now; nothing was saved. Try again in a few seconds.",
        "errors": {},
    }


def test_other_errors_are_not_disguised(client, db, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(selectors, "project_list", broken)
    client.raise_request_exception = False
    assert client.get("/").status_code == 500
