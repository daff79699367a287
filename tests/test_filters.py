"""The results page's filters: the widgets written out in Python read as Django's own."""

from html.parser import HTMLParser

import pytest
from django import forms

from directory.filters import CityFilter, PlainCheckboxInput, PlainSelect, PlainTextInput
from directory.models import Prefecture


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


@pytest.mark.parametrize(
    "query", [{}, {"q": "Kōriyama", "classes": "on"}, {"q": '"><script>x</script>'}]
)
def test_the_plain_inputs_write_the_same_html_as_djangos(db, query):
    form = CityFilter(query).form
    for name, plain_class, django_class in [
        ("q", PlainTextInput, forms.TextInput),
        ("classes", PlainCheckboxInput, forms.CheckboxInput),
    ]:
        field = form.fields[name]
        assert isinstance(field.widget, plain_class)
        plain = str(form[name])
        field.widget = django_class(attrs={**field.widget.attrs, "type": field.widget.input_type})
        assert tags(plain) == tags(str(form[name])), name
    assert "<script>" not in plain


def test_a_renamed_prefecture_is_in_the_next_form_rendered(db):
    before = str(CityFilter({}).form["prefecture"])
    assert ">Fukushima</option>" in before
    fukushima = Prefecture.objects.get(code="07")
    fukushima.name = "Fukushima-ken"
    fukushima.save()  # as the admin saves it
    after = str(CityFilter({}).form["prefecture"])
    assert ">Fukushima-ken</option>" in after
