"""The results page's filters: the select written out in Python reads as Django's own."""

from html.parser import HTMLParser

import pytest
from django import forms

from directory.filters import CityFilter, PlainSelect


def tags(html):
    """The elements as a browser reads them: tag, attributes in any order, and text."""
    read = []

    class Reader(HTMLParser):
        def handle_starttag(self, tag, attrs):
            read.append((tag, sorted(attrs, key=lambda a: a[0])))

        def handle_data(self, data):
            if data.strip():
                read.append(data.strip())

    Reader().feed(html)
    return read


@pytest.mark.parametrize("query", [{}, {"region": "kinki", "prefecture": "27"}, {"region": "<x>"}])
def test_the_plain_select_writes_the_same_html_as_djangos(db, query):
    form = CityFilter(query).form
    for name in ("region", "prefecture"):
        field = form.fields[name]
        assert isinstance(field.widget, PlainSelect)
        plain = str(form[name])
        field.widget = forms.Select(choices=field.widget.choices)
        assert tags(plain) == tags(str(form[name])), name
    assert ('<option value="27" selected>' in plain) == bool(query.get("prefecture"))
