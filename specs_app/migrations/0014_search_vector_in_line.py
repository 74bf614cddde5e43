"""Keep each spec's search vector in its row (PostgreSQL), so ranking a common word reads no TOAST.

A spec's vector is about 2.4 KB: stored EXTENDED (the default), PostgreSQL moves it
out of line, and ranking every match of a common word then fetches each from the
TOAST table: 37-42 ms against 14-16 ms in line on 10,000 specs (bench/README.md,
"Search"). MAIN compresses it in the row first and moves it out only as a last
resort. Rewriting the vectors (the row trigger recomputes a cleared one) stores
the existing ones the new way. Nothing to do on SQLite, which leaves the column empty.
"""

from django.db import migrations


def _on_postgresql(statement: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("specs_app", "0013_review_beyond_gerrit")]

    operations = [
        migrations.RunPython(
            _on_postgresql("ALTER TABLE specs_app_spec ALTER COLUMN search_vector SET STORAGE MAIN"),
            _on_postgresql("ALTER TABLE specs_app_spec ALTER COLUMN search_vector SET STORAGE EXTENDED"),
        ),
        migrations.RunPython(
            _on_postgresql("UPDATE specs_app_spec SET search_vector = NULL"), migrations.RunPython.noop
        ),
    ]
