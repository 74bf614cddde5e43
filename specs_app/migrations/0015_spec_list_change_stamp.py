"""A change stamp for the API's spec list, replaced by triggers whenever what it shows changes.

``GET /api/v1/specs/`` is cached whole under this stamp (``specs_app.api.list_cache``).
Triggers rather than signals: bulk_create, queryset.update(), the search triggers and
raw SQL write these tables too, and a stamp that missed one would serve a stale list.
The tables are every one the list reads: specs (with their search vectors), their
sections (search and snippets), co-authors, attention, projects, and users' names.

SQLite rebuilds a table to alter it and drops its triggers with it: a later migration
that alters one of these tables must create its trigger again.
``tests/api/test_spec_list_cache.py`` checks every trigger is in place after all
migrations, on both databases.
"""

from django.db import migrations, models

NAME = "spec_list"
# Every table the list reads, and which writes to it matter.
WATCHED = {
    "specs_app_spec": None,
    "specs_app_specsection": None,
    "specs_app_spec_co_authors": None,
    "specs_app_attention": None,
    "specs_app_project": None,
    # A login writes last_login; only a new name (or user) changes the list.
    "auth_user": "username",
}
POSTGRESQL_STAMP = "replace(gen_random_uuid()::text, '-', '')"
SQLITE_STAMP = "lower(hex(randomblob(16)))"


def trigger_name(table: str, event: str = "") -> str:
    return f"{table}_spec_list_stamp{'_' + event if event else ''}"


def _create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    stamp = POSTGRESQL_STAMP if vendor == "postgresql" else SQLITE_STAMP
    # An upsert: a flushed database (a test's) gets its row back at its first write.
    touch = (
        f"INSERT INTO specs_app_changestamp (name, stamp) VALUES ('{NAME}', {stamp}) "
        "ON CONFLICT (name) DO UPDATE SET stamp = excluded.stamp"
    )
    schema_editor.execute(touch)  # the first stamp
    if vendor == "postgresql":
        schema_editor.execute(
            "CREATE FUNCTION specs_app_touch_spec_list() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {touch}; RETURN NULL; END $$"
        )
        for table, column in WATCHED.items():
            update = f"UPDATE OF {column}" if column else "UPDATE"
            # Once per statement: a bulk write of 10,000 rows replaces the stamp once.
            schema_editor.execute(
                f"CREATE TRIGGER {trigger_name(table)} AFTER INSERT OR {update} OR DELETE OR TRUNCATE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION specs_app_touch_spec_list()"
            )
        return
    # SQLite has row triggers only, one event each.
    for table, column in WATCHED.items():
        for event in ("insert", "update", "delete"):
            when = f"UPDATE OF {column}" if event == "update" and column else event.upper()
            schema_editor.execute(
                f"CREATE TRIGGER {trigger_name(table, event)} AFTER {when} ON {table} BEGIN {touch}; END"
            )


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in WATCHED:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger_name(table)} ON {table}")
        schema_editor.execute("DROP FUNCTION IF EXISTS specs_app_touch_spec_list()")
        return
    for table in WATCHED:
        for event in ("insert", "update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger_name(table, event)}")


class Migration(migrations.Migration):
    dependencies = [
        ("specs_app", "0014_search_vector_in_line"),
        # auth_user is watched: its own migrations (which may rebuild it on SQLite) come first.
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.CreateModel(
            name="ChangeStamp",
            fields=[
                ("name", models.CharField(max_length=40, primary_key=True, serialize=False)),
                ("stamp", models.CharField(max_length=40)),
            ],
        ),
        migrations.RunPython(_create, _drop),
    ]
