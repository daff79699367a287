"""Create all 47 prefectures from fixtures/prefectures.json."""

import json
from pathlib import Path

from django.db import migrations

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "prefectures.json"


def create_prefectures(apps, schema_editor):
    Prefecture = apps.get_model("directory", "Prefecture")
    with open(FIXTURE, encoding="utf-8") as fixture:
        for entry in json.load(fixture):
            fields = entry["fields"]
            Prefecture.objects.update_or_create(code=fields["code"], defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(create_prefectures, migrations.RunPython.noop)]
