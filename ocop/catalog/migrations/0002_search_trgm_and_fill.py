"""Trigram index on the read model's folded names (PostgreSQL only; SQLite scans the narrow table).
The first fill of the read model is in 0003 (it uses the live models, so it runs after the last
column is added)."""

from django.db import migrations


def trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS catalog_entry_name_trgm "
        "ON catalog_catalogentry USING gin (name_folded gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS catalog_entry_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_catalog_entry")]
    operations = [
        migrations.RunPython(trigram_index, drop_trigram_index, elidable=False),
    ]
