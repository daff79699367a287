"""Public pages of the directory: thin views over the QuerySets in `directory.models`."""

from itertools import groupby

from csp.utils import build_policy
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from . import desks, hours, hsds, json_ld, sources, spoken_languages
from .filters import QUERY_MAX_LENGTH, CityFilter, languages_spoken
from .folding import compact
from .importexport import exporting
from .models import (
    City,
    ClassLink,
    Department,
    DepartmentPhone,
    Municipality,
    Prefecture,
    Region,
)
from .places import page_for_postal_code, page_for_postal_code_in, postal_code
from .search import (
    as_typed,
    asks_for_classes,
    closest_prefecture,
    fewer_words,
    names_exactly,
    prefecture_named,
    terms,
    unglued,
)

# Unlisted places shown under a search's results: enough for a designated city and its wards.
PLACES_SHOWN = 12

# The spreadsheet and the program formats; TSV and XLSX stay with staff in the admin.
OPEN_DATA_FORMATS = ("csv", "json")


class HomeView(TemplateView):
    """One search box, and every prefecture by region with its number of listed cities."""

    template_name = "directory/home.html"

    def get_context_data(self, **kwargs):
        prefectures = Prefecture.objects.with_city_counts().order_by("code")
        return super().get_context_data(
            regions=regions_of(prefectures), speaks=page_language_spoken(), **kwargs
        )


def page_language_spoken():
    """(code, name) of the page's language when a desk or a running class speaks it, for a
    link to the cities where they do; None for Japanese, which every desk speaks."""
    code = spoken_languages.babel_locale().language
    if code == "ja":
        return None
    return next((choice for choice in languages_spoken() if choice[0] == code), None)


def regions_of(prefectures):
    """[(region label, [prefectures])], regions in their north-to-south order."""
    order = {value: index for index, value in enumerate(Region.values)}
    ordered = sorted(prefectures, key=lambda p: (order[p.region], p.code))
    return [
        (Region(region).label, list(group))
        for region, group in groupby(ordered, key=lambda p: p.region)
    ]


class AboutView(TemplateView):
    """Who keeps the directory, where its data comes from and how old it is, the open data's
    licence, and what the report form keeps."""

    template_name = "directory/about.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            table_load=sources.table_load(),
            association_ja=sources.ASSOCIATION_JA,
            postal_data_version=sources.postal_data_version(),
            licence=settings.OPEN_DATA_LICENCE,
            reports_per_hour=settings.PROBLEM_REPORTS_PER_HOUR,
            **kwargs,
        )


class NearestPage:
    """A paginated public page's `?page=`: one that does not exist (an old shared link to a
    list that has since shrunk, a mistyped number) shows the last page, or the first for what
    is no number (Django's `Paginator.get_page`), rather than "page not found"; "last" is the
    last page, as Django's ListView has it."""

    def page_of(self, paginator):
        asked = self.request.GET.get("page")
        page = paginator.get_page(paginator.num_pages if asked == "last" else asked)
        # Shown at an address not its own: kept out of search engines as a duplicate, and out
        # of the page cache, which would otherwise keep one copy per made-up number.
        self.not_its_address = asked is not None and asked != str(page.number)
        return page

    def paginate_queryset(self, queryset, page_size):
        """ListView's pagination, with `page_of` in place of its 404."""
        paginator = self.get_paginator(
            queryset,
            page_size,
            orphans=self.get_paginate_orphans(),
            allow_empty_first_page=self.get_allow_empty(),
        )
        page = self.page_of(paginator)
        return (paginator, page, page.object_list, page.has_other_pages())

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if getattr(self, "not_its_address", False):
            response.headers["X-Robots-Tag"] = "noindex"
            patch_cache_control(response, private=True)
        return response


