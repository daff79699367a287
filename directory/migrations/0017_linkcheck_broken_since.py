"""Since when each link has been broken, so the weekly digest can tell newly broken links."""

from django.db import migrations, models


def date_known_breakages(apps, schema_editor):
    # The day a link broke was never kept: its last check is the earliest day we know of, and
    # these links show in the first digest, which is what it is for.
    LinkCheck = apps.get_model("directory", "LinkCheck")
    LinkCheck.objects.exclude(error="").update(broken_since=models.F("checked_at"))


class Migration(migrations.Migration):
    dependencies = [("directory", "0016_problem_report_resolution")]

    operations = [
        migrations.AddField(
            model_name="linkcheck",
            name="broken_since",
            field=models.DateTimeField(blank=True, null=True, verbose_name="broken since"),
        ),
        migrations.RunPython(date_known_breakages, migrations.RunPython.noop),
    ]
