"""Count limited actions (problem reports per address) in the database, for every worker."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0010_link_check_requests"),
    ]

    operations = [
        migrations.CreateModel(
            name="LimitCounter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=200, unique=True)),
                ("count", models.PositiveIntegerField(default=0)),
                ("resets_at", models.DateTimeField(db_index=True)),
            ],
        ),
    ]
