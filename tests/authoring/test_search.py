"""Full-text search (specs_app.authoring.search): ranking, snippets, write paths, the list page and the API.

These run on both backends: PostgreSQL's tsvector search and SQLite's icontains
fallback must agree on what is found. PostgreSQL's own parts (the stored vector,
its GIN index and triggers) are in test_search_postgres.py.
"""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from specs_app.authoring import search, selectors, services
from specs_app.authoring import text as services_text
from specs_app.models import Spec, SpecSection
from specs_app.transfer import importing
from tests.helpers import html_tree

URL = reverse("specs:spec-list", kwargs={"project_slug": "cinder"})
BLUEPRINT = "https://blueprints.launchpad.net/cinder/+spec/{}"


def _spec(project, owner, slug: str, title: str):
    return services.create_spec(
        actor=owner, project=project, title=title, release="2026.1", blueprint_url=BLUEPRINT.format(slug)
    )


def _write(owner, spec, text: str, position: int = 0) -> SpecSection:
    section = spec.sections.order_by("position")[position]
    return services.update_section(actor=owner, section=section, base_version=section.version, text=text)


def _found(query: str, **kwargs) -> list[str]:
    return [result.spec.slug for result in selectors.search_specs(query=query, **kwargs)]


@pytest.fixture
def specs(project, alice):
    titled = _spec(project, alice, "zstd-backups", "Compress backups with zstd")
    bodied = _spec(project, alice, "faster-restore", "Faster restores")
    _write(alice, bodied, "Restores read every chunk; zstd would make them smaller.\n")
    other = _spec(project, alice, "share-groups", "Share groups")
    _write(alice, other, "Nothing about compression here.\n")
    return {"titled": titled, "bodied": bodied, "other": other}


def test_a_title_match_ranks_above_a_body_match(specs):
    results = selectors.search_specs(query="zstd")

    assert [result.spec.slug for result in results] == ["zstd-backups", "faster-restore"]
    assert results[0].rank > results[1].rank


def test_it_finds_words_in_section_bodies(specs):
    assert _found("chunk") == ["faster-restore"]


def test_it_finds_by_file_name(specs):
    assert _found("share-groups") == ["share-groups"]


def test_an_empty_query_finds_nothing(specs):
    assert _found("   ") == []


def test_it_searches_one_project(specs, alice):
    other_project = services.create_project(name="Manila", slug="manila")
    _spec(other_project, alice, "zstd-shares", "Compress shares with zstd")

    assert set(_found("zstd")) == {"zstd-backups", "faster-restore", "zstd-shares"}
    assert set(_found("zstd", project=other_project)) == {"zstd-shares"}


def test_the_snippet_marks_the_match(specs):
    by_slug = {result.spec.slug: result for result in selectors.search_specs(query="chunk")}

    snippet = by_slug["faster-restore"].snippet_html
    assert "<mark>chunk</mark>" in snippet
    assert "Restores read every" in snippet


def test_the_snippet_escapes_the_stored_text(project, alice):
    spec = _spec(project, alice, "xss", "Harmless title")
    _write(alice, spec, 'A volume <script>alert("x")</script> & <b>bold</b> volume text.\n')

    (result,) = selectors.search_specs(query="volume")

    html = str(result.snippet_html)
    assert "<script>" not in html and "<b>" not in html
    assert "<mark>volume</mark>" in html
    assert html.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_marker_characters_in_a_body_do_not_make_marks(project, alice):
    spec = _spec(project, alice, "markers", "Markers")
    _write(alice, spec, f"{search.START}fake{search.STOP} and volume text.\n")

    (result,) = selectors.search_specs(query="volume")

    html = str(result.snippet_html)
    assert "<mark>fake</mark>" not in html
    assert html.count("<mark>") == html.count("</mark>")


def test_highlight_escapes_and_balances():
    marked = f"a <i>{search.START}b{search.STOP}{search.STOP} c {search.START}d"

    assert search.highlight(marked) == "a &lt;i&gt;<mark>b</mark> c <mark>d</mark>"


def test_a_title_only_match_has_no_snippet(specs):
    (result,) = selectors.search_specs(query="groups")

    assert result.spec.slug == "share-groups"
    assert result.snippet_html == ""


# Every write path keeps what search sees up to date.


def test_update_section_is_searchable_at_once(spec, alice):
    assert _found("kumquat") == []

    _write(alice, spec, "The kumquat driver.\n")

    assert _found("kumquat") == ["multi-attach"]


