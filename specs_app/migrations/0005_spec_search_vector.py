"""Full-text search on PostgreSQL: a stored, weighted tsvector per spec, its GIN index and triggers.

The column exists on every backend (SQLite searches with ``icontains`` and
leaves it empty); the index, the triggers and the backfill are created only
on PostgreSQL. See ``specs_app.search`` for the weights and why triggers.
"""

import django.contrib.postgres.search
from django.db import migrations

CREATE = [
    # The vector of one spec: its title and file name (A), its section titles (B),
    # its introduction and section bodies (C).
    """
    CREATE FUNCTION specs_app_spec_search_vector(p_spec_id bigint, p_slug text, p_title text, p_intro text)
    RETURNS tsvector LANGUAGE sql STABLE AS $$
        SELECT setweight(to_tsvector('english', coalesce(p_title, '')), 'A')
            || setweight(to_tsvector('english', coalesce(p_slug, '')), 'A')
            || setweight(to_tsvector('english', coalesce(string_agg(s.title, ' ' ORDER BY s.position), '')), 'B')
            || setweight(
                to_tsvector(
                    'english',
                    coalesce(p_intro, '') || ' ' || coalesce(string_agg(s.body, ' ' ORDER BY s.position), '')
                ),
                'C'
            )
        FROM specs_app_specsection s
        WHERE s.spec_id = p_spec_id
    $$
    """,
    # A spec's own row: recomputed unless nothing it is made of changed. Django's save()
    # writes back the vector it loaded, possibly stale, which differs and so recomputes.
    """
    CREATE FUNCTION specs_app_spec_search_vector_row() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE'
           AND NEW.search_vector IS NOT NULL
           AND NEW.search_vector IS NOT DISTINCT FROM OLD.search_vector
           AND NEW.title IS NOT DISTINCT FROM OLD.title
           AND NEW.slug IS NOT DISTINCT FROM OLD.slug
           AND NEW.intro IS NOT DISTINCT FROM OLD.intro THEN
            RETURN NEW;
        END IF;
        NEW.search_vector := specs_app_spec_search_vector(NEW.id, NEW.slug, NEW.title, NEW.intro);
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER specs_app_spec_search_vector
    BEFORE INSERT OR UPDATE ON specs_app_spec
    FOR EACH ROW EXECUTE FUNCTION specs_app_spec_search_vector_row()
    """,
    # Sections: once per statement (bulk_create / bulk_update / queryset.update write many rows),
    # clearing the vector of each spec touched, which the row trigger above then recomputes.
    """
    CREATE FUNCTION specs_app_specsection_search_vector_statement() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            UPDATE specs_app_spec SET search_vector = NULL
            WHERE id IN (SELECT spec_id FROM new_rows);
        ELSIF TG_OP = 'DELETE' THEN
            UPDATE specs_app_spec SET search_vector = NULL
            WHERE id IN (SELECT spec_id FROM old_rows);
        ELSE
            UPDATE specs_app_spec SET search_vector = NULL
            WHERE id IN (
                SELECT n.spec_id FROM new_rows n JOIN old_rows o ON o.id = n.id
                WHERE n.title IS DISTINCT FROM o.title OR n.body IS DISTINCT FROM o.body
                   OR n.spec_id <> o.spec_id
                UNION
                SELECT o.spec_id FROM new_rows n JOIN old_rows o ON o.id = n.id
                WHERE n.spec_id <> o.spec_id
            );
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER specs_app_specsection_search_insert
    AFTER INSERT ON specs_app_specsection REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION specs_app_specsection_search_vector_statement()
    """,
    """
    CREATE TRIGGER specs_app_specsection_search_update
    AFTER UPDATE ON specs_app_specsection REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION specs_app_specsection_search_vector_statement()
    """,
    """
    CREATE TRIGGER specs_app_specsection_search_delete
    AFTER DELETE ON specs_app_specsection REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION specs_app_specsection_search_vector_statement()
    """,
    "CREATE INDEX specs_app_spec_search_vector_gin ON specs_app_spec USING gin (search_vector)",
    # Backfill: the row trigger computes every existing spec's vector.
    "UPDATE specs_app_spec SET search_vector = NULL",
]

DROP = [
    "DROP INDEX IF EXISTS specs_app_spec_search_vector_gin",
    "DROP TRIGGER IF EXISTS specs_app_specsection_search_delete ON specs_app_specsection",
    "DROP TRIGGER IF EXISTS specs_app_specsection_search_update ON specs_app_specsection",
    "DROP TRIGGER IF EXISTS specs_app_specsection_search_insert ON specs_app_specsection",
    "DROP FUNCTION IF EXISTS specs_app_specsection_search_vector_statement()",
    "DROP TRIGGER IF EXISTS specs_app_spec_search_vector ON specs_app_spec",
    "DROP FUNCTION IF EXISTS specs_app_spec_search_vector_row()",
    "DROP FUNCTION IF EXISTS specs_app_spec_search_vector(bigint, text, text, text)",
]


def _run_on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("specs_app", "0004_review"),
    ]

    operations = [
        migrations.AddField(
            model_name="spec",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(_run_on_postgresql(CREATE), _run_on_postgresql(DROP)),
    ]
