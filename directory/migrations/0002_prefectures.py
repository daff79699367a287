"""Create all 47 prefectures from fixtures/prefectures.json."""

import json
from pathlib import Path

from django.db import migrations

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "prefectures.json"


def create_prefectures(apps, schema_editor):
    Prefecture = apps.get_model("directory", "Prefecture")
    # The fixture also holds facts later migrations add fields for (0013: the reading).
    known = {field.name for field in Prefecture._meta.get_fields()}
    with open(FIXTURE, encoding="utf-8") as fixture:
        for entry in json.load(fixture):
            fields = {name: value for name, value in entry["fields"].items() if name in known}
            Prefecture.objects.update_or_create(code=fields["code"], defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(create_prefectures, migrations.RunPython.noop)]