def test_update_spec_title_and_sections_are_searchable(spec, alice):
    spec.refresh_from_db()
    section = spec.sections.order_by("position").first()
    services.update_spec(
        actor=alice,
        spec=spec,
        base_version=spec.version,
        title="Volume persimmon",
        release="2026.1",
        intro="",
        sections={section.pk: services.SectionEdit(text="Quince body.\n", base_version=section.version)},
    )

    assert _found("persimmon") == ["multi-attach"]
    assert _found("quince") == ["multi-attach"]


def test_replace_spec_text_is_searchable_and_drops_old_words(spec, alice):
    _write(alice, spec, "The kumquat driver.\n")
    spec.refresh_from_db()
    text = spec.text().replace("The kumquat driver.", "The tamarillo driver.")

    services_text.replace_spec_text(actor=alice, spec=spec, text=text, base_version=spec.version)

    assert _found("tamarillo") == ["multi-attach"]
    assert _found("kumquat") == []


def test_an_imported_spec_is_searchable(project, alice, spec):
    _write(alice, spec, "Durian.\n")
    spec.refresh_from_db()
    text = spec.text().replace("Volume multi-attach", "Volume rambutan-xyz")

    report = importing.import_spec(
        actor=alice, project=project, source=text, release="2026.1", filename="rambutan.rst"
    )

    assert report.created
    assert _found("rambutan") == ["rambutan"]
    assert set(_found("durian")) == {"rambutan", "multi-attach"}


def test_a_deleted_section_is_no_longer_found(spec, alice):
    _write(alice, spec, "The kumquat driver.\n")
    SpecSection.objects.filter(spec=spec, body__contains="kumquat").delete()

    assert _found("kumquat") == []


# The spec list page


def test_the_spec_list_searches_bodies_and_shows_snippets(client, specs):
    response = client.get(URL, {"search": "chunk"})

    page = html_tree(response.content)
    titles = [cell.text.strip() for cell in page.find_all("a", class_="spec-table__title")]
    assert titles == ["Faster restores"]
    snippet = page.find("p", class_="spec-table__snippet")
    assert snippet is not None and "chunk" in snippet.find("mark").text


def test_the_spec_list_escapes_snippets(client, project, alice):
    spec = _spec(project, alice, "xss", "Harmless title")
    _write(alice, spec, "A volume <script>alert(1)</script> here.\n")

    response = client.get(URL, {"search": "volume"})

    assert b"<script>alert(1)" not in response.content
    assert b"<mark>volume</mark>" in response.content


def test_the_spec_list_orders_by_rank(client, specs):
    response = client.get(URL, {"search": "zstd"})

    titles = [
        cell.text.strip() for cell in html_tree(response.content).find_all("a", class_="spec-table__title")
    ]
    assert titles == ["Compress backups with zstd", "Faster restores"]


# The API


def test_the_api_search_orders_by_rank_with_snippets(api, specs):
    response = api.get("/api/v1/specs/", {"search": "zstd"})

    assert response.status_code == 200
    results = response.json()["results"]
    assert [item["slug"] for item in results] == ["zstd-backups", "faster-restore"]
    assert results[0]["snippet"] == ""
    assert "<mark>zstd</mark>" in results[1]["snippet"]


def test_the_api_list_has_no_snippet_without_a_search(api, specs):
    results = api.get("/api/v1/specs/").json()["results"]

    assert results and all("snippet" not in item for item in results)


def test_an_explicit_ordering_wins_over_rank(api, specs):
    results = api.get("/api/v1/specs/", {"search": "zstd", "ordering": "title"}).json()["results"]

    assert [item["slug"] for item in results] == ["zstd-backups", "faster-restore"][::1]
    assert [item["title"] for item in results] == sorted(item["title"] for item in results)


def test_the_api_search_runs_constant_queries(api, project, alice):
    def queries_for(count: int) -> list[str]:
        for n in range(Spec.objects.count(), count):
            spec = _spec(project, alice, f"bp-{n}", f"Spec {n}")
            _write(alice, spec, f"Body {n} mentions the tangerine.\n")
        with CaptureQueriesContext(connection) as queries:
            response = api.get("/api/v1/specs/", {"search": "tangerine", "page_size": 100})
        results = response.json()["results"]
        assert len(results) == count
        assert all("<mark>tangerine</mark>" in item["snippet"] for item in results)
        return [query["sql"] for query in queries]

    few, many = queries_for(3), queries_for(30)

    assert len(few) == len(many)
    # The page counts its matches itself: no COUNT(*) query of its own.
    assert not any(sql.startswith("SELECT COUNT(*)") for sql in many)


def test_the_schema_documents_an_optional_snippet(api):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = json.loads(response.content)
    component = schema["components"]["schemas"]["SpecListItem"]

    assert "snippet" in component["properties"]
    assert "snippet" not in component.get("required", [])
