"""The admin's two-factor pages: give a code after the password, and turn two-factor sign-in on.

Thin views over directory.twofactor. They sit outside the admin's permission check (a user who
owes a code is not let in yet), so each checks for a signed-in, active staff member itself.
"""

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import logout, signals
from django.contrib.auth.views import RedirectURLMixin
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView

from directory import twofactor

TOO_MANY = _("Too many wrong codes. Wait a minute, then enter the newest code.")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


class VerifyForm(CodeForm):
    """A code from the user's app, or one of their recovery codes; a refused one is a failed
    sign-in."""

    def __init__(self, request, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.device = None
        self.credentials = {"username": request.user.get_username()}

    def clean_code(self):
        user = self.request.user
        code = twofactor.normalise(self.cleaned_data["code"])
        device = twofactor.device_for_code(user, code)
        # django-otp slows guessing down per device: after each wrong code it waits longer.
        allowed = device is not None and device.verify_is_allowed()[0]
        self.device = allowed and django_otp.verify_token(user, device.persistent_id, code)
        if self.device:
            return code
        # django-axes counts a refused code as it counts a wrong password.
        signals.user_login_failed.send(
            sender=type(self), credentials=self.credentials, request=self.request
        )
        if device is not None and not allowed:
            raise forms.ValidationError(TOO_MANY, code="throttled")
        raise forms.ValidationError(
            _(
                "That code is not right. Enter the newest code from your app, "
                "or one of your recovery codes."
            ),
            code="invalid",
        )


class EnrolForm(CodeForm):
    """The first code from a newly scanned app, which confirms it."""

    def __init__(self, device, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device
        self.recovery_codes = None

    def clean_code(self):
        if not self.device.verify_is_allowed()[0]:
            raise forms.ValidationError(TOO_MANY, code="throttled")
        self.recovery_codes = twofactor.confirm_app(self.device, self.cleaned_data["code"])
        if self.recovery_codes is None:
            raise forms.ValidationError(
                _(
                    "That code is not right. Check that the time on your phone is correct, "
                    "then enter the newest code."
                ),
                code="invalid",
            )
        return self.cleaned_data["code"]


@method_decorator([never_cache, staff_member_required], name="dispatch")
class TwoFactorView(RedirectURLMixin, FormView):
    """What both pages share: staff only, the admin's look, and a safe `next` to go on to."""

    admin_site = None
    next_page = "admin:index"
    title = None

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **self.admin_site.each_context(self.request),
            title=self.title,
            subtitle=None,
            next=self.get_redirect_url(),
            continue_url=self.get_success_url(),
            **kwargs,
        )


class VerifyView(TwoFactorView):
    """The second step of signing in, for staff with a confirmed device."""

    template_name = "admin/two_factor/verify.html"
    form_class = VerifyForm
    title = _("Enter your code")

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not twofactor.needs_second_step(user):
            return redirect(self.get_success_url())
        if user.is_authenticated and not django_otp.user_has_device(user):
            return redirect("admin:two_factor")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {"request": self.request, **super().get_form_kwargs()}

    def form_valid(self, form):
        django_otp.login(self.request, form.device)
        return super().form_valid(form)

    def form_invalid(self, form):
        if AxesProxyHandler.is_locked(self.request, form.credentials):
            # Locked out: back to the password, which django-axes refuses until the cool-off.
            # Its middleware answers this request with its lockout page.
            logout(self.request)
        return super().form_invalid(form)


class EnrolView(TwoFactorView):
    """Turn two-factor sign-in on: scan a QR code, confirm with a first code, keep the recovery
    codes. Shows that it is on to someone who has done so."""

    template_name = "admin/two_factor/enrol.html"
    form_class = EnrolForm
    title = _("Two-factor sign-in")

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        # Someone who has a device but has not used it this session may have only the password.
        if user.is_authenticated and django_otp.user_has_device(user) and not user.is_verified():
            return redirect("admin:two_factor_verify")
        if user.is_authenticated and twofactor.has_app(user):
            return self.already_on()
        return super().dispatch(request, *args, **kwargs)

    def already_on(self):
        """The page for someone who has turned it on: how many recovery codes are left."""
        left = twofactor.recovery_codes_left(self.request.user)
        return self.render("admin/two_factor/enabled.html", form=None, recovery_codes_left=left)

    def get_form_kwargs(self):
        return {"device": twofactor.pending_app(self.request.user), **super().get_form_kwargs()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        if form is not None and form.recovery_codes is None:  # still enrolling
            context["qr_code"] = twofactor.qr_code(form.device)
            context["secret"] = twofactor.secret_for_typing(form.device)
        return context

    def form_valid(self, form):
        django_otp.login(self.request, form.device)
        # Shown once, in the answer to the confirming code, and never stored for showing again.
        return self.render(
            "admin/two_factor/recovery_codes.html", form=form, recovery_codes=form.recovery_codes
        )

    def render(self, template, **context):
        self.template_name = template
        return self.render_to_response(self.get_context_data(**context))
