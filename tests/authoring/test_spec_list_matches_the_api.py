"""The spec list page and GET /api/v1/specs/ share one filter set: same query, same specs, same order."""

from __future__ import annotations

import pytest
from django.urls import reverse

from specs_app.authoring import services
from specs_app.models import Spec, SpecStatus
from tests.helpers import html_tree

URL = reverse("specs:spec-list", kwargs={"project_slug": "cinder"})


@pytest.fixture
def specs(project, alice, bob):
    def new(actor, name, title, release, status=None):
        spec = services.create_spec(
            actor=actor,
            project=project,
            title=title,
            release=release,
            blueprint_url=f"https://blueprints.launchpad.net/cinder/+spec/{name}",
        )
        if status:
            Spec.objects.filter(pk=spec.pk).update(status=status)
        return spec

    new(alice, "multi-attach", "Volume multi-attach", "2026.1")
    new(bob, "backup-zstd", "Backup compression", "2025.2")
    new(alice, "srbac", "Secure RBAC", "2026.1", SpecStatus.APPROVED)
    new(bob, "volume-groups", "Volume groups", "2026.1", SpecStatus.IN_REVIEW)
    section = Spec.objects.get(slug="backup-zstd").sections.get(title="Use Cases")
    services.update_section(actor=bob, section=section, base_version=1, text="Back up a volume faster.")


def _page_slugs(client, query: dict[str, str]) -> list[str]:
    cells = html_tree(client.get(URL, query).content).find_all("div", class_="spec-table__slug")
    return [cell.text.strip() for cell in cells]


def _api_slugs(client, query: dict[str, str]) -> list[str]:
    response = client.get("/api/v1/specs/", {"project": "cinder", **query})
    assert response.status_code == 200
    return [item["slug"] for item in response.json()["results"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"multi-attach", "backup-zstd", "srbac", "volume-groups"}),
        ({"status": "approved"}, {"srbac"}),
        ({"release": "2026.1"}, {"multi-attach", "srbac", "volume-groups"}),
        ({"owner": "alice", "release": "2026.1"}, {"multi-attach", "srbac"}),
        ({"search": "volume"}, {"multi-attach", "backup-zstd", "volume-groups"}),
        ({"search": "volume", "owner": "bob"}, {"backup-zstd", "volume-groups"}),
        ({"release": "1999.1"}, set()),
    ],
)
def test_the_page_and_the_api_list_the_same_specs(client, specs, query, expected):
    page, api = _page_slugs(client, query), _api_slugs(client, query)

    assert set(page) == expected
    assert page == api, "the same specs in the same order"
