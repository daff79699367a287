"""On PostgreSQL, a trigram index on the search key, so `LIKE '%word%'` need not read every city."""

from django.db import migrations

INDEX = "directory_city_search_key_trgm"


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm ships with PostgreSQL and is a trusted extension: the database's owner may add it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON directory_city USING gin (search_key gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("directory", "0006_city_search_key")]

    operations = [migrations.RunPython(add_index, drop_index, elidable=False)]
