"""Staff ask for link checks (run later by check_links); a refusal of a private address is a kind of error."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0009_import_preview"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="linkcheck",
            name="error",
            field=models.CharField(
                blank=True,
                choices=[
                    ("dns", "DNS: no such host"),
                    ("tls", "TLS: certificate or handshake failed"),
                    ("timeout", "timed out"),
                    ("refused", "connection refused"),
                    ("private", "refused: private address"),
                    ("http", "HTTP error"),
                    ("other", "other network error"),
                ],
                max_length=10,
                verbose_name="error",
            ),
        ),
        migrations.CreateModel(
            name="LinkCheckRequest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("url", models.CharField(max_length=500, unique=True, verbose_name="URL")),
                (
                    "requested_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="requested at"
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="requested by",
                    ),
                ),
            ],
            options={
                "verbose_name": "link check request",
                "verbose_name_plural": "link check requests",
                "ordering": ["requested_at"],
            },
        ),
    ]
