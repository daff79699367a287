"""Store each city's number of Japanese class links, and count them for the cities already there."""

from django.db import migrations, models
from django.db.models import Count


def count_class_links(apps, schema_editor):
    City = apps.get_model("directory", "City")
    for city in City.objects.annotate(links=Count("class_links")).filter(links__gt=0):
        city.class_link_count = city.links
        city.save(update_fields=["class_link_count"])


class Migration(migrations.Migration):
    dependencies = [("directory", "0007_search_key_trigram_index")]

    operations = [
        migrations.AddField(
            model_name="city",
            name="class_link_count",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="class links"
            ),
        ),
        migrations.AddField(
            model_name="historicalcity",
            name="class_link_count",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="class links"
            ),
        ),
        migrations.RunPython(count_class_links, migrations.RunPython.noop),
    ]
