"""Recompute every city's search key, e.g. after writing to the database outside Django."""

from django.core.management.base import BaseCommand

from directory.search import refresh_search_keys


class Command(BaseCommand):
    help = "Recompute every city's search key."

    def handle(self, *args, **options):
        changed = refresh_search_keys()
        self.stdout.write(f"{changed} search keys updated.")
