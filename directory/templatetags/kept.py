"""`{% kept "name" [value ...] %}…{% endkept %}`: a block made once per language and directory
version (and per value given, such as a city's pk) in each process."""

from django import template
from django.utils.translation import get_language

from ..pagecache.fragments import remembered

register = template.Library()


class KeptNode(template.Node):
    def __init__(self, name, values, nodelist):
        self.name = name
        self.values = values
        self.nodelist = nodelist

    def render(self, context):
        values = tuple(value.resolve(context) for value in self.values)
        parts = ("kept", self.origin.name, self.name, get_language(), *values)
        return remembered(parts, lambda: self.nodelist.render(context))


@register.tag
def kept(parser, token):
    """Keep the block's HTML in each process, for the page's language and directory version.

    Only for blocks that read nothing but the language, the directory and the values named
    after the block's name: the frame of every page (head, header, footer) costs a page that
    is not cached a third of its rendering, and a city's card a twentieth each.
    """
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('Usage: {% kept "name" [value ...] %}…{% endkept %}')
    values = [parser.compile_filter(bit) for bit in bits[2:]]
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(bits[1][1:-1], values, nodelist)
