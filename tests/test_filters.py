"""The results page's filters: the widgets written out in Python read as Django's own."""

from html.parser import HTMLParser

import pytest
from django import forms

from directory.filters import CityFilter, PlainCheckboxInput, PlainSelect, PlainTextInput
from directory.models import City, Prefecture
from directory.search import city_index


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


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": "fukushima"},
        {"q": "shi"},
        {"region": "tohoku"},
        {"prefecture": "07", "classes": "on"},
        {"q": "osaka", "region": "kinki", "classes": "on"},
        {"classes": "on"},
        {"q": "nothing-like-a-city"},
    ],
)
def test_the_results_page_finds_what_the_database_would(seed, query):
    in_sql = CityFilter(query, queryset=City.objects.all()).qs
    in_memory = CityFilter(query, queryset=city_index()).qs

    assert [city.name for city in in_memory] == [city.name for city in in_sql]


def test_the_index_reads_the_directory_again_after_a_change(seed):
    before = city_index()
    assert before is city_index()

    City.objects.get(name="City of Koriyama").delete()

    assert "City of Koriyama" not in [city.name for city in city_index()]
    assert len(city_index()) == len(before) - 1


def test_a_renamed_prefecture_is_in_the_next_form_rendered(db):
    before = str(CityFilter({}).form["prefecture"])
    assert ">Fukushima</option>" in before
    fukushima = Prefecture.objects.get(code="07")
    fukushima.name = "Fukushima-ken"
    fukushima.save()  # as the admin saves it
    after = str(CityFilter({}).form["prefecture"])
    assert ">Fukushima-ken</option>" in after
