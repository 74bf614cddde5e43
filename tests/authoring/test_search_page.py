"""/search/: every project's specs, in the order GET /api/v1/specs/?search= gives them.

The page reads through the API's filter set (``selectors.site_search``), so the
same query lists the same specs in the same order on both; these hold it to that
on several queries, and check that bad input is a message, never a 500.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from specs_app.authoring import search, services
from specs_app.models import Spec, SpecStatus
from tests.helpers import html_tree

URL = reverse("specs:search")


def _spec(project, owner, name: str, title: str, text: str = "", status: str | None = None) -> Spec:
    spec = services.create_spec(
        actor=owner,
        project=project,
        title=title,
        release="2026.1",
        blueprint_url=f"https://blueprints.launchpad.net/{project.slug}/+spec/{name}",
    )
    if text:
        section = spec.sections.order_by("position")[0]
        services.update_section(actor=owner, section=section, base_version=section.version, text=text)
    if status:
        Spec.objects.filter(pk=spec.pk).update(status=status)
    return spec


@pytest.fixture
def specs(project, alice, bob):
    """Specs in two projects, matched by title, by file name and by text."""
    manila = services.create_project(name="Manila", slug="manila")
    _spec(project, alice, "multi-attach", "Volume multi-attach", "Attach a volume to two instances.\n")
    _spec(project, bob, "backup-zstd", "Backup compression", "Back up a volume faster with zstd.\n")
    _spec(manila, alice, "share-groups", "Share groups", "Groups of shares, like volume groups.\n")
    _spec(manila, bob, "volume-backed-shares", "Shares on Cinder", status=SpecStatus.APPROVED)
    _spec(manila, bob, "share-replicas", "Share replicas", "Replicate a share to another back end.\n")


def _page(client, query: str, **params):
    response = client.get(URL, {"search": query, **params})
    return response, html_tree(response.content)


def _page_slugs(client, query: str) -> list[str]:
    response, tree = _page(client, query)
    assert response.status_code == 200
    return [cell.text.strip() for cell in tree.find_all("div", class_="spec-table__slug")]


def _api_slugs(client, query: str) -> list[str]:
    response = client.get("/api/v1/specs/", {"search": query})
    assert response.status_code == 200
    return [item["slug"] for item in response.json()["results"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("volume", {"multi-attach", "backup-zstd", "share-groups", "volume-backed-shares"}),
        ("share", {"share-groups", "volume-backed-shares", "share-replicas"}),
        ("zstd", {"backup-zstd"}),
        ("groups", {"share-groups"}),
        ("nothing-like-this", set()),
    ],
)
def test_the_page_and_the_api_list_the_same_specs_in_the_same_order(client, specs, query, expected):
    page, api = _page_slugs(client, query), _api_slugs(client, query)

    assert set(page) == expected
    assert page == api, "the same specs in the same order"


def test_each_result_shows_its_project_status_and_where_it_matched(client, specs):
    _, tree = _page(client, "zstd")

    [row] = tree.find("table", class_="search-results").find("tbody").find_all("tr")
    assert row.find("a", class_="spec-table__title").text.strip() == "Backup compression"
    assert row.find("td", class_="search-results__project").text.strip() == "Cinder"
    assert row.find("span", class_="status").text.strip() == "Draft"
    snippet = row.find("p", class_="spec-table__snippet")
    assert snippet.find("mark").text == "zstd" and "faster with zstd" in snippet.text


def test_results_come_a_page_at_a_time(client, project, alice):
    for number in range(23):
        _spec(project, alice, f"quota-{number}", f"Quota change {number}")

    first = _page_slugs(client, "quota")
    response, tree = _page(client, "quota", page=2)

    assert len(first) == 20
    second = [cell.text.strip() for cell in tree.find_all("div", class_="spec-table__slug")]
    assert len(second) == 3 and not set(first) & set(second)
    assert "Page 2 of 2" in response.content.decode()


def test_anyone_may_search_as_anyone_may_list_specs(client, alice_client, specs):
    assert _page_slugs(client, "zstd") == ["backup-zstd"]
    assert _page_slugs(alice_client, "zstd") == ["backup-zstd"]


def test_an_empty_search_asks_for_words_and_lists_nothing(client, specs):
    for params in ({}, {"search": ""}, {"search": "   "}):
        response = client.get(URL, params)
        assert response.status_code == 200
        assert "Type words to look for" in response.content.decode()
        assert html_tree(response.content).find("table", class_="search-results") is None


def test_a_too_long_search_is_refused_saying_why(client, specs):
    response, tree = _page(client, "volume " * 40)

    assert response.status_code == 400
    error = tree.find("p", class_="field__error").text
    assert f"at most {search.MAX_QUERY_LENGTH} characters" in error
    assert tree.find("table", class_="search-results") is None


def test_a_page_number_past_the_end_shows_the_last_page(client, specs):
    response, tree = _page(client, "zstd", page="99")
    assert response.status_code == 200
    assert [cell.text.strip() for cell in tree.find_all("div", class_="spec-table__slug")] == ["backup-zstd"]


def test_every_page_has_the_search_box_in_its_header(client, db):
    header = html_tree(client.get(reverse("specs:project-list")).content).find("header")
    box = header.find("form", role="search")
    assert box.attrs["action"] == URL
    assert box.find("input", type="search").attrs["name"] == "search"


def test_a_page_of_results_is_counted_in_its_own_query(client, specs):
    with CaptureQueriesContext(connection) as queries:
        response, _ = _page(client, "volume")

    assert response.status_code == 200
    assert "4 specs match “volume”" in response.content.decode()
    statements = [query["sql"].lstrip().upper() for query in queries.captured_queries]
    assert [sql for sql in statements if sql.startswith("SELECT COUNT")] == []
