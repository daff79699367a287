"""Template helpers for links: the page a translation proxy wraps, and the admin's link counts."""

from django import template

from .. import linkcheck, proxies
from ..models import City, ProblemReport

register = template.Library()


@register.filter
def original_url(url):
    """The city's own page behind a translation-proxy URL, or "" for any other URL."""
    return proxies.original_url(url or "") or ""


@register.inclusion_tag("admin/directory/link_health.html")
def link_health_dashboard():
    """Counts of broken, redirected and unchecked links, stale cities and open reports."""
    return {
        "health": linkcheck.link_health(),
        "stale_cities": City.objects.not_verified_since(days=365).count(),
        "open_reports": ProblemReport.objects.filter(closed_at__isnull=True).count(),
    }
