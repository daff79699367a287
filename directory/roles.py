"""Staff roles as Django groups: directory editors change everything, city editors their cities.

`ensure_groups` is used by a data migration and by tests whose database was flushed.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.utils.translation import gettext_lazy as _

# Stored in English, as code and migrations find the groups; shown by `group_name`.
DIRECTORY_EDITORS = "Directory editors"
CITY_EDITORS = "City editors"
_SHOWN_NAMES = {DIRECTORY_EDITORS: _("Directory editors"), CITY_EDITORS: _("City editors")}

# A desk's phones and opening hours are edited on its page, so with the same permissions.
_RECORDS = ("department", "classlink", "departmentphone", "openinghours")
_EVERY_ACTION = ("add", "change", "delete", "view")
# Visitors' reports (read, noted and closed) and link checks (read), each scoped by its city.
_WORKSPACE = ("view_problemreport", "change_problemreport", "view_linkcheck")

GROUP_PERMISSIONS = {
    DIRECTORY_EDITORS: [
        *(f"{action}_{model}" for model in ("city", *_RECORDS) for action in _EVERY_ACTION),
        "change_all_cities",
        "view_prefecture",
        *_WORKSPACE,
        "view_importlog",
        # Each prefecture's international association and the national help (issue 17).
        "change_prefecture",
        *(f"{action}_nationalhelp" for action in _EVERY_ACTION),
        "view_municipality",
    ],
    # A city editor's records are limited to the assigned cities by `City.objects.editable_by`.
    CITY_EDITORS: [
        "change_city",
        "view_city",
        *(f"{action}_{model}" for model in _RECORDS for action in _EVERY_ACTION),
        "view_prefecture",
        *_WORKSPACE,
        # Only the entries of their own cities (`ImportLog.objects.visible_to`).
        "view_importlog",
    ],
}


def group_name(name):
    """A group's name as staff read it, from the name it is stored (and logged) under: the role
    groups' in their language, others as stored."""
    return str(_SHOWN_NAMES.get(name, name))


def edits_every_city(user):
    """A directory editor or superuser: every city's records are theirs to see and change."""
    return user.has_perm("directory.change_all_cities")


def ensure_groups(apps=global_apps):
    """Create the two groups with their permissions, or bring existing ones up to date."""
    config = apps.get_app_config("directory")
    # Permissions are made after migrations; a migration's app stub lacks the module flag
    # `create_permissions` checks, so it is set for the call.
    stub = getattr(config, "models_module", None) is None
    if stub:
        config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    if stub:
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="directory", codename__in=codenames)
        )