class CitySearchView(NearestPage, FilterView):
    """Results: free text and filters, all in the URL, paginated."""

    filterset_class = CityFilter
    template_name = "directory/search.html"
    context_object_name = "cities"
    paginate_by = 20
    # An unknown prefecture or region in the URL shows the form's error, not every city.
    strict = True

    def get(self, request, *args, **kwargs):
        self.unknown_postal_code = None
        self.straight_to = None
        self.unspoken = None
        query = request.GET.get("q", "")
        # A language named is chosen in the filter when a desk or a class speaks it; else it is
        # said that none does (`get_filterset_kwargs`). The other words are read as below.
        if (named := self.language_named(request)) is not None:
            offered = {code for code, _name in languages_spoken()}
            spoken = spoken_languages.named_in(query, among=offered)
            if spoken is not None:
                return redirect(self.speaking(request, *spoken))
            self.unspoken, query = named, named[1]
        # A postal code leads straight to its place: the listed city, or the place's own page.
        digits = postal_code(query)
        if digits:
            page = page_for_postal_code(digits)
            if page is not None:
                return redirect(page)
            self.unknown_postal_code = f"{digits[:3]}-{digits[3:]}"
        # Beside its prefecture or place's name ("639-1100 Nara"), as an address gives it.
        elif (page := page_for_postal_code_in(query)) is not None:
            return redirect(page)
        response = super().get(request, *args, **kwargs)
        # Set while the context was made: the query named one listed city and nothing else.
        return redirect(self.straight_to) if self.straight_to is not None else response

    def language_named(self, request):
        """(code, the other words) of the language the query names ("Vietnamese Toyama"), when
        no language is chosen in the filter; else None."""
        query = request.GET.get("q", "")
        # A longer query is refused by the form (`QUERY_MAX_LENGTH`).
        if request.GET.get("speaks") or len(query) > QUERY_MAX_LENGTH:
            return None
        return spoken_languages.named_in(query)

    def speaking(self, request, code, words):
        """The address of the same search with the language `code` chosen in the filter and
        its name out of the words: Toyama, speaking Vietnamese."""
        params = request.GET.copy()
        params["speaks"], params["q"] = code, words
        params.pop("page", None)
        return f"{request.path}?{params.urlencode()}"

    def get_filterset_kwargs(self, filterset_class):
        # A language no desk or class speaks is said so, and the other words are searched, as
        # they are beside one that is spoken: "tiếng Việt" ticks no class box for its "tiếng".
        kwargs = super().get_filterset_kwargs(filterset_class)
        if self.unspoken is not None:
            kwargs["data"] = kwargs["data"].copy()
            kwargs["data"]["q"] = self.unspoken[1]
        return kwargs

    def get_queryset(self):
        # Each card names the city's prefecture and counts its classes that have not ended,
        # as of today: made per request, never once for the class. The prefectures come in a
        # query of their own: PostgreSQL guesses a search's LIKE finds one row, and joined to
        # them it then compared every city found with every prefecture.
        cities = City.objects.prefetch_related("prefecture").with_class_link_count()
        return cities.none() if self.only_a_language() else cities

    def only_a_language(self):
        """Whether the query names a language no desk or class speaks, and asks nothing else."""
        if self.unspoken is None:
            return False
        words = self.unspoken[1]
        return not (terms(words) or asks_for_classes(words))

    def get_paginator(self, queryset, per_page, **kwargs):
        """The results' pages; when no city or place holds every word of the query, those of
        the same search with fewer words (`fewer_words`), if that finds something."""
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        query = self.filterset.data.get("q", "")
        self.searched, self.left_out, self.named_each = query, [], False
        # Made before the page is, so that page 2 of the fewer words' results is theirs.
        self.found_places = self.places(query) if self.asked(query) else []
        if paginator.count or self.found_places or not self.asked(query):
            return paginator
        # A name with a particle written onto it ("豊橋の", "टोयोहासीमा"): the name.
        if (read := unglued(query)) is not None:
            found = super().get_paginator(self.filterset.searching(read).qs, per_page, **kwargs)
            places = self.places(read)
            if found.count or places:
                self.searched, self.found_places = read, places
                return found
        ticked = self.filterset.form.cleaned_data.get("classes")
        for fewer, names_a_city, unknown in fewer_words(query):
            # No word left lists every city: only worth it when the query's class words ask
            # for classes ("日本語教室 夜").
            if not fewer and not (ticked and self.filterset.classes_for_words):
                continue
            searched = " ".join(fewer)
            found = super().get_paginator(self.filterset.searching(searched).qs, per_page, **kwargs)
            if names_a_city and not found.count:
                # Each word left a listed city's name: "Koriyama Iwaki" of "Koriyama Iwaki
                # evening", as the query's words are below.
                each = self.filterset.searching("").qs.named_each(searched)
                found = super().get_paginator(each, per_page, **kwargs)
                self.named_each = bool(found.count)
            places = self.places(searched) if fewer else []
            if found.count or places:
                left_out = [word for word in terms(query) if word not in fewer]
                # A misspelt name is better answered by "Did you mean ...?" alone; beside a
                # listed city named whole, only a listed city's ("Koriyama Hakodatte"): a
                # district's name close to a place's ("Motomachi" to Oto, 大任町) is left out.
                # A word a city or place bears whole ("Section") is spelt right.
                close = City.objects.similar_to if names_a_city else misspelt
                if any(close(word) for word in unknown):
                    return paginator
                self.searched, self.left_out, self.found_places = searched, left_out, places
                return found
        # Each word a listed city's name: a visitor asking about each one, as filtered.
        each = self.filterset.searching("").qs.named_each(query)
        found = super().get_paginator(each, per_page, **kwargs)
        self.named_each = bool(found.count)
        return found if found.count else paginator

    def asked(self, query):
        """Whether the query has words to search by (not a postal code, nor only punctuation)."""
        valid = self.filterset.form.is_valid() and not self.unknown_postal_code
        return bool(query.strip()) and valid and bool(terms(query))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        typed = self.filterset.data.get("q", "")
        # The query searched: the one typed, or fewer of its words (`get_paginator`).
        query = self.searched
        asked = self.asked(query)
        cities = list(context["cities"])
        places = self.found_places
        count = context["paginator"].count if context.get("paginator") else len(cities)
        # Not past what the page says of a language named that no one speaks.
        straight = not self.left_out and not self.unspoken and "page" not in self.request.GET
        if asked and count == 1 and straight:
            self.straight_to = the_city_named(query, cities[0], places)
        suggestions, suggested_prefecture, unlisted_prefecture = [], None, None
        # A place the query names ("Yamato-Koriyama") is the answer: no city or prefecture
        # close to one of its words ("Koriyama", "Nara") is offered over it.
        named_place = any(names_exactly(place, query) for place in places)
        # Cities the words find but the filters leave out are named as such, not as misspelt.
        nothing = not cities and not places
        filtered_out = self.filterset.found_without_filters() if asked and nothing else []
        if asked and not cities and not named_place and not filtered_out:
            # No listed city as typed: offer the closest listed cities ("Toyohshi" also finds
            # places, 人吉市...); with no place either, the closest places. A misspelt
            # prefecture ("Fukouka") is offered as the prefecture; one named as it is, with no
            # listed city ("Mie", 宮城県), is told so, not to check its spelling.
            suggestions = City.objects.similar_to(query)
            unlisted_prefecture = prefecture_without_cities(query)
            if unlisted_prefecture is None:
                suggested_prefecture = closest_prefecture(query)
            if not suggestions and not places:
                suggestions = Municipality.objects.unlisted().similar_to(query)
        context.update(
            filtered_out=filtered_out,
            unspoken_language=self.unspoken and spoken_languages.name_in(self.unspoken[0]),
            only_a_language=self.only_a_language(),
            left_out=as_typed(typed, self.left_out),
            places=places,
            suggestions=suggestions,
            suggested_prefecture=suggested_prefecture,
            unlisted_prefecture=unlisted_prefecture,
            unknown_postal_code=self.unknown_postal_code,
            **(namesake_of(query, cities, places) if asked and cities else {}),
        )
        # A prefecture's name lists its cities: the first one's desk is no answer to it, and
        # would read as the prefecture's.
        only_a_prefecture = asked and bool(cities) and not names_exactly(cities[0], query)
        only_a_prefecture = only_a_prefecture and prefecture_named(query) is not None
        # Nor is it the answer to an unlisted place's name ("Kori" is 桑折町, not Koriyama).
        another_place = named_place and not (cities and names_exactly(cities[0], query))
        # An empty query string leaves the form unbound, with no cleaned data.
        speaks = getattr(self.filterset.form, "cleaned_data", {}).get("speaks")
        shown = not (only_a_prefecture or another_place)
        # Cities named one by one ("Koriyama Iwaki", `named_each`) are each asked about: each
        # card shows its desk; otherwise only the first does.
        contacts = [None] * len(cities)
        if self.named_each:
            contacts = [first_desk([city], speaks) for city in cities]
        elif cities and shown:
            contacts[0] = first_desk(cities, speaks)
        context["first_desk"] = contacts[0] if contacts else None
        context["cards"] = list(zip(cities, contacts, strict=True))
        # Not for a class box the query's own words ticked over words that find nothing.
        context["without_filters"] = nothing and self.filterset.offers_search_without_filters()
        return context

    def places(self, query):
        """Unlisted places named by the query, in the prefecture or region asked for."""
        form = self.filterset.form
        places = Municipality.objects.unlisted().search(query).select_related("prefecture")
        if form.cleaned_data.get("prefecture"):
            places = places.filter(prefecture=form.cleaned_data["prefecture"])
        if form.cleaned_data.get("region"):
            places = places.filter(prefecture__region=form.cleaned_data["region"])
        return list(places[:PLACES_SHOWN])


