"""Check the directory's links and keep each URL's last result; carry out the admin's requests.

The admin never checks a link itself (a check may take minutes): its actions queue requests,
which this command, run by cron, carries out.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from directory import linkcheck
from directory.models import City


class ProgressBar:
    """A one-line textual progress bar, redrawn in place on a terminal, one line per tenth else."""

    WIDTH = 30

    def __init__(self, stream):
        self.stream = stream
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.last_tenth = -1

    def __call__(self, done, total, result):
        filled = self.WIDTH * done // max(total, 1)
        line = f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total}"
        if self.tty:
            self.stream.write(f"\r{line}", ending="")
            if done == total:
                self.stream.write("")
            self.stream.flush()
        elif (tenth := 10 * done // max(total, 1)) != self.last_tenth:
            self.last_tenth = tenth
            self.stream.write(line)


class Command(BaseCommand):
    help = (
        "Check every department website and class link (or one city's) and store the results;"
        " the links staff asked for in the admin are checked too. With --requested, check only"
        " those: run it every few minutes, as the admin promises a check within the hour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--requested",
            action="store_true",
            help="Only the links staff asked for in the admin; each request is removed when done.",
        )
        parser.add_argument(
            "--city",
            action="append",
            default=[],
            help="Only this city: its slug, local government code, or name (repeatable).",
        )
        parser.add_argument("--timeout", type=float, default=linkcheck.TIMEOUT)
        parser.add_argument("--workers", type=int, default=linkcheck.WORKERS)
        parser.add_argument(
            "--per-host",
            type=int,
            default=linkcheck.PER_HOST,
            help="Most requests at a time to one host.",
        )
        parser.add_argument("--no-progress", action="store_true", help="Draw no progress bar.")

    def handle(self, requested, city, timeout, workers, per_host, no_progress, **options):
        if requested and city:
            raise CommandError("--requested checks what staff asked for; it takes no --city.")
        cities = None
        if city:
            cities = list(
                City.objects.filter(
                    Q(slug__in=city) | Q(code__in=city) | Q(name__in=city) | Q(name_ja__in=city)
                )
            )
            found = {value for c in cities for value in (c.slug, c.code, c.name, c.name_ja)}
            missing = [value for value in city if value not in found]
            if missing:
                raise CommandError(f"No such city: {', '.join(missing)}")
        with linkcheck.make_client(timeout=timeout, workers=workers) as client:
            try:
                summary = linkcheck.check_links(
                    cities,
                    requested=requested,
                    client=client,
                    workers=workers,
                    per_host=per_host,
                    progress=None if no_progress else ProgressBar(self.stderr),
                )
            except linkcheck.AlreadyRunning as exc:
                # Not an error: cron starts runs on a clock, and the run under way does the work.
                self.stdout.write(f"{exc} Nothing was checked.")
                return
        for result in sorted(summary.broken, key=lambda r: r.url):
            self.stdout.write(f"BROKEN {result.error}: {result.url} ({result.message})")
        self.stdout.write(str(summary))
