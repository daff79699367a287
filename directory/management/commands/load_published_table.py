"""Load the association's published table into the directory."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from directory.importexport import importing, sync
from directory.importexport.published_table import DEFAULT_PATH, PublishedTableError, parse_file
from directory.models import City


class Command(BaseCommand):
    help = "Load the published table of core cities, updating records in place."

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

    def handle(self, path, dry_run, if_empty, allow_removals, **options):
        if if_empty and City.objects.exists():
            self.stdout.write(
                "The directory already has cities; the published table was not loaded."
            )
            return
        try:
            # Refused by its size before it is read, as every import is.
            importing.check_size(Path(path).stat().st_size)
            records = parse_file(path)
            with transaction.atomic():
                result = sync.plan(records)
                if not dry_run:
                    removals = sum(1 for c in result.changes if c.action == "removed")
                    importing.refuse_unconfirmed_removals(removals, None if allow_removals else 0)
                    sync.apply(result, reason=f"Loaded from {Path(path).name}")
        except importing.RemovalsNotConfirmed as error:
            for line in result.report():
                self.stdout.write(line)
            raise CommandError(
                f"{path}: {error} "
                + _("Check the removals listed, then run again with --allow-removals.")
            ) from None
        except PublishedTableError as error:
            raise CommandError(f"{path}: {error}. Nothing was loaded.") from None
        except importing.ImportFileError as error:
            raise CommandError(f"{path}: {error} Nothing was loaded.") from None
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}. Nothing was loaded.") from None
        except UnicodeDecodeError:
            raise CommandError(f"{path}: not a UTF-8 text file. Nothing was loaded.") from None
        for line in result.report():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
