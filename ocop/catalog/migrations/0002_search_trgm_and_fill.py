"""Trigram index on the read model's folded names (PostgreSQL only; SQLite scans the narrow table), and
the first fill of the read model for databases that already hold products."""

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


def fill(apps, schema_editor):
    # The live models are right here: this runs once, at the state of the code that ships it.
    from ocop.catalog.readmodel import rebuild_catalog

    if apps.get_model("registry", "Product").objects.exists():
        rebuild_catalog()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_catalog_entry")]
    operations = [
        migrations.RunPython(trigram_index, drop_trigram_index, elidable=False),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
