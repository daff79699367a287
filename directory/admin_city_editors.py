"""The admin's "Add a city editor" page: one form, for superusers and directory editors.

A thin view over directory.city_editors.
"""

import logging
import smtplib

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from . import city_editors
from .admin import PublishedEmailField
from .models import City, CityEditor, StaffProfile
from .roles import edits_every_city
from .validators import validate_single_line_text

logger = logging.getLogger(__name__)


def _taken_message(email):
    return _(
        "There is already an account with the e-mail address %(email)s. A person has one "
        "account: ask a superuser to assign it these cities on its user page."
    ) % {"email": email}


class CityEditorForm(forms.Form):
    required_css_class = "required"

    name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        validators=[validate_single_line_text],
        help_text=_("As the person writes it, e.g. 山田 花子."),
    )
    email = PublishedEmailField(
        label=User._meta.get_field("email").verbose_name,
        help_text=_("Their user name; the link to set a password is sent here."),
    )
    cities = forms.ModelMultipleChoiceField(
        label=_("Their cities"),
        queryset=City.objects.all(),
        help_text=_("The cities whose desks and classes they keep."),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=StaffProfile._meta.get_field("language").get_choices(),
        help_text=_("Of the e-mail and the admin; empty: Japanese e-mail, the browser's admin."),
    )

    def __init__(self, *args, admin_site=admin.site, **kwargs):
        super().__init__(*args, **kwargs)
        cities = self.fields["cities"]
        cities.widget = AutocompleteSelectMultiple(CityEditor._meta.get_field("city"), admin_site)
        cities.widget.choices = cities.choices

    def clean_email(self):
        email = self.cleaned_data["email"]
        if city_editors.email_taken(email):
            raise forms.ValidationError(_taken_message(email), code="taken")
        return email


def add_city_editor_view(request, admin_site=admin.site):
    """Show the form; on a valid one, make the city editor and send the e-mail."""
    if not edits_every_city(request.user):
        raise PermissionDenied
    form = CityEditorForm(request.POST or None, admin_site=admin_site)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = city_editors.add_city_editor(
                name=data["name"],
                email=data["email"],
                cities=list(data["cities"]),
                language=data["language"],
                base_url=request.build_absolute_uri("/"),
                invited_by=request.user,
            )
        except city_editors.EmailTaken:
            form.add_error("email", _taken_message(data["email"]))
        except (smtplib.SMTPException, OSError):
            logger.exception("The e-mail to a new city editor could not be sent")
            form.add_error(
                None,
                _("The e-mail could not be sent, so no account was made. Try again later."),
            )
        else:
            messages.success(
                request,
                _(
                    "%(name)s is now a city editor of %(cities)s. An e-mail to %(email)s asks "
                    "them to choose a password."
                )
                % {
                    "name": user.first_name,
                    "cities": ", ".join(str(city) for city in data["cities"]),
                    "email": user.email,
                },
            )
            return redirect("admin:index")
    context = {
        **admin_site.each_context(request),
        "title": _("Add a city editor"),
        "form": form,
        "media": form.media,
    }
    return TemplateResponse(request, "admin/directory/add_city_editor.html", context)
