"""Visitors' problem reports: the form, the per-address rate limit and the view that takes them.

Anyone may report, without an account; CSRF, a honeypot field and a limit of
settings.PROBLEM_REPORTS_PER_HOUR per client address (counted in the database, so every worker
and node sees the same count, with or without Redis) keep the inbox for people. Reports are
only ever shown to staff, in the admin, and mailed to the city's editors
(directory.notifications).
"""

import hashlib
from datetime import timedelta

from django import forms
from django.conf import settings
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from . import notifications
from .forms import PastedTextField
from .limits import allow, client_ip
from .models import City, ProblemReport

# A report sent again within this time, the same from the same address, is the same report: a
# second tap on "Send" while a slow connection loads the first.
SAME_REPORT_WINDOW = timedelta(minutes=10)


class ProblemReportForm(forms.ModelForm):
    # A field people never see (hidden) and bots fill in.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    class Meta:
        model = ProblemReport
        fields = ["kind", "message"]
        field_classes = {"message": PastedTextField}
        widgets = {
            "kind": forms.RadioSelect,
            "message": forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        }
        labels = {"kind": _("What is wrong?"), "message": _("Details (optional)")}
        # Our words, not Django's: Django has none in Filipino or Burmese. No control
        # character is refused: `PastedTextField` reads each as a space or line break.
        error_messages = {
            "kind": {"required": _("Choose what is wrong.")},
            "message": {
                "max_length": _(
                    "Write at most %(limit_value)d characters in the details (they have "
                    "%(show_value)d)."
                ),
            },
        }
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
        # Details refused already (too long, say) are not missing: one error says what to do.
        unexplained = "message" in cleaned and not cleaned["message"].strip()
        if cleaned.get("kind") == ProblemReport.Kind.OTHER and unexplained:
            self.add_error("message", _("Please tell us what is wrong."))
        return cleaned


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

    def form_valid(self, form):
        # Each report that would be sent counts against the visitor's address, refused once
        # past the hourly limit; a form sent back for correction costs nothing.
        key = f"problem-report:{client_ip(self.request)}"
        if not allow(key, settings.PROBLEM_REPORTS_PER_HOUR, timedelta(hours=1)):
            context = self.get_context_data(form=form, limited=True)
            return self.render_to_response(context, status=429)
        # A bot that filled the honeypot is thanked like anyone, so it learns nothing; so is a
        # visitor whose report arrives twice, stored and mailed to staff once.
        if not form.cleaned_data.get("website") and self.sent_first(form, key):
            form.instance.city = self.city
            report = form.save()

            # A function, not a partial: Django names a failed callback by its __qualname__.
            def notify_editors():
                notifications.notify_new_report(report)

            # Mailed once the report is surely stored; a mail server's failure is logged there,
            # and `robust` logs anything else rather than cost the visitor their thank-you page.
            transaction.on_commit(notify_editors, robust=True)
        return super().form_valid(form)

    def sent_first(self, form, sender):
        """Whether this report is the first of its kind, details and city from its sender in
        SAME_REPORT_WINDOW."""
        data = form.cleaned_data
        same = "\0".join([sender, str(self.city.pk), data["kind"], data.get("message", "")])
        digest = hashlib.sha256(same.encode()).hexdigest()
        return allow(f"problem-report-sent:{digest}", 1, SAME_REPORT_WINDOW)

    def get_success_url(self):
        return f"{self.request.path}?{urlencode({'sent': 1})}"
