"""Load the association's published table into the directory."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from directory.importexport import importing
from directory.importexport.published_table import DEFAULT_PATH
from directory.models import City


class Command(BaseCommand):
    help = (
        "Load the published table of core cities, updating records in place and keeping the "
        "fields staff changed since the last load."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH))
        parser.add_argument("--dry-run", action="store_true", help="Report changes; write nothing.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the directory already has cities (first set-up only).",
        )
        parser.add_argument(
            "--allow-removals",
            action="store_true",
            help="Remove the records the table leaves out; without it such a table is refused.",
        )
        parser.add_argument(
            "--overwrite-staff-edits",
            action="store_true",
            help="Replace the fields staff changed since the last load with the table's values.",
        )

    def handle(self, path, dry_run, if_empty, allow_removals, overwrite_staff_edits, **options):
        if if_empty and City.objects.exists():
            self.stdout.write(
                _("The directory already has cities; the published table was not loaded.")
            )
            return
        try:
            report = importing.import_path(
                "cities",
                path,
                "published",
                dry_run=dry_run,
                confirmed_removals=None if allow_removals else 0,
                overwrite_staff_edits=overwrite_staff_edits,
            )
        except importing.ImportFileError as error:
            raise CommandError(f"{path}: {error}") from None
        if report.removals_refused:
            # The whole report, for the person to check the removals before running again.
            self.stdout.write("\n".join(report.lines()))
            raise CommandError(
                f"{path}: {report.errors[0]} "
                + _("Check the removals listed, then run again with --allow-removals.")
            )
        if not report.ok:
            for error in report.errors:
                self.stderr.write(f"{path}: {error}")
            raise CommandError(f"{path}: {report.refusal()}")
        self.stdout.write("\n".join(report.lines()))
