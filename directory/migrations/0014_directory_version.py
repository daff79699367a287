"""The directory's version moves from the removed pagecache app into the directory app."""

from django.db import migrations, models

import directory.version


class Migration(migrations.Migration):
    dependencies = [("directory", "0013_prefecture_reading")]

    operations = [
        migrations.CreateModel(
            name="DirectoryVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(default=directory.version.new_token, max_length=32)),
            ],
        ),
        # The old app's table, in databases made before: a fresh token is made on first use.
        migrations.RunSQL(
            "DROP TABLE IF EXISTS pagecache_directoryversion", migrations.RunSQL.noop
        ),
    ]