def misspelt(word):
    """Whether a folded word comes close to a listed city's, a place's or a prefecture's name."""
    return bool(
        City.objects.similar_to(word)
        or closest_prefecture(word)
        or Municipality.objects.unlisted().similar_to(word)
    )


def prefecture_without_cities(query):
    """The prefecture the query names and nothing more, when no city of it is listed; else None."""
    fields = prefecture_named(query)
    if fields is None or City.objects.filter(prefecture__code=fields["code"]).exists():
        return None
    return Prefecture.objects.get(code=fields["code"])


def first_desk(cities, speaks=None):
    """The first result's first desk, with its phones, for its card: how to reach it without
    opening the city's page; the first that speaks the language `speaks`, if one does; None
    without results."""
    first = next(iter(cities or ()), None)
    if first is None:
        return None
    # One query, with its first phone, so a search costs the same with or without results.
    desks = Department.objects.filter(city=first).with_first_phone().order_by("position", "pk")
    desk = (speaks and desks.speaking(speaks).first()) or desks.first()
    if desk is not None:
        desk.first_phone = DepartmentPhone.first_of(desk)
    return desk


def the_city_named(query, city, places):
    """The one city found, when the query is its name and no unlisted place bears that name."""
    if not names_exactly(city, query):
        return None
    wanted = "".join(terms(query))
    if any(wanted in {compact(place.name), compact(place.name_ja)} for place in places):
        return None
    return city


