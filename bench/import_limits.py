"""Benchmark: each hostile import file's peak memory and time, each case in its own process.

The files are the ones tests/test_import_limits.py uses (tests/crafted_files.py): a declared
dimension of every cell, a header value in column XFD, a million rows, a million shared strings,
a 200 MB shared string, billion laughs, a 50 MB CSV; and an Excel-shaped workbook for comparison.
Each runs the admin's way in a fresh process (so ru_maxrss is that file's peak alone): the size
told before reading, the format guessed, then `run_import` as a dry run (the preview) on a scratch
SQLite database holding the seed. Targets: under 300 MB peak and 5 s each.

    .venv/bin/python bench/import_limits.py               # every case
    .venv/bin/python bench/import_limits.py --reference   # also the largest honest file: 100,000
                                                           # rows of XLSX, read only (no import)
"""

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("REDIS_URL", "")

TARGET_MB = 300
TARGET_SECONDS = 5


def peak_mb():
    """This process's peak resident size so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reference_workbook(rows=100_000):
    """100,000 class links as openpyxl writes them (text kept in the cells): 32 MB unpacked."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["city", "url", "label", "department", "position"])
    for n in range(rows):
        sheet.append(["012025", f"https://bench.example.jp/{n}", f"にほんご教室 {n}", "", n % 50])
    buffer = io.BytesIO()
    book.save(buffer)
    return "reference.xlsx", buffer.getvalue()


def child(path, read_only):
    """One case, as the admin's upload runs it; prints one JSON line."""
    import django

    django.setup()
    from directory.importexport import importing

    baseline = peak_mb()
    started = time.perf_counter()
    try:
        importing.check_size(path.stat().st_size)
        data = path.read_bytes()
        fmt = importing.guess_format(path.name, data)
        if read_only:
            outcome = f"read {len(importing.read_dataset(data, fmt)):,} rows"
        else:
            report = importing.run_import("class-links", data, fmt, dry_run=True)
            outcome = f"refused: {report.errors[0]}" if report.errors else report.summary()
    except importing.ImportFileError as error:
        outcome = f"refused: {error}"
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {"seconds": seconds, "peak": peak_mb(), "baseline": baseline, "outcome": outcome}
        )
    )


def prepare():
    """A migrated SQLite database holding the seed, shared by every case's process."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_published_table", verbosity=0, stdout=io.StringIO())


def cases():
    """(name, builder, read only) of every case."""
    from tests import crafted_files

    rows = [(*crafted_files.HEADER, "position"), ("012025", "https://example.jp/e", "教室", 1)]
    found = [(name, build, False) for name, build in crafted_files.HOSTILE.items()]
    found.append(("excel-saved", lambda: crafted_files.excel_like(rows), False))
    found.append(("reference-100k-rows", reference_workbook, True))
    return found


def build(name, path):
    """Write one case's file: in a process of its own, so the measuring one inherits no peak."""
    builder = {case: function for case, function, _read_only in cases()}[name]
    file_name, data = builder()
    (path / file_name).write_bytes(data)
    print(file_name)


def run(*arguments):
    """This script in a new process. Linux carries a parent's peak size into its children, so
    the parent stays small: it neither sets up Django nor builds the files."""
    command = [sys.executable, __file__, *arguments]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reference", action="store_true", help="also the 100,000-row XLSX")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--build", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--read-only", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        return child(Path(options.child), options.read_only)
    if options.build:
        return build(options.build[0], Path(options.build[1]))
    if options.prepare:
        return prepare()

    scratch = tempfile.TemporaryDirectory(prefix="import-limits-")
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch.name}/bench.sqlite3"
    run("--prepare")
    names = [
        (name, read_only)
        for name, _build, read_only in cases()
        if options.reference or not read_only
    ]
    print(f"targets: < {TARGET_MB} MB peak resident, < {TARGET_SECONDS} s; each case alone")
    print(f"{'case':22} {'file':>10} {'seconds':>8} {'peak MB':>8} {'(start)':>8}  outcome")
    missed = []
    for name, read_only in names:
        path = Path(scratch.name) / run("--build", name, scratch.name)
        size = f"{path.stat().st_size / 2**20:.2f} MB"
        figures = json.loads(
            run("--child", str(path), *(["--read-only"] if read_only else [])).splitlines()[-1]
        )
        outcome = figures["outcome"].replace("\xa0", " ")
        print(
            f"{name:22} {size:>10} {figures['seconds']:8.2f} {figures['peak']:8.0f} "
            f"{figures['baseline']:8.0f}  {outcome[:90]}"
        )
        over = figures["peak"] >= TARGET_MB or figures["seconds"] >= TARGET_SECONDS
        if over and not read_only:
            missed.append(name)
        path.unlink()
    print("targets MET" if not missed else f"targets MISSED: {missed}")


if __name__ == "__main__":
    main()
