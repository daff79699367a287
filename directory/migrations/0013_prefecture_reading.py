"""Give each prefecture its hiragana reading from fixtures/prefectures.json, where the rest of its
facts come from (Easy Japanese pages show it above the name)."""

import json
from pathlib import Path

from django.db import migrations, models

import directory.validators

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "prefectures.json"


def fill_readings(apps, schema_editor):
    Prefecture = apps.get_model("directory", "Prefecture")
    with open(FIXTURE, encoding="utf-8") as fixture:
        for entry in json.load(fixture):
            fields = entry["fields"]
            Prefecture.objects.filter(code=fields["code"]).update(name_kana=fields["name_kana"])


class Migration(migrations.Migration):
    dependencies = [("directory", "0012_text_and_number_validators")]
    operations = [
        migrations.AddField(
            model_name="prefecture",
            name="name_kana",
            field=models.CharField(
                default="",
                help_text="Hiragana reading of the Japanese name.",
                max_length=20,
                validators=[directory.validators.validate_single_line_text],
                verbose_name="reading",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_readings, migrations.RunPython.noop),
    ]
