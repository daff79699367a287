"""Small builders for tests: prefectures, the seed directory, and cities made to order."""

import csv
import io
from itertools import count
from pathlib import Path

from directory.importexport import importing
from directory.importexport.published_table import (
    COLUMNS,
    DEFAULT_PATH,
    prefecture_fixture,
)
from directory.models import City, ClassLink, Department, ImportLog, Prefecture
from directory.signals import bulk_write
from directory.validators import local_government_check_digit

_serial = count(1)


def load_prefectures():
    """Make sure all 47 prefectures exist (a flushed live-server database has none)."""
    # One refresh of the search keys at the end, as a load does, not one per prefecture.
    with bulk_write(sender=Prefecture):
        for fields in prefecture_fixture():
            Prefecture.objects.update_or_create(code=fields["code"], defaults=fields)


def load_seed(path=None):
    """Load the project's copy of the published table, as `make run` does (and as it does,
    recorded in the import log: staff edits made afterwards are kept by the next load)."""
    path = Path(path or DEFAULT_PATH)
    report = importing.run_import(
        "cities",
        path.read_bytes(),
        "published",
        dry_run=False,
        file_name=path.name,
        confirmed_removals=None,
        via=ImportLog.Via.COMMAND,
    )
    assert report.ok, [str(error) for error in report.errors]
    return report


def published_table_as_csv(text=None):
    """A published table as a spreadsheet saves it as CSV: every row padded to the table's width."""
    if text is None:
        text = DEFAULT_PATH.read_text(encoding="utf-8")
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    for line in text.splitlines():
        cells = line.split("\t")
        writer.writerow(cells + [""] * (len(COLUMNS) - len(cells)))
    return out.getvalue()


def valid_code(five_digits):
    """A local government code with its right check digit."""
    return five_digits + local_government_check_digit(five_digits)


def make_city(prefecture_code="13", name=None, **fields):
    """A city with valid, unique defaults; any field can be given."""
    serial = next(_serial)
    name = name or f"Testcity {serial}"
    defaults = {
        "prefecture": Prefecture.objects.get(code=prefecture_code),
        "name": name,
        "name_ja": f"試験{serial}市",
        "name_kana": "しけんし",
        "code": valid_code(f"{90000 + serial:05d}"),
        "slug": f"testcity-{serial}",
    }
    defaults.update(fields)
    return City.objects.create(**defaults)


def make_department(city, name=None, **fields):
    defaults = {"name": name or f"Department {next(_serial)}", "email": "desk@example.jp"}
    defaults.update(fields)
    return Department.objects.create(city=city, **defaults)


def make_class_link(city, url=None, **fields):
    defaults = {"url": url or f"https://example.jp/class/{next(_serial)}"}
    defaults.update(fields)
    return ClassLink.objects.create(city=city, **defaults)


def make_staff(username, group=None, cities=(), superuser=False):
    """A staff user in one of the role groups, assigned the given cities."""
    from django.contrib.auth.models import Group, User

    from directory.models import CityEditor
    from directory.roles import ensure_groups

    user = User.objects.create_user(
        username, password="correct horse battery", is_staff=True, is_superuser=superuser
    )
    if group:
        ensure_groups()
        user.groups.add(Group.objects.get(name=group))
    for city in cities:
        CityEditor.objects.create(user=user, city=city)
    return user


def make_app(user):
    """A confirmed authenticator app (django-otp TOTP device) for the user, as after enrolment."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from directory.twofactor import APP_DEVICE_NAME

    return TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=True)


def app_code(device, steps_ahead=0):
    """The code the device's app shows now, or `steps_ahead` time steps later, by django-otp's TOTP.

    A code is accepted once: a second sign-in within the same 30 seconds needs the next step's.
    """
    from django_otp.oath import totp

    t0 = device.t0 - steps_ahead * device.step
    code = totp(device.bin_key, device.step, t0, device.digits, device.drift)
    return f"{code:0{device.digits}d}"


def enter_app_code(page, device, steps_ahead=0):
    """In a browser on the sign-in code page, enter the app's code and go on."""
    page.get_by_label("Code").fill(app_code(device, steps_ahead))
    page.get_by_role("button", name="Verify").click()


