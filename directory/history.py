"""History rows for records written in bulk, made by the database in one statement per batch.

django-simple-history's `bulk_create_with_history` builds a Python object per history row, which
costs an import several times what writing the records does. `record_history` writes the same
rows (who, when, why, and each tracked field as it now stands) with INSERT ... SELECT.
"""

from django.db import connections, router
from django.utils import timezone

BATCH = 1000
REASON_LENGTH = 100  # django-simple-history's history_change_reason column
INSERT = "INSERT INTO {} ({}) SELECT {}, %s, %s, %s, %s FROM {} WHERE {} IN ({})"  # noqa: S608


def record_history(model, pks, history_type, user=None, reason=""):
    """Add a history row of `history_type` ("+" created, "~" changed) for each of `pks`."""
    history = model.history.model
    using = router.db_for_write(history)
    connection = connections[using]
    quote = connection.ops.quote_name
    tracked = [field.column for field in history.tracked_fields]
    source = [model._meta.get_field(field.name).column for field in history.tracked_fields]
    columns = [
        *tracked,
        "history_date",
        "history_change_reason",
        "history_type",
        "history_user_id",
    ]
    when = connection.ops.adapt_datetimefield_value(timezone.now())
    user_id = user.pk if user is not None and user.is_authenticated else None
    fixed = [when, (reason or "")[:REASON_LENGTH], history_type, user_id]
    pks = list(pks)
    with connection.cursor() as cursor:
        for start in range(0, len(pks), BATCH):
            batch = pks[start : start + BATCH]
            # Only quoted table and column names of the models go into the text; values are
            # parameters.
            sql = INSERT.format(
                quote(history._meta.db_table),
                ", ".join(quote(column) for column in columns),
                ", ".join(quote(column) for column in source),
                quote(model._meta.db_table),
                quote(model._meta.pk.column),
                ", ".join(["%s"] * len(batch)),
            )
            cursor.execute(sql, [*fixed, *batch])
