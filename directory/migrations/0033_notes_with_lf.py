"""Store each line break of the notes typed before as LF, as the admin's text areas and the
imports now store it (`directory.forms.MultiLineField`, `cells.with_lf`): a note typed with CR LF
would otherwise import from its own export as "updated" once.

The history is left as it was: each past version is what was stored then, and `update` writes
no history row of its own.
"""

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Replace

# Every text field that holds the lines staff or a visitor typed.
NOTES = {
    "City": ["note"],
    "Department": ["hours_note"],
    "ClassLink": ["sign_up"],
    "ProblemReport": ["message", "resolution"],
}


def with_lf(field):
    # CR LF first, so that it becomes one LF, not two.
    crlf_as_lf = Replace(F(field), Value("\r\n"), Value("\n"))
    return Replace(crlf_as_lf, Value("\r"), Value("\n"))


def store_line_breaks_as_lf(apps, schema_editor):
    for model_name, fields in NOTES.items():
        model = apps.get_model("directory", model_name)
        for field in fields:
            # One UPDATE per field, of the rows holding a CR only.
            model.objects.filter(**{f"{field}__contains": "\r"}).update(**{field: with_lf(field)})


class Migration(migrations.Migration):
    dependencies = [("directory", "0032_search_key_words")]

    # Nothing to undo: LF was always accepted, and which breaks were CR LF is not known.
    operations = [migrations.RunPython(store_line_breaks_as_lf, migrations.RunPython.noop)]
