"""Validators only (no schema change): control characters refused in names and text, and
small numbers bounded to PostgreSQL's smallint on every database."""

import directory.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0011_limit_counter"),
    ]

    operations = [
        migrations.AlterField(
            model_name="city",
            name="name",
            field=models.CharField(
                help_text="As the association publishes it.",
                max_length=100,
                validators=[directory.validators.validate_single_line_text],
                verbose_name="name",
            ),
        ),
        migrations.AlterField(
            model_name="city",
            name="name_ja",
            field=models.CharField(
                max_length=50,
                validators=[directory.validators.validate_single_line_text],
                verbose_name="Japanese name",
            ),
        ),
        migrations.AlterField(
            model_name="city",
            name="name_kana",
            field=models.CharField(
                help_text="Hiragana reading of the Japanese name.",
                max_length=100,
                validators=[directory.validators.validate_single_line_text],
                verbose_name="reading",
            ),
        ),
        migrations.AlterField(
            model_name="city",
            name="note",
            field=models.TextField(
                blank=True,
                validators=[directory.validators.validate_multi_line_text],
                verbose_name="note",
            ),
        ),
        migrations.AlterField(
            model_name="city",
            name="number",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="The association's number; empty for a city listed in a footnote.",
                null=True,
                unique=True,
                validators=[
                    directory.validators.NotLessThan(0),
                    directory.validators.NotMoreThan(32767),
                ],
                verbose_name="No.",
            ),
        ),
        migrations.AlterField(
            model_name="classlink",
            name="label",
            field=models.CharField(
                blank=True,
                help_text="Who runs the class, if published.",
                max_length=200,
                validators=[directory.validators.validate_single_line_text],
                verbose_name="provider",
            ),
        ),
        migrations.AlterField(
            model_name="classlink",
            name="position",
            field=models.PositiveSmallIntegerField(
                default=0,
                validators=[
                    directory.validators.NotLessThan(0),
                    directory.validators.NotMoreThan(32767),
                ],
                verbose_name="position",
            ),
        ),
        migrations.AlterField(
            model_name="department",
            name="name",
            field=models.CharField(
                max_length=300,
                validators=[directory.validators.validate_single_line_text],
                verbose_name="name",
            ),
        ),
        migrations.AlterField(
            model_name="department",
            name="position",
            field=models.PositiveSmallIntegerField(
                default=0,
                validators=[
                    directory.validators.NotLessThan(0),
                    directory.validators.NotMoreThan(32767),
                ],
                verbose_name="position",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcity",
            name="name",
            field=models.CharField(
                help_text="As the association publishes it.",
                max_length=100,
                validators=[directory.validators.validate_single_line_text],
                verbose_name="name",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcity",
            name="name_ja",
            field=models.CharField(
                max_length=50,
                validators=[directory.validators.validate_single_line_text],
                verbose_name="Japanese name",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcity",
            name="name_kana",
            field=models.CharField(
                help_text="Hiragana reading of the Japanese name.",
                max_length=100,
                validators=[directory.validators.validate_single_line_text],
                verbose_name="reading",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcity",
            name="note",
            field=models.TextField(
                blank=True,
                validators=[directory.validators.validate_multi_line_text],
                verbose_name="note",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcity",
            name="number",
            field=models.PositiveSmallIntegerField(
                blank=True,
                db_index=True,
                help_text="The association's number; empty for a city listed in a footnote.",
                null=True,
                validators=[
                    directory.validators.NotLessThan(0),
                    directory.validators.NotMoreThan(32767),
                ],
                verbose_name="No.",
            ),
        ),
        migrations.AlterField(
            model_name="historicalclasslink",
            name="label",
            field=models.CharField(
                blank=True,
                help_text="Who runs the class, if published.",
                max_length=200,
                validators=[directory.validators.validate_single_line_text],
                verbose_name="provider",
            ),
        ),
        migrations.AlterField(
            model_name="historicalclasslink",
            name="position",
            field=models.PositiveSmallIntegerField(
                default=0,
                validators=[
                    directory.validators.NotLessThan(0),
                    directory.validators.NotMoreThan(32767),
                ],
                verbose_name="position",
            ),
        ),
        migrations.AlterField(
            model_name="historicaldepartment",
            name="name",
            field=models.CharField(
                max_length=300,
                validators=[directory.validators.validate_single_line_text],
                verbose_name="name",
            ),
        ),
        migrations.AlterField(
            model_name="historicaldepartment",
            name="position",
            field=models.PositiveSmallIntegerField(
                default=0,
                validators=[
                    directory.validators.NotLessThan(0),
                    directory.validators.NotMoreThan(32767),
                ],
                verbose_name="position",
            ),
        ),
        migrations.AlterField(
            model_name="prefecture",
            name="code",
            field=models.CharField(
                help_text='JIS X 0401 code, "01" to "47".',
                max_length=2,
                unique=True,
                validators=[directory.validators.validate_single_line_text],
                verbose_name="code",
            ),
        ),
        migrations.AlterField(
            model_name="prefecture",
            name="name",
            field=models.CharField(
                max_length=50,
                unique=True,
                validators=[directory.validators.validate_single_line_text],
                verbose_name="name",
            ),
        ),
        migrations.AlterField(
            model_name="prefecture",
            name="name_ja",
            field=models.CharField(
                max_length=10,
                validators=[directory.validators.validate_single_line_text],
                verbose_name="Japanese name",
            ),
        ),
        migrations.AlterField(
            model_name="problemreport",
            name="message",
            field=models.TextField(
                blank=True,
                max_length=2000,
                validators=[directory.validators.validate_multi_line_text],
                verbose_name="details",
            ),
        ),
    ]
