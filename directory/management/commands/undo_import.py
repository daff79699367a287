"""Undo one logged import: the admin's "Undo the selected import", for scripts."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from directory.importexport import importlog
from directory.models import ImportLog


class Command(BaseCommand):
    help = (
        "Put back every record an import (by its number in the import log) created, changed or "
        "removed, all or nothing; refused when one has changed since."
    )

    def add_arguments(self, parser):
        parser.add_argument("id", type=int, help="The import's number (#) in the import log.")

    def handle(self, id, **options):
        log = ImportLog.objects.filter(pk=id).first()
        if log is None:
            raise CommandError(_("The import log has no import #%(id)s.") % {"id": id})
        try:
            undo = importlog.undo(log, via=ImportLog.Via.COMMAND)
        except importlog.UndoRefused as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(importlog.undone(log, undo))
