"""Template helpers for links: a tel: link, the page a translation proxy wraps, and the admin's
link counts."""

from django import template

from .. import linkcheck, phones, proxies
from ..models import City, ClassLink, Department, ProblemReport
from ..roles import edits_every_city

register = template.Library()


@register.filter
def tel_uri(text):
    """The tel: link of a number as staff wrote it, or "" when it is not one number in Japan."""
    return phones.tel_uri_of(text or "")


@register.filter
def original_url(url):
    """The city's own page behind a translation-proxy URL, or "" for any other URL."""
    return proxies.original_url(url or "") or ""


@register.inclusion_tag("admin/directory/link_health.html", takes_context=True)
def link_health_dashboard(context):
    """Counts of broken, redirected and unchecked links, stale cities and open reports, of the
    records the signed-in user may change; a city editor's cities, listed."""
    user = context["request"].user
    cities = City.objects.editable_by(user)
    return {
        "own_cities": None if edits_every_city(user) else [(city, str(city)) for city in cities],
        "health": linkcheck.link_health(
            Department.objects.editable_by(user), ClassLink.objects.editable_by(user)
        ),
        "stale_cities": cities.not_verified_since(days=365).count(),
        "open_reports": ProblemReport.objects.editable_by(user)
        .filter(closed_at__isnull=True)
        .count(),
    }
