"""Password reset for staff, with Django's auth views under /admin/ and the admin's templates.

The admin's sign-in page links to it once `admin_password_reset` exists. The form answers the
same whether or not the address is known, and also reaches accounts that have no password yet
(a city editor whose first e-mail's link expired).
"""

import unicodedata
from datetime import timedelta

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import User
from django.http import HttpResponseRedirect
from django.urls import path
from django.utils import translation

from .limits import allow, client_ip
from .models import email_language

# Reset e-mails one address may ask for per hour: enough for a person, too few to flood an inbox.
RESETS_PER_HOUR = 10


def _folded(email):
    return unicodedata.normalize("NFKC", email).casefold()


class StaffPasswordResetForm(PasswordResetForm):
    def get_users(self, email):
        """Active staff with this address, whether or not they have set a password yet."""
        staff = User.objects.filter(email__iexact=email, is_active=True, is_staff=True)
        return (user for user in staff if _folded(user.email) == _folded(email))

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        """The e-mail in the recipient's language (their saved choice, otherwise Japanese)."""
        with translation.override(email_language(context["user"])):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class StaffPasswordResetView(auth_views.PasswordResetView):
    form_class = StaffPasswordResetForm

    def form_valid(self, form):
        """Send the e-mail unless this address asked too often; the answer is the same."""
        key = f"password-reset:{client_ip(self.request)}"
        if not allow(key, RESETS_PER_HOUR, timedelta(hours=1)):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


urlpatterns = [
    path(
        "admin/password-reset/",
        StaffPasswordResetView.as_view(),
        name="admin_password_reset",
    ),
    path(
        "admin/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "admin/password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "admin/password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
