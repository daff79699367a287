"""Send each editor the weekly digest of their cities' newly broken links and unverified cities.

Run weekly by cron (README "E-mail to staff"); nobody is sent an empty digest.
"""

from django.core.management.base import BaseCommand, CommandError

from directory import notifications


class Command(BaseCommand):
    help = (
        "E-mail each city editor and directory editor, in their language, the links of their"
        " cities that broke in the last week and their cities not verified for a year."
        " Editors with nothing to report are sent nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say who would get a digest and what it would list; send nothing.",
        )

    def handle(self, *args, dry_run=False, **options):
        digests, sent = notifications.send_digests(dry_run=dry_run)
        for user, digest in digests:
            what = (
                f"{len(digest.broken)} newly broken links, "
                f"{len(digest.unverified)} cities not verified for a year"
                if digest
                else "nothing to report, not sent"
            )
            self.stdout.write(f"{user.get_username()} <{user.email}>: {what}")
        due = sum(1 for _user, digest in digests if digest)
        if dry_run:
            self.stdout.write(f"Dry run: {due} digests would be sent.")
        elif sent < due:
            # A non-zero exit, so cron mails whoever runs it.
            raise CommandError(f"{sent} of {due} digests sent; the failures are logged.")
        else:
            self.stdout.write(f"{sent} digests sent.")