def namesake_of(query, cities, places):
    """When the query named only a prefecture and no listed city bears its name: that
    prefecture, for the page to say so over its listed cities, and the unlisted city of that
    name (Hiroshima City), whose page says where to ask."""
    fields = prefecture_named(query)
    if fields is None or any(names_exactly(city, query) for city in cities):
        return {}
    prefecture = next((c.prefecture for c in cities if c.prefecture.code == fields["code"]), None)
    if prefecture is None:
        return {}
    stem = compact(fields["name_ja"])[:-1] if fields["code"] != "01" else None
    namesake = next(
        (
            place
            for place in places
            if place.prefecture_id == prefecture.pk
            and place.kind in ("city", "designated-city")
            and compact(place.name_ja) == f"{stem}市"
        ),
        None,
    )
    return {"namesake_prefecture": prefecture, "namesake": namesake}


class CityDetailView(DetailView):
    """A city's desks, each with how to reach it, its hours and languages, and its classes."""

    template_name = "directory/city_detail.html"

    def get_queryset(self):
        desks_in_order = Department.objects.with_details().order_by("position", "pk")
        # Classes that have not ended first, each group in staff's order.
        classes_in_order = ClassLink.objects.with_ended().order_by("ended", "position", "pk")
        return (
            City.objects.with_table_load()
            .select_related("prefecture")
            .prefetch_related(
                Prefetch("departments", queryset=desks_in_order),
                Prefetch("class_links", queryset=classes_in_order),
            )
        )

    def get_context_data(self, **kwargs):
        city = self.object
        links = list(city.class_links.all())
        now = hours.tokyo_now()
        departments = [
            (
                department,
                [link for link in links if link.department_id == department.pk],
                desk_details(department, now),
            )
            for department in city.departments.all()
        ]
        statuses = [details["open_state"] for *_, details in departments if details["open_state"]]
        self.holds_for = desks.seconds_unchanged(statuses, now)
        return super().get_context_data(
            departments=departments,
            unattached_links=[link for link in links if link.department_id is None],
            # Without one, the page says where to ask instead, as when none is listed.
            has_running_class=any(not link.ended for link in links),
            json_ld=json_ld.city_json_ld(city, self.request),
            association_ja=sources.ASSOCIATION_JA,
            **kwargs,
        )

    def render_to_response(self, context, **response_kwargs):
        """The page, saying how long it holds: the page cache keeps it no longer (`page_cache`)."""
        response = super().render_to_response(context, **response_kwargs)
        if self.holds_for is not None:
            patch_cache_control(response, max_age=min(self.holds_for, settings.PAGE_CACHE_SECONDS))
        return response


def desk_details(department, now):
    """What the desk's card shows beyond its fields: hours, open now (`open_state`, worded as
    `status`), languages, by name."""
    periods = [opening.period for opening in department.hours.all()]
    state = hours.status(periods, now) if periods else None
    return {
        "hours": desks.hours_rows(periods),
        "open_state": state,
        "status": desks.status_line(state, now) if state else None,
        "languages": desks.languages(department.languages),
    }


