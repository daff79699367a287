"""makemessages for the public site: the admin's own modules stay out of the catalogues.

The admin speaks English only (config.middleware), so translating its messages into ten
languages would be work nobody reads. Everything else a visitor can see is extracted.
"""

from django.core.management.commands import makemessages

# Modules and templates that only staff see; extend this list when adding one.
ADMIN_ONLY = [
    ".venv",
    "staticfiles",
    "bench",
    "tests",
    "conftest.py",
    "templates/admin",
    "templates/import_export",
    # E-mail to staff, in the admin's languages.
    "templates/staff_email",
    "directory/admin*",
    "directory/apps.py",
    "directory/importexport",
    "directory/linkcheck.py",
    "directory/management",
    "directory/notifications.py",
    "directory/proxies.py",
    "directory/roles.py",
    "directory/signin_lockout.py",
    "directory/validators.py",
]


class Command(makemessages.Command):
    def handle(self, *args, **options):
        options["ignore_patterns"] = [*options.get("ignore_patterns", []), *ADMIN_ONLY]
        return super().handle(*args, **options)
