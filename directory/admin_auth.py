"""The user and group admin's choices in the staff's language: permissions and role groups.

Django stores a permission's name, and we store the role groups' names, as English text; the
pickers and filters label them from translated names instead, leaving what is stored alone.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
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


class PermissionsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return permission_label(obj)


class GroupsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return group_name(obj)


class TranslatedChoicesMixin:
    """A ModelAdmin whose permission and group pickers label their choices as above."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        fields = {Permission: PermissionsField, Group: GroupsField}
        if db_field.related_model in fields:
            kwargs.setdefault("form_class", fields[db_field.related_model])
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class GroupFilter(admin.RelatedFieldListFilter):
    """The user list's filter by group, the role groups named in the staff's language."""

    def field_choices(self, field, request, model_admin):
        return [(group.pk, group_name(group)) for group in Group.objects.order_by("name")]
