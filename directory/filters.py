"""The filters of the results page: free text, region, prefecture, and "has Japanese classes"."""

import copy

import django_filters
from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .models import City, Prefecture, Region


class PlainInput:
    """An input written out in Python, the same HTML as Django's template for it.

    Every search that is not cached renders the form again; Django's template per widget cost
    it more than the query.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        value = widget["value"]
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            widget["type"],
            widget["name"],
            format_html(' value="{}"', value) if value is not None else "",
            flatatt(widget["attrs"]),
        )


class PlainTextInput(PlainInput, forms.TextInput):
    pass


class PlainCheckboxInput(PlainInput, forms.CheckboxInput):
    pass


class PlainSelect(forms.Select):
    """A select written out in Python, the same HTML as Django's.

    Django's template per option cost a results page that is not cached a fifth of its time.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], " selected" if option["selected"] else "", option["label"])
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options
        )


class Shared:
    """A filter whose definition every search shares; each FilterSet gets a shallow copy.

    django-filter deep-copies every filter for each request, with its label, choices, widget
    and form field: 0.2 ms of the 1.6 ms an uncached search cost. Nothing of a filter
    changes per request but the FilterSet it belongs to, which `FilterSet.__init__` sets.
    """

    def __deepcopy__(self, memo):
        copied = copy.copy(self)
        # Anew, so the copy's `method` is looked up on the copy's FilterSet, not the original's.
        copied.method = self.method
        return copied


class TextFilter(Shared, django_filters.CharFilter):
    pass


class ChoiceFilter(Shared, django_filters.ChoiceFilter):
    pass


class ModelChoiceFilter(Shared, django_filters.ModelChoiceFilter):
    pass


class BooleanFilter(Shared, django_filters.BooleanFilter):
    pass


class SharedFields(dict):
    """A form's fields that every search shares; each form gets shallow copies.

    Django deep-copies a form's fields, widgets and choices for each form, so that a form may
    change its own; this one changes none. The prefectures' queryset is shared too: its
    choices are read with `iterator()` and a value with `get()`, neither of which caches rows.
    """

    def __deepcopy__(self, memo):
        return {name: copy.copy(field) for name, field in self.items()}


class CityFilter(django_filters.FilterSet):
    q = TextFilter(
        label=_("City, prefecture or office"),
        method="filter_text",
        widget=PlainTextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    region = ChoiceFilter(
        label=_("Region"),
        method="filter_region",
        choices=Region.choices,
        empty_label=_("All regions"),
        widget=PlainSelect,
    )
    prefecture = ModelChoiceFilter(
        label=_("Prefecture"),
        queryset=Prefecture.objects.all(),
        to_field_name="code",
        method="filter_prefecture",
        empty_label=_("All prefectures"),
        widget=PlainSelect,
    )
    classes = BooleanFilter(
        label=_("Has Japanese class links"),
        method="filter_classes",
        widget=PlainCheckboxInput,
    )

    class Meta:
        model = City
        fields = ["q", "region", "prefecture", "classes"]

    def get_form_class(self):
        # django-filter makes a form class, its fields and all, for every search; these fields
        # read nothing from the request, so one class serves every form.
        form_class = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            form_class.base_fields = SharedFields(form_class.base_fields)
            type(self)._form_class = form_class
        return form_class

    def described(self):
        """What was searched, as (label, value) pairs, for the page that found nothing."""
        form = self.form
        if not form.is_bound or not form.is_valid():
            return []
        data = form.cleaned_data
        described = []
        if data.get("q"):
            described.append((form["q"].label, f"“{data['q']}”"))
        if data.get("region"):
            described.append((form["region"].label, Region(data["region"]).label))
        if data.get("prefecture"):
            described.append((form["prefecture"].label, str(data["prefecture"])))
        if data.get("classes"):
            described.append((_("Filter"), form["classes"].label))
        return described

    def filter_queryset(self, queryset):
        # django-filter's, without its check that each filter returns a QuerySet: the results
        # page filters a `CityIndex`.
        for name, value in self.form.cleaned_data.items():
            queryset = self.filters[name].filter(queryset, value)
        return queryset

    # Each filter calls a method that both City's QuerySet and the in-memory `CityIndex` the
    # results page searches have, so one FilterSet serves either.
    def filter_text(self, queryset, name, value):
        # Filter the queryset given, not City.objects, so the other filters still apply.
        return queryset.search(value)

    def filter_region(self, queryset, name, value):
        return queryset.in_region(value)

    def filter_prefecture(self, queryset, name, value):
        return queryset.in_prefecture(value)

    def filter_classes(self, queryset, name, value):
        return queryset.with_class_links() if value else queryset
