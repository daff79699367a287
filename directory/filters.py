"""The filters of the results page: free text, region, prefecture, a language spoken, and "has
Japanese classes"."""

import json

import django_filters
from django import forms
from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from .desks import languages
from .models import City, ClassLink, Department, Prefecture, Region
from .search import asks_for_classes
from .spoken_languages import as_one
from .templatetags.languages import place_name, place_name_text

# Longer than any name or address a visitor types; a longer query would only make the search's
# SQL deeper than SQLite allows and the guesses at misspellings slow.
QUERY_MAX_LENGTH = 100


class PrefectureField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        # Named as the page names it elsewhere, not as the admin does (`read_as`); in Easy
        # Japanese with its reading after it, as an <option> holds no ruby: 宮城県（みやぎけん）.
        name = place_name_text(obj)
        if translation.get_language() == "ja-easy" and obj.name_kana:
            return f"{name}（{obj.name_kana}）"
        return name


class PrefectureFilter(django_filters.ModelChoiceFilter):
    field_class = PrefectureField


def languages_spoken():
    """Every language a desk speaks or a class that has not ended gives support in, as choices
    named in the page's language and in their own ("Vietnamese · Tiếng Việt"), by name."""
    # Each list as its JSON text: one query for both.
    desks = Department.objects.exclude(languages=[]).order_by()
    classes = ClassLink.objects.running().exclude(languages=[]).order_by()
    lists = desks.values_list(Cast("languages", CharField())).union(
        classes.values_list(Cast("languages", CharField()))
    )
    codes = set()
    for (text,) in lists:
        codes.update(json.loads(text))
    codes = {as_one(code) for code in codes}
    named = [(code, f"{name} · {own}" if own else name) for code, name, own in languages(codes)]
    return sorted(named, key=lambda choice: choice[1].casefold())


class CityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("City, prefecture or office"),
        method="filter_text",
        max_length=QUERY_MAX_LENGTH,
        # Our words, not Django's: Django has none in Filipino or Burmese.
        error_messages={"max_length": _("Type no more than %(limit_value)d characters.")},
        # The hint under the box (directory/_search_hint.html) is read with it.
        widget=forms.SearchInput(attrs={"autocomplete": "off", "aria-describedby": "search-hint"}),
    )
    region = django_filters.ChoiceFilter(
        label=_("Region"),
        field_name="prefecture__region",
        choices=Region.choices,
        empty_label=_("All regions"),
    )
    prefecture = PrefectureFilter(
        label=_("Prefecture"),
        queryset=Prefecture.objects.all(),
        to_field_name="code",
        empty_label=_("All prefectures"),
    )
    speaks = django_filters.ChoiceFilter(
        label=_("Languages spoken"),
        method="filter_speaks",
        empty_label=_("Any language"),
    )
    classes = django_filters.BooleanFilter(
        label=_("Has Japanese class links"),
        method="filter_classes",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = City
        fields = ["q", "region", "prefecture", "speaks", "classes"]

    def __init__(self, data=None, *args, **kwargs):
        # "Japanese class Osaka" asks for classes: tick the box, so the form shows why the
        # results are fewer and the visitor can see the filter that narrowed them. Only when
        # the request does not say: the results page's form sends "classes=" for a box its
        # visitor unticked.
        self.classes_for_words = (
            data is not None and "classes" not in data and asks_for_classes(data.get("q"))
        )
        if self.classes_for_words:
            data = data.copy()
            data["classes"] = "on"
        super().__init__(data, *args, **kwargs)
        # Asked for only when the form is shown or a language chosen, once per request.
        self.filters["speaks"].extra["choices"] = lambda: self.languages_offered

    @cached_property
    def languages_offered(self):
        """The languages a visitor may choose (`languages_spoken`); none, and the filter is not
        shown, until staff enter a desk's or a class's."""
        return languages_spoken()

    def searching(self, query):
        """The same search and filters for another query: the class box stays as this one's."""
        data = self.data.copy()
        data["q"] = query
        return type(self)(data, queryset=self.queryset, request=self.request)

    def narrowed(self):
        """Whether a region, a prefecture, a language or the class box (ticked by the visitor,
        or for the query's class words) narrows the search: the form then shows its filters
        unfolded."""
        form = self.form
        return form.is_bound and any(
            form[name].value() for name in ("region", "prefecture", "speaks", "classes")
        )

    def offers_search_without_filters(self):
        """Whether a search that found nothing should offer to search again without filters:
        when the visitor chose one, or the class box the query's class words ticked left out
        the cities its words find ("Japanese class Morioka"; Morioka lists no class)."""
        form = self.form
        if not self.narrowed():
            return False
        chosen = (form[name].value() for name in ("region", "prefecture", "speaks"))
        if any(chosen) or not self.classes_for_words:
            return True
        # Without that box, the same words would find nothing again.
        return bool(self.found_without_filters(limit=1))

    def found_without_filters(self, limit=3):
        """The first cities the query's words find with no filter, for a search the filters
        narrowed to none ("Japanese class Morioka": Morioka, which lists no class)."""
        if not self.narrowed() or not self.form.is_valid() or not self.form.cleaned_data["q"]:
            return []
        return list(self.queryset.search(self.form.cleaned_data["q"])[:limit])

    def described(self):
        """What was searched, as (label, value) pairs, for the page that found nothing."""
        form = self.form
        if not form.is_bound or not form.is_valid():
            return []
        data = form.cleaned_data
        described = []
        if data.get("q"):
            # Each language's own quotation marks: 「郡山」 in Japanese.
            quoted = pgettext("quoted search words", "“%(words)s”") % {"words": data["q"]}
            described.append((form["q"].label, quoted))
        if data.get("region"):
            described.append((form["region"].label, Region(data["region"]).label))
        if data.get("prefecture"):
            described.append((form["prefecture"].label, place_name(data["prefecture"])))
        if data.get("speaks"):
            named = dict(self.languages_offered)[data["speaks"]]
            described.append((form["speaks"].label, named))
        if data.get("classes"):
            described.append((_("Filter"), form["classes"].label))
        return described

    def filter_text(self, queryset, name, value):
        # The queryset given, not City.objects, so the other filters still apply.
        return queryset.search(value)

    def filter_speaks(self, queryset, name, value):
        return queryset.speaking(value)

    def filter_classes(self, queryset, name, value):
        # Unticked means "any city", not "cities without classes".
        return queryset.with_class_links() if value else queryset
