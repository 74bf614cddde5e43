"""PostgreSQL's side of search: the stored vector, its GIN index and the triggers that keep it.

CI runs the suite on SQLite and on PostgreSQL; on SQLite these skip (the
column stays empty there and search uses icontains, see test_search.py).
"""

from __future__ import annotations

import pytest
from django.db import connection

from specs_app.authoring import services
from specs_app.authoring import text as services_text
from specs_app.models import Spec, SpecSection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PostgreSQL full-text search: needs DATABASE_URL=postgres://... (SQLite uses icontains)",
    ),
]


def _lexemes(spec: Spec) -> dict[str, str]:
    """Each lexeme of the spec's stored vector and its weights, read back from PostgreSQL."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT lexeme, array_to_string(weights, '') FROM specs_app_spec, unnest(search_vector) "
            "WHERE id = %s",
            [spec.pk],
        )
        return dict(cursor.fetchall())


def test_the_gin_index_exists():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'specs_app_spec' "
            "AND indexname = 'specs_app_spec_search_vector_gin'"
        )
        (definition,) = cursor.fetchone()
    assert "USING gin (search_vector)" in definition


def test_the_triggers_exist():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgrelid IN "
            "('specs_app_spec'::regclass, 'specs_app_specsection'::regclass)"
        )
        names = {name for (name,) in cursor.fetchall()}
    assert names >= {
        "specs_app_spec_search_vector",
        "specs_app_specsection_search_insert",
        "specs_app_specsection_search_update",
        "specs_app_specsection_search_delete",
    }


def test_a_search_can_use_the_index(spec):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM specs_app_spec "
            "WHERE search_vector @@ websearch_to_tsquery('english', 'volume')"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "specs_app_spec_search_vector_gin" in plan


def test_a_new_spec_has_weighted_title_section_titles_and_bodies(spec):
    lexemes = _lexemes(spec)

    assert lexemes["volum"] == "A"  # title
    assert set(lexemes["multi-attach"]) == {"A"}  # title and file name
    assert set(lexemes["problem"]) == {"B"}  # a section title
    assert set(lexemes["blueprints.launchpad.net"]) == {"C"}  # the introduction's link


def test_update_section_updates_the_vector(spec, alice):
    section = spec.sections.order_by("position").first()
    services.update_section(actor=alice, section=section, base_version=section.version, text="Kumquat.\n")

    assert _lexemes(spec)["kumquat"] == "C"


def test_update_spec_updates_the_vector(spec, alice):
    spec.refresh_from_db()
    section = spec.sections.order_by("position").first()
    services.update_spec(
        actor=alice,
        spec=spec,
        base_version=spec.version,
        title="Persimmon",
        release="2026.1",
        intro="",
        sections={section.pk: services.SectionEdit(text="Quince.\n", base_version=section.version)},
    )

    lexemes = _lexemes(spec)
    assert lexemes["persimmon"] == "A"
    assert lexemes["quinc"] == "C"
    assert "volum" not in lexemes


def test_replace_spec_text_updates_the_vector(spec, alice):
    spec.refresh_from_db()
    text = spec.text().replace("Problem description\n===================\n", "Tamarillo\n=========\n")

    services_text.replace_spec_text(actor=alice, spec=spec, text=text, base_version=spec.version)

    lexemes = _lexemes(spec)
    assert lexemes["tamarillo"] == "B"


def test_bulk_writes_update_the_vector(spec):
    """The triggers cover paths no service takes: bulk_update, queryset.update, delete."""
    sections = list(spec.sections.order_by("position")[:2])
    for section in sections:
        section.body = "Feijoa.\n"
    SpecSection.objects.bulk_update(sections, ["body"])
    assert "feijoa" in _lexemes(spec)

    SpecSection.objects.filter(spec=spec).update(body="Longan.\n")
    assert "feijoa" not in _lexemes(spec) and "longan" in _lexemes(spec)

    SpecSection.objects.filter(spec=spec).delete()
    assert "longan" not in _lexemes(spec)


def test_a_stale_save_does_not_undo_the_vector(spec, alice):
    """Django's save() writes back the vector it loaded; the trigger recomputes it."""
    stale = Spec.objects.get(pk=spec.pk)
    section = spec.sections.order_by("position").first()
    services.update_section(actor=alice, section=section, base_version=section.version, text="Kumquat.\n")

    stale.save()

    assert "kumquat" in _lexemes(spec)