def sign_in(client, user):
    """Sign a staff user in to the admin with Django's test client, as a full sign-in would:
    verified by their authenticator app (given one if they have none) when they must use it."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from directory.twofactor import requires_two_factor

    client.force_login(user)
    if requires_two_factor(user):
        device = TOTPDevice.objects.devices_for_user(user).first() or make_app(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def city_form(city, **changes):
    """The admin change form's fields for `city`, as a browser posts them (with no desks or
    class links in its inlines), with changes."""
    data = {
        "prefecture": city.prefecture_id,
        "name": city.name,
        "name_ja": city.name_ja,
        "name_kana": city.name_kana,
        "code": city.code,
        "number": city.number or "",
        "slug": city.slug,
        "note": city.note,
        "last_verified": "",
        **{
            f"{prefix}-{field}": "0"
            for prefix in ("departments", "class_links")
            for field in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }
    return {**data, **changes}


def department_form(department, **changes):
    """The admin change form's fields for `department`, as a browser posts them, with changes.

    Its phones and opening hours (the page's inlines) are posted as they stand."""

    def optional(value):
        return "" if value is None else str(value).lower()

    data = {
        "city": department.city_id,
        "name": department.name,
        "name_ja": department.name_ja,
        "url": department.url,
        "email": department.email,
        "postal_code": department.postal_code,
        "address_ja": department.address_ja,
        "address_romaji": department.address_romaji,
        "floor": department.floor,
        "hours_note": department.hours_note,
        "languages": ", ".join(department.languages),
        "remote_interpretation": optional(department.remote_interpretation),
        "appointment_needed": optional(department.appointment_needed),
        "position": department.position,
    }
    phones = list(department.phones.all()) if department.pk else []
    hours = list(department.hours.all()) if department.pk else []
    for prefix, rows in (("phones", phones), ("hours", hours)):
        data[f"{prefix}-TOTAL_FORMS"] = len(rows)
        data[f"{prefix}-INITIAL_FORMS"] = len(rows)
    for index, phone in enumerate(phones):
        data.update(
            {
                f"phones-{index}-id": phone.pk,
                f"phones-{index}-department": department.pk,
                f"phones-{index}-number": phone.national,
                f"phones-{index}-label": phone.label,
                f"phones-{index}-extension": phone.extension,
                f"phones-{index}-position": phone.position,
            }
        )
    for index, opening in enumerate(hours):
        data.update(
            {
                f"hours-{index}-id": opening.pk,
                f"hours-{index}-department": department.pk,
                f"hours-{index}-weekday": opening.weekday,
                f"hours-{index}-opens": f"{opening.opens:%H:%M}",
                f"hours-{index}-closes": f"{opening.closes:%H:%M}",
            }
        )
    return {**data, **changes}


def make_full_class_link(city, url=None, **fields):
    """A class link with every structured detail filled in (test data, never the seed's)."""
    from datetime import date, time

    details = {
        "name": "にほんご教室（おとな）",
        "label": "明石国際交流協会",
        "venue": "市民会館 2階 第1会議室",
        "attendance": "both",
        "weekdays": ["TU", "FR"],
        "starts_at": time(18, 30),
        "ends_at": time(20, 30),
        "schedule_note": "祝日は休み",
        "fee": 500,
        "level": "beginner",
        "audience": "adults",
        "childcare": True,
        "languages": ["vi", "en", "zh"],
        "sign_up": "電話かメールで申し込んでください。",
        "status": "running",
        "status_date": date(2026, 4, 1),
    }
    details.update(fields)
    return make_class_link(city, url or f"https://example.jp/class/{next(_serial)}.pdf", **details)


def make_full_department(city, name="International Exchange Desk", **fields):
    """A desk with every field, two phones and split opening hours filled in (test data; `city`
    should have Koriyama's local government code, 072036, for the postal code to be its own)."""
    from datetime import time

    from directory.models import DepartmentPhone, OpeningHours

    details = {
        "name_ja": "国際交流窓口",
        "url": "https://example.jp/kokusai/",
        "postal_code": "963-8024",
        "address_ja": "福島県試験山市朝日1-1-1",
        "address_romaji": "1-1-1 Asahi, Testyama, Fukushima",
        "floor": "本庁舎2階 5番窓口",
        "hours_note": "祝日は休み",
        "languages": ["en", "vi", "zh"],
        "remote_interpretation": True,
        "appointment_needed": False,
    }
    details.update(fields)
    desk = make_department(city, name, **details)
    DepartmentPhone.objects.create(department=desk, number="024-924-0000", label="代表")
    DepartmentPhone.objects.create(
        department=desk, number="024-924-0001", label="相談", extension="123", position=1
    )
    for weekday in range(5):
        OpeningHours.objects.create(
            department=desk, weekday=weekday, opens=time(8, 30), closes=time(12, 0)
        )
        OpeningHours.objects.create(
            department=desk, weekday=weekday, opens=time(13, 0), closes=time(17, 15)
        )
    OpeningHours.objects.create(department=desk, weekday=5, opens=time(9), closes=time(12))
    return desk


def unjoined(text):
    """Text without the word joiners (U+2060) the Burmese catalogue holds, as a reader sees it:
    they only keep a line from breaking inside a syllable (tests/test_i18n_catalogues.py)."""
    return text.replace("\u2060", "")
