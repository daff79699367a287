"""The user and group admin in the staff's language: permissions and role groups.

Django stores a permission's name, and we store the role groups' names, as English text; the
pickers, filters, delete pages and recent actions label them from translated names instead,
leaving what is stored (and logged) alone.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from .roles import group_name

# The actions of Django's default permissions, by their codename's first word.
_ACTIONS = {"add": _("Add"), "change": _("Change"), "delete": _("Delete"), "view": _("View")}
# Stored or plain English names, looked up in our catalogue for the label: our custom permissions
# (directory/models.py) and our models that no admin page shows, named by Django from their class.
# Marked here, in a module only staff's strings come from, to keep them out of the public
# catalogues. django-otp's models are in admin_vendor_strings.
STORED_NAMES = [
    gettext_noop("Can change every city's records"),
    gettext_noop("directory version"),
    gettext_noop("imported city"),
    gettext_noop("import preview"),
    gettext_noop("limit counter"),
]


def permission_label(permission):
    """The permission as "app | model | action" from the model's translated names, as Django's
    own label reads in English ("Directory | city | Can add city")."""
    model = permission.content_type.model_class()
    if model is None:  # left behind by a model that is gone
        return str(permission)
    opts = model._meta
    action = permission.codename.split("_", 1)[0]
    if permission.codename == f"{action}_{opts.model_name}" and action in _ACTIONS:
        what = _ACTIONS[action]
    else:
        what = gettext(permission.name)
    history_of = getattr(model, "instance_type", None)  # django-simple-history's versions
    if history_of is not None:
        model_name = _("version of %(model)s") % {"model": history_of._meta.verbose_name}
    else:
        # A name in plain text (django-otp's, ours made from the class) is looked up; one that
        # is marked for translation comes back as it is.
        model_name = gettext(str(opts.verbose_name))
    return f"{opts.app_config.verbose_name} | {model_name} | {what}"


def shown_group(group):
    """An unsaved copy of the group under its shown name, for Django's pages and messages that
    print a group with str(); never saved."""
    return Group(pk=group.pk, name=group_name(group.name))


def logged_name(entry):
    """What an admin log entry names, as staff read it: a role group in their language (the log
    keeps the name the group was stored under)."""
    if entry.content_type_id == ContentType.objects.get_for_model(Group).pk:
        return group_name(entry.object_repr)
    return entry.object_repr


# The rows linking users, groups and permissions, which deleting a user or group removes. Django
# lists each as "User-group relationship: User_groups object (3)", in English whatever the
# language; the delete pages name their kind and what they link instead.
LINKS = {
    User.groups.through: (
        _("group membership"),
        _("group memberships"),
        lambda row: f"{row.user} – {group_name(row.group.name)}",
    ),
    User.user_permissions.through: (
        _("user permission"),
        _("user permissions"),
        lambda row: f"{row.user} – {permission_label(row.permission)}",
    ),
    Group.permissions.through: (
        _("group permission"),
        _("group permissions"),
        lambda row: f"{group_name(row.group.name)} – {permission_label(row.permission)}",
    ),
}


class PermissionsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return permission_label(obj)


class GroupsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return group_name(obj.name)


class TranslatedNamesMixin:
    """A ModelAdmin whose permission and group pickers label their choices as above, and whose
    delete pages name the links a deletion removes."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        fields = {Permission: PermissionsField, Group: GroupsField}
        if db_field.related_model in fields:
            kwargs.setdefault("form_class", fields[db_field.related_model])
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_deleted_objects(self, objs, request):
        """Django's list of what a deletion removes, its rows of `LINKS` named as above."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        pks = [obj.pk for obj in objs]
        labels, plurals = {}, {}
        for through, (name, plural, label) in LINKS.items():
            # The row's key to what is deleted (a user's groups link to the user), if any.
            key = next(
                (
                    field.name
                    for field in through._meta.get_fields()
                    if field.many_to_one and field.related_model is self.model
                ),
                None,
            )
            if key is None:
                continue
            plurals[through._meta.verbose_name_plural] = plural
            for row in through.objects.filter(**{f"{key}__in": pks}).select_related():
                # Django's text for a row of a model without an admin page.
                django_text = f"{capfirst(through._meta.verbose_name)}: {row}"
                labels[django_text] = f"{capfirst(name)}: {label(row)}"
        counts = {plurals.get(kind, kind): count for kind, count in counts.items()}
        return _relabelled(deleted, labels), counts, perms_needed, protected


def _relabelled(items, labels):
    """The nested list of a delete page with each row's text replaced from `labels`."""
    return [
        _relabelled(item, labels) if isinstance(item, list) else labels.get(item, item)
        for item in items
    ]


class GroupFilter(admin.RelatedFieldListFilter):
    """The user list's filter by group, the role groups named in the staff's language."""

    def field_choices(self, field, request, model_admin):
        return [(group.pk, group_name(group.name)) for group in Group.objects.order_by("name")]