class StaffCardView(DetailView):
    """A desk's card to show at its counter: in Japanese, in large type, with one sentence the
    visitor picks, and the sentence in the visitor's language below."""

    template_name = "directory/staff_card.html"
    context_object_name = "department"

    def get_queryset(self):
        return Department.objects.filter(city__slug=self.kwargs["slug"]).select_related("city")

    def get_context_data(self, **kwargs):
        # ?say= picks the sentence shown first; the others wait on the page for a tap.
        key = self.request.GET.get("say")
        key = key if key in desks.SENTENCES else next(iter(desks.SENTENCES))
        choices = [(choice, str(text)) for choice, text in desks.SENTENCES.items()]
        return super().get_context_data(
            said=key,
            to_staff_ja=desks.in_japanese(desks.TO_STAFF),
            sentences=desks.card_sentences(),
            visitor_language=desks.visitor_language(),
            choices=choices,
            phones=[
                (phone.national, desks.extension_in_japanese(phone.extension))
                for phone in self.object.phones.all()
            ],
            **kwargs,
        )


class PlaceDetailView(DetailView):
    """A place the directory lists no desk for: who to ask instead. A listed city's code leads
    to that city's page."""

    template_name = "directory/place_detail.html"
    slug_field = slug_url_kwarg = "code"
    context_object_name = "place"
    queryset = Municipality.objects.select_related("prefecture", "parent")

    def get(self, request, *args, **kwargs):
        listed = City.objects.filter(code=kwargs["code"]).first()
        if listed is not None:
            return redirect(listed)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(wards=self.object.wards.order_by("code"), **kwargs)


class PrefectureDetailView(NearestPage, DetailView):
    """A prefecture's listed cities; with none, the same region's prefectures that have some."""

    template_name = "directory/prefecture_detail.html"
    slug_field = slug_url_kwarg = "code"
    queryset = Prefecture.objects.all()

    paginate_by = CitySearchView.paginate_by

    def get_context_data(self, **kwargs):
        prefecture = self.object
        page = self.page_of(Paginator(prefecture.cities.with_class_link_count(), self.paginate_by))
        cities = list(page.object_list)
        neighbours = []
        if not cities:
            neighbours = (
                Prefecture.objects.with_city_counts()
                .filter(region=prefecture.region, city_count__gt=0)
                .order_by("code")
            )
        return super().get_context_data(
            cities=cities, page_obj=page, neighbours=neighbours, **kwargs
        )


def open_data_download(request, kind, fmt):
    """Every record of one kind, in the columns and code of the admin's export."""
    if kind not in exporting.RESOURCES or fmt not in OPEN_DATA_FORMATS:
        raise Http404("No such download.")
    response = HttpResponse(exporting.export(kind, fmt), content_type=exporting.CONTENT_TYPES[fmt])
    disposition = "attachment" if fmt == "csv" else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="madoguchi-{kind}.{fmt}"'
    return response


def hsds_download(request):
    """The whole directory as Open Referral HSDS 3.0 JSON (`directory.hsds`)."""
    response = JsonResponse(hsds.document(), json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = 'inline; filename="madoguchi-hsds.json"'
    return response


def bad_request(request, exception):
    """Django's 400 as a page in the visitor's language: a request the site refuses to read (a
    NUL character, an unknown host) is refused before LocaleMiddleware has chosen a language."""
    # Django's own 400 view renders its template without the request, so no page could extend
    # base.html; the language comes from the address, else the cookie or the browser.
    language = translation.get_language_from_request(request, check_path=True)
    # At an address not the site's (an old name, its IP address) this page's links and search
    # would be refused again: it points to the site's own address instead.
    wrong_host = isinstance(exception, DisallowedHost)
    with translation.override(language):
        site_address = settings.SITE_URL + reverse("directory:home")
        context = {"wrong_host": wrong_host, "site_address": site_address}
        response = render(request, "400.html", context, status=400)
    # Refused before CSPMiddleware ran, so the page takes the site's policy here (not framed,
    # nothing but our own files).
    response.headers["Content-Security-Policy"] = build_policy()
    return response


def not_found(request, exception):
    """Django's 404 for the public site, its search box holding the name in a city's address
    ("/cities/hamamatsu/": hamamatsu), so a visitor with a broken link is a tap from it."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    slug = match.kwargs.get("slug") if match and match.namespace == "directory" else None
    words = slug.replace("-", " ") if slug else ""
    return render(request, "404.html", {"q": words}, status=404)
