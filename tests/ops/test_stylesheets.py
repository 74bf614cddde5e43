"""Every page links base.css first, then its area's stylesheets, and each of them exists.

Order is the cascade: an area's rules may override base.css, so they must come after it;
the spec page shows the review panel, so review.css comes after authoring.css there.
"""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.helpers import html_tree

BASE = "specs_app/css/base.css"
AUTHORING = "specs_app/css/authoring.css"
REVIEW = "specs_app/css/review.css"


def stylesheets(response) -> list[str]:
    assert response.status_code == 200
    links = html_tree(response.content).find_all("link", rel="stylesheet")
    return [link.attrs["href"].removeprefix("/static/") for link in links]


@pytest.mark.parametrize(
    ("name", "scope", "expected"),
    [
        ("specs:project-list", "site", [BASE, AUTHORING]),
        ("specs:spec-list", "project", [BASE, AUTHORING]),
        ("specs:spec-create", "project", [BASE, AUTHORING]),
        ("specs:spec-detail", "spec", [BASE, AUTHORING, REVIEW]),
        ("specs:spec-edit", "spec", [BASE, AUTHORING]),
        # The dashboard pages its lists with the spec list's pager (authoring.css).
        ("specs:dashboard", "site", [BASE, AUTHORING, REVIEW]),
        ("specs:notification-list", "site", [BASE, REVIEW]),
        ("specs:spec-import", "project", [BASE]),
        ("specs:api-tokens", "site", [BASE]),
    ],
)
def test_a_page_links_base_css_then_its_areas_stylesheets(alice_client, in_review, name, scope, expected):
    kwargs = {
        "site": {},
        "project": {"project_slug": in_review.project.slug},
        "spec": {"project_slug": in_review.project.slug, "spec_slug": in_review.slug},
    }[scope]

    assert stylesheets(alice_client.get(reverse(name, kwargs=kwargs))) == expected


def test_the_revision_page_links_the_review_stylesheet(alice_client, in_review):
    url = reverse(
        "specs:revision-detail",
        kwargs={"project_slug": in_review.project.slug, "spec_slug": in_review.slug, "number": 1},
    )

    assert stylesheets(alice_client.get(url)) == [BASE, REVIEW]


def test_the_sign_in_page_links_only_base_css(client, db):
    assert stylesheets(client.get(reverse("login"))) == [BASE]


@pytest.mark.parametrize("path", [BASE, AUTHORING, REVIEW])
def test_every_linked_stylesheet_is_a_static_file(path):
    assert finders.find(path) is not None
