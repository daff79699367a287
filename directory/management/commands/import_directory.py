"""Import cities, departments or class links from a file: the admin's import, for scripts."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from directory.importexport import importing
from directory.importexport.resources import RESOURCES
from directory.models import ImportLog


class Command(BaseCommand):
    help = (
        "Import a CSV, TSV, XLSX or JSON file (or, for cities, the published table) all or "
        "nothing, printing the same summary as the admin's preview."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(RESOURCES))
        parser.add_argument("path")
        parser.add_argument("--format", choices=importing.FORMATS, help="Default: from the name.")
        parser.add_argument("--dry-run", action="store_true", help="Report changes; write nothing.")
        parser.add_argument(
            "--allow-removals",
            action="store_true",
            help="Apply a file that removes records (rows marked delete); refused without it.",
        )

    def handle(self, kind, path, format, dry_run, allow_removals, **options):
        try:
            # Refused by its size before it is read, as the admin's upload form does.
            importing.check_size(Path(path).stat().st_size)
            data = Path(path).read_bytes()
            fmt = format or importing.guess_format(path, data)
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        except importing.ImportFileError as error:
            raise CommandError(f"{path}: {error}") from None
        report = importing.run_import(
            kind,
            data,
            fmt,
            dry_run=dry_run,
            file_name=Path(path).name,
            confirmed_removals=None if allow_removals else 0,
            via=ImportLog.Via.COMMAND,
        )
        if report.removals_refused:
            # What would go, for the person to check before running again with the flag.
            for change in report.changes:
                if change.action == "deleted":
                    self.stderr.write(f"{change.action} {change.record}")
            raise CommandError(
                f"{path}: {report.errors[0]} "
                + _("Check the removals listed, then run again with --allow-removals.")
            )
        if not report.ok:
            for error in report.errors:
                self.stderr.write(f"{path}: {error}")
            raise CommandError(f"{path}: {len(report.errors)} problem(s); nothing was imported.")
        for line in report.lines():
            self.stdout.write(line)
