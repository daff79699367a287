"""The directory: prefectures, the cities listed in them, their desks and Japanese classes."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .validators import validate_local_government_code, validate_web_url


class Region(models.TextChoices):
    HOKKAIDO = "hokkaido", _("Hokkaido")
    TOHOKU = "tohoku", _("Tohoku")
    KANTO = "kanto", _("Kanto")
    CHUBU = "chubu", _("Chubu")
    KINKI = "kinki", _("Kinki")
    CHUGOKU = "chugoku", _("Chugoku")
    SHIKOKU = "shikoku", _("Shikoku")
    KYUSHU_OKINAWA = "kyushu-okinawa", _("Kyushu-Okinawa")


class WebURLField(models.URLField):
    """A URL field that takes only http and https and has room for long proxy URLs."""

    default_validators = [validate_web_url]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 500)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        # Keep "https://" out of the form's guesswork: staff paste whole addresses.
        kwargs.setdefault("assume_scheme", "https")
        return super().formfield(**kwargs)


class PrefectureQuerySet(models.QuerySet):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Prefecture(models.Model):
    code = models.CharField(
        _("code"), max_length=2, unique=True, help_text=_('JIS X 0401 code, "01" to "47".')
    )
    name = models.CharField(_("name"), max_length=50, unique=True)
    name_ja = models.CharField(_("Japanese name"), max_length=10)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)

    objects = PrefectureQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("prefecture")
        verbose_name_plural = _("prefectures")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("directory:prefecture-detail", kwargs={"code": self.code})

    def natural_key(self):
        return (self.code,)


class CityQuerySet(models.QuerySet):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class City(models.Model):
    prefecture = models.ForeignKey(
        Prefecture, models.PROTECT, related_name="cities", verbose_name=_("prefecture")
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("As the association publishes it.")
    )
    name_ja = models.CharField(_("Japanese name"), max_length=50)
    name_kana = models.CharField(
        _("reading"), max_length=100, help_text=_("Hiragana reading of the Japanese name.")
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
        help_text=_("The association's number; empty for a city listed in a footnote."),
    )
    note = models.TextField(_("note"), blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    objects = CityQuerySet.as_manager()

    class Meta:
        ordering = [models.F("number").asc(nulls_last=True), "code"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        constraints = [
            models.UniqueConstraint(
                fields=["prefecture", "name"], name="unique_city_per_prefecture"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("directory:city-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.code,)


class Department(models.Model):
    city = models.ForeignKey(
        City, models.CASCADE, related_name="departments", verbose_name=_("city")
    )
    name = models.CharField(_("name"), max_length=300)
    url = WebURLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["city", "position", "pk"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["city", "name"], name="unique_department_per_city"),
        ]

    def __str__(self):
        return self.name


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
        _("provider"), max_length=200, blank=True, help_text=_("Who runs the class, if published.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["city", "position", "pk"]
        verbose_name = _("Japanese class link")
        verbose_name_plural = _("Japanese class links")
        constraints = [
            models.UniqueConstraint(fields=["city", "url"], name="unique_class_link_per_city"),
        ]

    def __str__(self):
        return self.label or self.url
