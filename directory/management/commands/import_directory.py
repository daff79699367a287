"""Import cities, departments or class links from a file: the admin's import, for scripts."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from directory.importexport import importing
from directory.importexport.resources import RESOURCES


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
        confirmed = None if allow_removals else 0  # None: any number of removals
        try:
            report = importing.import_path(
                kind, path, format, dry_run=dry_run, confirmed_removals=confirmed
            )
        except importing.ImportFileError as error:
            raise CommandError(f"{path}: {error}") from None
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
            raise CommandError(f"{path}: {report.refusal()}")
        self.stdout.write("\n".join(report.lines()))
