"""Visitors' problem reports: the form, the per-address rate limit and the view that takes them.

Anyone may report, without an account; CSRF, a honeypot field and a limit of REPORTS_PER_HOUR
per client address (counted in the shared cache, so every web node sees the same count) keep
the inbox for people. Reports are only ever shown to staff, in the admin.
"""

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import get_object_or_404
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from .models import City, ProblemReport

REPORTS_PER_HOUR = 10
WINDOW_SECONDS = 3600


def client_ip(request):
    """The visitor's address: REMOTE_ADDR, or the entry in X-Forwarded-For that our own proxies
    added when settings.TRUSTED_PROXY_COUNT says how many sit in front of the site.

    Entries further left are written by the client and can be forged, so they are never used.
    """
    trusted = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if trusted and len(forwarded) >= trusted:
        return forwarded[-trusted]
    return request.META.get("REMOTE_ADDR", "")


def allow_report(request):
    """Count one report from the visitor's address; False once it is past the hourly limit."""
    key = f"problem-report:{client_ip(request)}"
    # add() starts the hour at the first report; incr() is atomic on Redis, so nodes agree.
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        cache.add(key, 1, WINDOW_SECONDS)
        count = 1
    return count <= REPORTS_PER_HOUR


class ProblemReportForm(forms.ModelForm):
    # A field people never see (hidden) and bots fill in.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    class Meta:
        model = ProblemReport
        fields = ["kind", "message"]
        widgets = {
            "kind": forms.RadioSelect,
            "message": forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        }
        labels = {"kind": _("What is wrong?"), "message": _("Details (optional)")}
        help_texts = {
            "message": _(
                "Which link or address, and what you found. Please do not write your name."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ProblemReport.Kind.choices  # no empty "-----" radio

    def clean(self):
        cleaned = super().clean()
        explained = cleaned.get("message", "").strip()
        if cleaned.get("kind") == ProblemReport.Kind.OTHER and not explained:
            self.add_error("message", _("Please tell us what is wrong."))
        return cleaned

    @property
    def is_bot(self):
        return bool(self.cleaned_data.get("website"))


class ReportProblemView(FormView):
    """GET shows the form for one city; POST stores the report and thanks the visitor."""

    template_name = "directory/report_problem.html"
    form_class = ProblemReportForm

    def dispatch(self, request, *args, **kwargs):
        self.city = get_object_or_404(City, slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        kind = self.request.GET.get("kind")
        return {"kind": kind} if kind in ProblemReport.Kind.values else {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            city=self.city, sent=self.request.GET.get("sent") == "1", **kwargs
        )

    def post(self, request, *args, **kwargs):
        if not allow_report(request):
            context = self.get_context_data(form=self.get_form(), limited=True)
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        # A bot that filled the honeypot is thanked like anyone, so it learns nothing.
        if not form.is_bot:
            form.instance.city = self.city
            form.save()
        return super().form_valid(form)

    def get_success_url(self):
        return f"{self.request.path}?{urlencode({'sent': 1})}"
