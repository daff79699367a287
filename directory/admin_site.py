"""The admin site: Django's, closed to staff who must give a second factor until they have.

django-otp's `OTPAdminSite` closes the whole admin to anyone unverified and asks for the code on
the password form; here the code is a second step (directory.admin_twofactor) and city editors
who have not turned two-factor sign-in on keep signing in with their password alone.
"""

import django_otp
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.contrib.auth.views import LogoutView
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy

from directory import twofactor, views


class OneAttemptAtATimeForm(AdminAuthenticationForm):
    """The admin's sign-in form, checking one account's password for one request at a time.

    django-axes counts a wrong password after checking it: guesses sent at once on several
    workers or nodes were all checked before the first was counted, past the account's limit.
    Holding the account's row until the attempt is recorded makes each guess see the last.
    """

    def clean(self):
        username = self.cleaned_data.get("username")
        with transaction.atomic():
            accounts = get_user_model()._default_manager.select_for_update()
            list(accounts.filter(**{get_user_model().USERNAME_FIELD: username}).values("pk"))
            try:
                return super().clean()
            except ValidationError as refused:
                # Raised outside the block, so that the failure axes recorded is kept.
                error = refused
        raise error


class DirectoryAdminSite(admin.AdminSite):
    site_header = gettext_lazy("madoguchi administration")
    site_title = gettext_lazy("madoguchi administration")
    login_form = OneAttemptAtATimeForm

    def has_permission(self, request):
        """Django's rule, and a verified session for those who must use a second factor."""
        return super().has_permission(request) and not twofactor.needs_second_step(request.user)

    def login(self, request, extra_context=None):
        """After the password, staff who still owe a second factor go to give it (or enrol)."""
        user = request.user
        if (
            request.method == "GET"
            and user.is_active
            and user.is_staff
            and twofactor.needs_second_step(user)
        ):
            step = "two_factor_verify" if django_otp.user_has_device(user) else "two_factor"
            url = reverse(f"admin:{step}")
            if REDIRECT_FIELD_NAME in request.GET:
                url += "?" + urlencode({REDIRECT_FIELD_NAME: request.GET[REDIRECT_FIELD_NAME]})
            return redirect(url)
        return super().login(request, extra_context)

    def get_urls(self):
        from directory import admin_city_editors, admin_language, admin_twofactor

        return [
            path(
                "language/",
                self.admin_view(admin_language.language_view),
                {"admin_site": self},
                name="language",
            ),
            # Not wrapped in admin_view: these pages are for staff the site does not let in yet.
            path(
                "two-factor/",
                admin_twofactor.EnrolView.as_view(admin_site=self),
                name="two_factor",
            ),
            path(
                "two-factor/verify/",
                admin_twofactor.VerifyView.as_view(admin_site=self),
                name="two_factor_verify",
            ),
            # A way out for staff on these pages, where the admin's own log-out is closed.
            path(
                "two-factor/sign-out/",
                LogoutView.as_view(next_page="admin:login"),
                name="two_factor_sign_out",
            ),
            path(
                "city-editors/add/",
                self.admin_view(admin_city_editors.add_city_editor_view),
                {"admin_site": self},
                name="add_city_editor",
            ),
            *super().get_urls(),
        ]


def page_not_found(request, exception):
    """Django's 404: under the admin, the admin's own page, with its header and the way back to
    the dashboard (a city editor meets it at another city's record); elsewhere, the public one."""
    if not request.path.startswith(reverse("admin:index")):
        return views.not_found(request, exception)
    return render(request, "admin/404.html", admin.site.each_context(request), status=404)
