"""A desk's languages spoken as a list of codes, as a class's languages of support are: the
text "en, vi" becomes ["en", "vi"], in the desks and in their history."""

from django.db import migrations

import directory.classes

HELP = (
    "The languages, by name or code, separated by commas: 英語, ベトナム語 or en, vi. Kept as codes."
)


def codes_field():
    return directory.classes.LanguageCodesField(
        blank=True,
        default=list,
        help_text=HELP,
        validators=[directory.classes.validate_language_codes],
        verbose_name="languages spoken",
    )


def as_lists(apps, schema_editor):
    # The text was written by the admin or an import as codes separated by ", ".
    for name in ("Department", "HistoricalDepartment"):
        model = apps.get_model("directory", name)
        for record in model.objects.exclude(languages="").only("pk", "languages"):
            codes = [code.strip() for code in record.languages.split(",") if code.strip()]
            model.objects.filter(pk=record.pk).update(codes=list(dict.fromkeys(codes)))


def as_text(apps, schema_editor):
    for name in ("Department", "HistoricalDepartment"):
        model = apps.get_model("directory", name)
        for record in model.objects.exclude(codes=[]).only("pk", "codes"):
            model.objects.filter(pk=record.pk).update(languages=", ".join(record.codes))


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0036_languages_by_name_help"),
    ]

    operations = [
        migrations.AddField(model_name="department", name="codes", field=codes_field()),
        migrations.AddField(model_name="historicaldepartment", name="codes", field=codes_field()),
        migrations.RunPython(as_lists, as_text),
        migrations.RemoveField(model_name="department", name="languages"),
        migrations.RemoveField(model_name="historicaldepartment", name="languages"),
        migrations.RenameField(model_name="department", old_name="codes", new_name="languages"),
        migrations.RenameField(
            model_name="historicaldepartment", old_name="codes", new_name="languages"
        ),
    ]
