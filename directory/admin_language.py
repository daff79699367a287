"""The admin's language page: each staff member saves the language of their admin and e-mail."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.middleware import admin_language

from .models import StaffProfile


class StaffProfileForm(forms.ModelForm):
    """The profile's language as radio buttons, on the language page and a user's page alike."""

    class Meta:
        model = StaffProfile
        fields = ["language"]
        widgets = {"language": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each language named in itself (日本語, English), after "the browser's".
        self.fields["language"].choices = [
            ("", gettext_lazy("The browser's language")),
            *(
                (code, translation.get_language_info(code)["name_local"])
                for code in settings.ADMIN_LANGUAGES
            ),
        ]


def language_view(request, admin_site):
    """Show and save the signed-in staff member's language; the next page is in it."""
    profile = StaffProfile.objects.filter(user=request.user).first()
    profile = profile or StaffProfile(user=request.user)
    form = StaffProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        # The message is read on the next page, in the language just chosen.
        with translation.override(admin_language(request)):
            messages.success(request, _("Your language is saved."))
        return redirect("admin:language")
    context = {
        **admin_site.each_context(request),
        "title": _("Language"),
        "subtitle": None,
        "form": form,
    }
    return TemplateResponse(request, "admin/directory/language.html", context)
