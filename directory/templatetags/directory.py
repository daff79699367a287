"""Template helpers of the public pages: a link's domain, and JSON-LD blocks."""

from urllib.parse import urlsplit

from django import template

from ..json_ld import json_ld_script

register = template.Library()


@register.filter
def domain(url):
    """The site a link goes to, without "www.", e.g. "city.koriyama.lg.jp"."""
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


@register.simple_tag
def json_ld(data):
    """Render schema.org data as a `<script type="application/ld+json">` block."""
    return json_ld_script(data)
