"""Template helpers of the public pages: a link's domain, addresses that wrap, JSON-LD blocks."""

import re
from urllib.parse import urlsplit

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .. import classes
from ..json_ld import json_ld_script
from ..models import NationalHelp

register = template.Library()


@register.filter
def domain(url):
    """The site a link goes to, without "www.", e.g. "city.koriyama.lg.jp"."""
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


@register.filter
def wrappable(address):
    """An e-mail address or host that may wrap before its "@" and each ".", not mid-word.

    A phone is narrower than many city addresses; without these breaks the browser splits one
    wherever the line ends ("city.koriyam" / "a.lg.jp").
    """
    # Escaped first, and an entity holds neither "@" nor ".", so only <wbr> is markup.
    return mark_safe(re.sub(r"(?=[@.])", "<wbr>", escape(address)))  # noqa: S308


@register.simple_tag
def json_ld(data):
    """Render schema.org data as a `<script type="application/ld+json">` block."""
    return json_ld_script(data)


@register.simple_tag
def class_facts(link):
    """A class's known details for its card (see `directory.classes.facts`)."""
    return classes.facts(link)


@register.filter
def text_lang(text):
    """The `lang` staff text needs on a page in another language: "ja" or ""."""
    return classes.text_language(text)


@register.filter
def class_title(link):
    """The name on a class's button."""
    return classes.title(link)


@register.simple_tag
def national_help():
    """The national services for foreign residents staff keep, in their order."""
    return list(NationalHelp.objects.all())


@register.simple_tag
def listed_cities(prefecture, but=None):
    """A prefecture's listed cities, but the page's own city."""
    cities = prefecture.cities.all()
    if getattr(but, "pk", None):
        cities = cities.exclude(pk=but.pk)
    return list(cities)
