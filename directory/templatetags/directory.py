"""Template helpers of the public pages: a link's domain, addresses that wrap, JSON-LD blocks."""

import re
from urllib.parse import urlsplit

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .. import addresses, classes, proxies
from ..json_ld import json_ld_script
from ..models import NationalHelp

register = template.Library()


@register.filter
def domain(url):
    """The site a link goes to, without "www.", e.g. "city.koriyama.lg.jp"; for a translation
    proxy's link, the site it translates, which is the one visitors know."""
    host = urlsplit(proxies.original_url(url) or url).hostname or ""
    return host.removeprefix("www.")


@register.filter
def wrappable(address):
    """An e-mail address or host that may wrap before its "@" and each ".", not mid-word.

    A phone is narrower than many city addresses; without these breaks the browser splits one
    wherever the line ends ("city.koriyam" / "a.lg.jp").
    """
    # Escaped first, and an entity holds neither "@" nor ".", so only <wbr> is markup.
    return mark_safe(re.sub(r"(?=[@.])", "<wbr>", escape(address)))  # noqa: S308


# Functions of the directory's own modules, registered as they are.
register.simple_tag(json_ld_script, name="json_ld")
register.simple_tag(classes.facts, name="class_facts")
register.filter("text_lang", classes.text_language)
register.filter("class_title", classes.title)
register.filter("numbers_unbroken", addresses.numbers_unbroken)


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


class _CaptureNode(template.Node):
    # The nodes inside stay the template's own: a {% block %} among them is still overridden.
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        # A NodeList renders safe text: escaped where it had to be.
        context[self.name] = self.nodelist.render(context)
        return ""


@register.tag
def capture(parser, token):
    """{% capture as name %}...{% endcapture %}: what is inside, rendered once, as a variable, so
    the page's title block is both its `<title>` and its OpenGraph title."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("usage: {% capture as name %}...{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return _CaptureNode(nodelist, bits[2])
