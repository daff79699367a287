"""`{% kept "name" %}…{% endkept %}`: a block made once per language and directory version."""

from django import template
from django.utils.translation import get_language

from ..pagecache.fragments import remembered

register = template.Library()


class KeptNode(template.Node):
    def __init__(self, name, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        parts = ("kept", self.origin.name, self.name, get_language())
        return remembered(parts, lambda: self.nodelist.render(context))


@register.tag
def kept(parser, token):
    """Keep the block's HTML in each process, for the page's language and directory version.

    Only for blocks that read nothing but the language and the directory: the frame of every
    page (head, header, footer) costs a page that is not cached a third of its rendering.
    """
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('Usage: {% kept "name" %}…{% endkept %}')
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(bits[1][1:-1], nodelist)
