"""Store each city's folded search key, and fill it for the cities already there."""

from django.db import migrations, models


def fill_search_keys(apps, schema_editor):
    from directory.search import search_key

    City = apps.get_model("directory", "City")
    for city in City.objects.select_related("prefecture"):
        city.search_key = search_key(
            city,
            [department.name for department in city.departments.all()],
            [link.label for link in city.class_links.all()],
        )
        city.save(update_fields=["search_key"])


class Migration(migrations.Migration):
    dependencies = [("directory", "0005_staff_groups")]

    operations = [
        migrations.AddField(
            model_name="city",
            name="search_key",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="search key"
            ),
        ),
        migrations.AddField(
            model_name="historicalcity",
            name="search_key",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="search key"
            ),
        ),
        migrations.RunPython(fill_search_keys, migrations.RunPython.noop),
    ]
