"""GET /api/v1/specs/ is cached whole under the list's change stamp, and every write shows at once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from specs_app.api import list_cache
from specs_app.authoring import services
from specs_app.models import Attention, ChangeStamp, Project, Spec, SpecSection
from tests.review_world import write

LIST = "/api/v1/specs/"
# Tables and the triggers migration 0015 gives them (one per statement on PostgreSQL,
# one per event on SQLite).
WATCHED = [
    "specs_app_spec",
    "specs_app_specsection",
    "specs_app_spec_co_authors",
    "specs_app_attention",
    "specs_app_project",
    "auth_user",
]


def _get(api, path: str = LIST):
    response = api.get(path)
    assert response.status_code == 200, response.content
    return response.json()


def _queries(api, path: str = LIST) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        _get(api, path)
    return [query["sql"] for query in queries.captured_queries]


def _titles(page: dict) -> list[str]:
    return [spec["title"] for spec in page["results"]]


def test_a_repeated_request_is_answered_from_the_cache_with_the_same_json(api, co_authored_spec, bob):
    Attention.objects.create(spec=co_authored_spec, user=bob, reason="new revision 1 to review")
    cold_queries = _queries(api)
    cold = _get(api)

    warm_queries = _queries(api)

    assert _get(api) == cold
    assert len(cold_queries) >= 3  # the page with its count, co-authors, attention
    assert len(warm_queries) == 1
    assert "specs_app_changestamp" in warm_queries[0]


def test_a_search_is_answered_from_the_cache_with_its_snippets(api, spec, alice):
    write(spec, alice, problem_description="Attach a volume to several servers at once.")
    cold = _get(api, f"{LIST}?search=volume")

    assert len(_queries(api, f"{LIST}?search=volume")) == 1
    assert _get(api, f"{LIST}?search=volume") == cold
    assert "<mark>" in cold["results"][0]["snippet"]


def test_it_shows_an_edited_title_at_once(api, spec, alice):
    _get(api)
    services.update_spec(
        actor=alice,
        spec=spec,
        base_version=spec.version,
        title="Multi-attach for every driver",
        release=spec.release,
        intro=spec.intro,
        sections={},
    )

    assert _titles(_get(api)) == ["Multi-attach for every driver"]


def test_it_shows_a_new_and_a_deleted_spec_at_once(api, spec, project, alice):
    _get(api)
    other = services.create_spec(
        actor=alice, project=project, title="Backup to object storage", release="2026.1", slug="backup"
    )
    assert sorted(_titles(_get(api))) == ["Backup to object storage", "Volume multi-attach"]

    services.delete_spec(actor=alice, spec=other)

    assert _titles(_get(api)) == ["Volume multi-attach"]


def test_it_shows_a_change_made_in_bulk_without_save(api, spec):
    _get(api)
    Spec.objects.filter(pk=spec.pk).update(status="abandoned")

    assert _get(api)["results"][0]["status"] == "abandoned"


def test_it_shows_new_co_authors_at_once(api, spec, alice, carol):
    _get(api)
    services.set_co_authors(actor=alice, spec=spec, co_authors=[carol])

    assert _get(api)["results"][0]["co_authors"] == ["carol"]


def test_it_shows_whose_turn_it_is_at_once(api, spec, bob):
    _get(api)
    Attention.objects.create(spec=spec, user=bob, reason="new revision 1 to review")
    assert [turn["user"] for turn in _get(api)["results"][0]["attention"]] == ["bob"]

    Attention.objects.filter(spec=spec).delete()

    assert _get(api)["results"][0]["attention"] == []


def test_it_shows_a_renamed_project_and_owner_at_once(api, spec, alice):
    _get(api)
    Project.objects.filter(pk=spec.project_id).update(slug="block-storage")
    alice.username = "alice2"
    alice.save()

    listed = _get(api)["results"][0]

    assert listed["project"] == "block-storage"
    assert listed["owner"] == "alice2"
    assert listed["html_url"].startswith("/p/block-storage/")


def test_it_finds_a_section_text_changed_in_bulk(api, spec):
    assert _get(api, f"{LIST}?search=hovercraft")["count"] == 0
    SpecSection.objects.filter(spec=spec).update(body="Our hovercraft is full of eels.")

    found = _get(api, f"{LIST}?search=hovercraft")

    assert found["count"] == 1
    assert "<mark>hovercraft</mark>" in found["results"][0]["snippet"]


def test_a_sign_in_leaves_the_cached_list_alone(api, spec, alice, client, password):
    _get(api)
    before = list_cache.list_stamp()

    assert client.login(username="alice", password=password)

    assert list_cache.list_stamp() == before
    assert len(_queries(api)) == 1


def test_each_page_and_each_query_is_its_own_entry(api, spec, project, alice):
    for number in range(3):
        services.create_spec(
            actor=alice, project=project, title=f"Spec {number}", release="2026.1", slug=f"spec-{number}"
        )
    first = _get(api, f"{LIST}?page_size=2")
    second = _get(api, f"{LIST}?page_size=2&page=2")

    assert _get(api, f"{LIST}?page_size=2") == first
    assert _get(api, f"{LIST}?page_size=2&page=2") == second
    assert {spec["id"] for spec in first["results"]}.isdisjoint(spec["id"] for spec in second["results"])
    assert _get(api, f"{LIST}?status=abandoned")["count"] == 0


def test_next_links_name_the_host_they_were_asked_on(api, spec, project, alice, settings):
    settings.ALLOWED_HOSTS = ["specs.example.org", "mirror.example.org", "testserver"]
    services.create_spec(actor=alice, project=project, title="Another", release="2026.1", slug="another")
    first = api.get(f"{LIST}?page_size=1", HTTP_HOST="specs.example.org").json()

    second = api.get(f"{LIST}?page_size=1", HTTP_HOST="mirror.example.org").json()

    assert first["next"].startswith("http://specs.example.org/")
    assert second["next"].startswith("http://mirror.example.org/")


def test_the_specs_waiting_for_me_are_each_askers_own(api_as, spec, alice, bob):
    Attention.objects.create(spec=spec, user=bob, reason="new revision 1 to review")
    as_bob, as_alice = api_as(bob), api_as(alice)

    assert _get(as_bob, f"{LIST}?waiting_for=me")["count"] == 1
    assert _get(as_alice, f"{LIST}?waiting_for=me")["count"] == 0
    assert _get(as_bob, f"{LIST}?waiting_for=me")["count"] == 1


def test_an_error_is_not_kept(api, spec):
    assert api.get(f"{LIST}?page_size=none").status_code == 400
    assert api.get(f"{LIST}?page_size=none").status_code == 400
    assert api.get(f"{LIST}?page=7").status_code == 404


def test_the_browsable_api_is_not_cached(api, spec):
    api.get(LIST, HTTP_ACCEPT="text/html")

    with CaptureQueriesContext(connection) as queries:
        response = api.get(LIST, HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert b"Volume multi-attach" in response.content
    assert len(queries.captured_queries) > 1


def test_it_can_be_turned_off(api, spec, monkeypatch):
    monkeypatch.setenv("SPECPORTAL_API_LIST_CACHE", "0")
    _get(api)

    assert len(_queries(api)) > 1


def test_without_its_stamp_the_list_is_read_every_time_until_the_next_write(api, spec):
    ChangeStamp.objects.filter(name=ChangeStamp.SPEC_LIST).delete()
    cold = _get(api)

    assert len(_queries(api)) > 1
    assert _get(api) == cold

    Spec.objects.filter(pk=spec.pk).update(title="Renamed")

    assert list_cache.list_stamp() is not None
    assert _titles(_get(api)) == ["Renamed"]
    assert len(_queries(api)) == 1


def test_a_write_replaces_the_stamp_within_its_own_transaction(spec, alice):
    before = list_cache.list_stamp()
    Spec.objects.filter(pk=spec.pk).update(title="Renamed")
    after = list_cache.list_stamp()

    assert before and after and before != after


def _triggers() -> list[tuple[str, str]]:
    """(table, trigger) of every trigger in the database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal"
            )
        else:
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        return cursor.fetchall()


@pytest.mark.django_db
@pytest.mark.parametrize("table", WATCHED)
def test_every_table_the_list_reads_still_has_its_trigger_after_all_migrations(table):
    # SQLite drops a table's triggers when a migration rebuilds it to alter it.
    names = {name for on, name in _triggers() if on == table}
    expected = (
        {f"{table}_spec_list_stamp"}
        if connection.vendor == "postgresql"
        else {f"{table}_spec_list_stamp_{event}" for event in ("insert", "update", "delete")}
    )

    assert expected <= names


def test_the_watched_tables_are_the_ones_the_list_reads():
    from django.contrib.auth import get_user_model

    models = [Spec, SpecSection, Attention, Project, get_user_model()]
    tables = {model._meta.db_table for model in models} | {Spec.co_authors.through._meta.db_table}

    assert tables == set(WATCHED)
