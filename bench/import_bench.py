"""Benchmark: 100,000 class links imported the admin's way, side by side with a plain bulk_create.

The rows are synthetic, spread over the real seed's cities (half name one of the city's
departments). They go through `directory.importexport.importing.run_import`, the code the
admin's preview
and confirm steps and the import command run: a dry run first (the preview, staged in the database
as the admin does), then the import. A plain `bulk_create` of the same rows is timed in the same
run; the links are deleted between runs. Targets: the import at 0.25 of bulk_create's speed or
better, under 500 MB peak, and preview and confirm each well inside gunicorn's 30 s time-out.

    .venv/bin/python bench/import_bench.py                 # SQLite, in a throwaway file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/madoguchi_import_bench \\
        .venv/bin/python bench/import_bench.py             # PostgreSQL (migrated, seeded)

The memory figures are the process's peak resident size (ru_maxrss) after each step, the
import being the first step that holds the rows, and tracemalloc's peak over the import alone
when --tracemalloc is given (tracing slows the run, so that import is not the timed one).
"""

import argparse
import csv
import io
import json
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("REDIS_URL", "")
# 100,000 rows of this CSV take about 10 MB, over the 5 MB uploads are held to by default: the
# bench measures the row limit (IMPORT_MAX_ROWS), so it lifts the size limit as a site would.
os.environ.setdefault("IMPORT_MAX_BYTES", str(32 * 2**20))
SCRATCH = None
if not os.environ.get("DATABASE_URL"):
    SCRATCH = tempfile.TemporaryDirectory(prefix="import-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{SCRATCH.name}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from simple_history.utils import bulk_create_with_history  # noqa: E402

from directory.importexport import importing  # noqa: E402
from directory.models import City, ClassLink, Department  # noqa: E402

ROWS = 100_000
HOST = "https://bench.example.jp/"
TIMEOUT_SECONDS = 30
TARGET_RATIO = 0.25
TARGET_MB = 500


def peak_mb():
    """The process's peak resident size so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prepare_database():
    """Migrate and seed; the staff user the admin would pass is made once."""
    call_command("migrate", verbosity=0)
    if not City.objects.exists():
        call_command("load_published_table", verbosity=0, stdout=io.StringIO())
    remove_bench_links()
    user, _ = get_user_model().objects.get_or_create(
        username="import-bench", defaults={"is_staff": True, "is_superuser": True}
    )
    return user


def remove_bench_links():
    # Raw deletes: the history rows the import wrote go too, so each run starts alike.
    with transaction.atomic():
        ClassLink.objects.filter(url__startswith=HOST)._raw_delete(connection.alias)
        ClassLink.history.filter(url__startswith=HOST)._raw_delete(connection.alias)


def synthetic_rows(count):
    """(city code, url, label, department name or "", position) spread over every seed city."""
    cities = list(City.objects.order_by("code").values_list("code", flat=True))
    first_department = dict(
        Department.objects.order_by("-position", "-pk").values_list("city__code", "name")
    )
    rows = []
    for n in range(count):
        code = cities[n % len(cities)]
        department = first_department.get(code, "") if n % 2 else ""
        rows.append((code, f"{HOST}{code}/{n}", f"にほんご教室 {n}（髙﨑）", department, n % 50))
    return rows


def as_csv(rows):
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(("city", "url", "label", "department", "position"))
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def timed(function):
    started = time.perf_counter()
    value = function()
    return time.perf_counter() - started, value


def check(report, rows):
    assert report.ok, [str(e) for e in report.errors[:5]]
    assert report.counts["new"] == len(rows), report.counts


def preview(data, rows, user):
    """The admin's preview step: a dry run, then the file and report kept in the database."""
    report = importing.run_import(
        "class-links", data, "csv", user, dry_run=True, file_name="bench.csv"
    )
    check(report, rows)
    token = importing.stage(user, "class-links", data, "csv", report)
    # What every page of the preview reads back, and the confirm too.
    staged = importing.staged(token, user)
    assert staged.report.counts == report.counts
    importing.unstage(token, user)
    assert not ClassLink.objects.filter(url__startswith=HOST).exists()
    return len(data) + len(json.dumps(report.to_json()))


def confirm(data, rows, user):
    """The admin's confirm step: the import for real, in one transaction."""
    report = importing.run_import(
        "class-links", data, "csv", user, dry_run=False, file_name="bench.csv"
    )
    check(report, rows)
    assert ClassLink.objects.filter(url__startswith=HOST).count() == len(rows)


def plain_bulk_create(rows, history=False):
    cities = {city.code: city for city in City.objects.all()}
    departments = {(d.city.code, d.name): d for d in Department.objects.select_related("city")}
    links = [
        ClassLink(
            city=cities[code],
            url=url,
            label=label,
            department=departments.get((code, department)) if department else None,
            position=position,
        )
        for code, url, label, department, position in rows
    ]
    with transaction.atomic():
        if history:
            bulk_create_with_history(
                links, ClassLink, batch_size=1000, default_change_reason="bench"
            )
        else:
            ClassLink.objects.bulk_create(links, batch_size=1000)
    assert ClassLink.objects.filter(url__startswith=HOST).count() == len(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--tracemalloc", action="store_true", help="also trace one import")
    options = parser.parse_args()

    user = prepare_database()
    rows = synthetic_rows(options.rows)
    data = as_csv(rows)
    cities = len({row[0] for row in rows})
    print(f"{connection.vendor}: {len(rows):,} class links over {cities} cities, ", end="")
    print(f"{len(data) / 1e6:.1f} MB of CSV; {peak_mb():.0f} MB resident before the import")

    import_seconds, _ = timed(lambda: confirm(data, rows, user))
    import_peak = peak_mb()
    remove_bench_links()
    preview_seconds, staged_bytes = timed(lambda: preview(data, rows, user))
    bulk_seconds, _ = timed(lambda: plain_bulk_create(rows))
    remove_bench_links()
    # What the import must write at least: the rows and a history row for each.
    floor_seconds, _ = timed(lambda: plain_bulk_create(rows, history=True))
    remove_bench_links()

    import_rate, bulk_rate = len(rows) / import_seconds, len(rows) / bulk_seconds
    preview_rate = len(rows) / preview_seconds
    ratio = import_rate / bulk_rate
    print(f"import (confirm)   {import_seconds:7.2f} s  {import_rate:9,.0f} rows/s")
    print(f"dry run (preview)  {preview_seconds:7.2f} s  {preview_rate:9,.0f} rows/s")
    print(f"  preview kept in the database: {staged_bytes / 2**20:.0f} MB (file and JSON)")
    print(f"plain bulk_create  {bulk_seconds:7.2f} s  {bulk_rate:9,.0f} rows/s")
    floor_rate = len(rows) / floor_seconds
    print(f"  + history rows   {floor_seconds:7.2f} s  {floor_rate:9,.0f} rows/s")
    print(f"ratio import/bulk_create {ratio:.2f} (target >= {TARGET_RATIO})")
    print(f"peak resident size after the import {import_peak:.0f} MB (target < {TARGET_MB} MB)")
    if options.tracemalloc:
        tracemalloc.start()
        confirm(data, rows, user)
        traced = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        remove_bench_links()
        print(f"tracemalloc peak of the import {traced:.0f} MB")
    slow = [
        step
        for step, seconds in (("preview", preview_seconds), ("confirm", import_seconds))
        if seconds >= TIMEOUT_SECONDS
    ]
    verdict = "MET" if ratio >= TARGET_RATIO and import_peak < TARGET_MB and not slow else "MISSED"
    print(f"targets {verdict}" + (f"; over gunicorn's {TIMEOUT_SECONDS} s: {slow}" if slow else ""))


if __name__ == "__main__":
    main()
