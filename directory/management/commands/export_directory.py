"""Export cities, departments or class links, as the admin's export does."""

import sys

from django.core.management.base import BaseCommand, CommandError

from directory.importexport import exporting
from directory.importexport.resources import RESOURCES


class Command(BaseCommand):
    help = "Export the directory's records in a format the import reads back unchanged."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(RESOURCES))
        parser.add_argument("--format", choices=exporting.EXPORT_FORMATS, default="csv")
        parser.add_argument("-o", "--output", help="File to write; default: standard output.")

    def handle(self, kind, format, output, **options):
        data = exporting.export(kind, format)
        if output:
            try:
                with open(output, "wb") as file:
                    file.write(data)
            except OSError as error:
                raise CommandError(f"{output}: {error.strerror}") from None
        elif format == "xlsx":
            sys.stdout.buffer.write(data)
        else:
            self.stdout.write(data.decode("utf-8-sig"), ending="")
