"""The directory as Open Referral HSDS 3.0 (Human Services Data Specification) JSON.

Each city is an organization; its desks (departments) and Japanese classes are its services.
The document holds one list per HSDS object, each object with HSDS 3.0's field names and types,
linked by ids: organizations, services, locations (with their addresses), service_at_locations,
phones, schedules and languages. Ids are UUIDs derived from each record's natural key (the keys
the import uses), so they stay the same from one export to the next.

One function per object type maps a record; a desk's phones, address and hours map in
`department_phones`, `department_locations` and `department_schedules`, each empty when the desk
does not state those facts.
"""

import uuid
from collections import Counter

from django.db.models import Prefetch
from django.utils.translation import gettext, gettext_lazy

from . import classes, spoken_languages
from .models import City, ClassLink, Department

HSDS_VERSION = "3.0"

# The namespace of every id in the export: ids are uuid5(NAMESPACE, the record's key).
NAMESPACE = uuid.UUID("6f1c3a52-8d0e-4a51-9b7e-2f4c1e7d9a30")

# Japan Standard Time, as HSDS schedules give it: a number of hours from UTC, and on each time.
JST_HOURS = 9
JST_OFFSET = "+09:00"

TABLES = (
    "organizations",
    "services",
    "locations",
    "service_at_locations",
    "phones",
    "schedules",
    "languages",
)

# A desk's yes or no as the sentences of HSDS's service fields (those of the city page's card).
INTERPRETATION = {
    True: gettext_lazy("Interpretation by phone or video is available."),
    False: gettext_lazy("No interpretation by phone or video."),
}
APPOINTMENT = {
    True: gettext_lazy("Appointment needed: contact the desk before you go."),
    False: gettext_lazy("No appointment needed."),
}

# A class's status as HSDS's service status (active, inactive, defunct, temporarily closed);
# an "ended" class is inactive only once it has ended (`service_status`).
SERVICE_STATUS = {
    "": "active",
    classes.Status.RUNNING: "active",
    classes.Status.PAUSED: "temporarily closed",
    classes.Status.ENDED: "inactive",
}


def service_status(link):
    """The class's HSDS status; one that ends on a date still to come is active until then
    (`link.ended`, from `ClassLink.objects.with_ended()`: `classes.ended`)."""
    if link.status == classes.Status.ENDED and not link.ended:
        return "active"
    return SERVICE_STATUS[link.status]


def record_id(*key):
    """A stable UUID for the record with this natural key."""
    return str(uuid.uuid5(NAMESPACE, "/".join(str(part) for part in key)))


def _present(**fields):
    """The fields that have a value: HSDS leaves out what is not known rather than send ""."""
    return {name: value for name, value in fields.items() if value not in ("", None, [])}


def document():
    """The whole directory as one HSDS document: {"version": "3.0", table: [objects]}."""
    cities = City.objects.select_related("prefecture").prefetch_related(
        Prefetch(
            "departments", queryset=Department.objects.with_details().order_by("position", "pk")
        ),
        Prefetch("class_links", queryset=ClassLink.objects.with_ended()),
    )
    out = {"version": HSDS_VERSION, **{table: [] for table in TABLES}}
    for city in cities:
        org = organization(city)
        out["organizations"].append(org)
        for department in city.departments.all():
            _merge(out, department_records(department, org["id"]))
        for link in city.class_links.all():
            _merge(out, class_records(link, org["id"]))
    return out


def _merge(out, records):
    for table, objects in records.items():
        out[table].extend(objects)


def service_records(service, locations=(), phones=(), schedules=(), language_codes=()):
    """A service's records: itself, where it is given, its phones, schedules and languages."""
    service_id = service["id"]
    return {
        "services": [service],
        "locations": locations,
        "service_at_locations": [
            service_at_location(service_id, place["id"]) for place in locations
        ],
        "phones": phones,
        "schedules": schedules,
        "languages": [language(code, service_id) for code in language_codes],
    }


# --- Organizations ---


def organization(city):
    """The city as the organization whose desks and classes the directory lists."""
    prefecture = city.prefecture
    description = f"{city.name} ({city.name_ja}), {prefecture.name} ({prefecture.name_ja})"
    if city.note:
        description += f". {city.note}"
    return _present(
        id=record_id("organization", city.code),
        name=city.name,
        alternate_name=city.name_ja,
        description=description,
    )


# --- Desks (departments) ---


def department_service_id(department):
    """A desk's service id, from its city's code and its name (the import's key)."""
    return record_id("service", department.city.code, "department", department.name)


def department_records(department, organization_id):
    """A desk as a service, with its locations, phones, schedules and languages."""
    service_id = department_service_id(department)
    service = _present(
        id=service_id,
        organization_id=organization_id,
        name=department.name,
        alternate_name=department.name_ja,
        url=department.url,
        email=department.email,
        status="active",
        interpretation_services=str(INTERPRETATION.get(department.remote_interpretation, "")),
        application_process=str(APPOINTMENT.get(department.appointment_needed, "")),
    )
    return service_records(
        service,
        locations=department_locations(department, organization_id),
        phones=department_phones(department, service_id),
        schedules=department_schedules(department, service_id),
        language_codes=department.languages,
    )


def department_phones(department, service_id):
    """A desk's phone numbers as HSDS phones (`phone()` each): E.164, the extension as a number
    (HSDS's type), the label as the description."""
    phones, seen = [], Counter()
    for number in department.phones.all():
        # A number listed twice (a line that is phone and fax) is two phones: ids stay unique.
        seen[number.number.as_e164, number.extension] += 1
        phones.append(
            phone(
                number.number.as_e164,
                extension=int(number.extension) if _a_number(number.extension) else None,
                description=_described(number.label, number.extension),
                service_id=service_id,
                repeat=seen[number.number.as_e164, number.extension],
            )
        )
    return phones


def _a_number(extension):
    # "0012" is not the number 12: HSDS's number cannot hold its leading zero.
    return bool(extension) and not extension.startswith("0")


def _described(label, extension):
    """The label, and an extension HSDS's number cannot hold, written out after it."""
    if not extension or _a_number(extension):
        return label
    written = gettext("ext. %(number)s") % {"number": extension}
    return f"{label} ({written})" if label else written


def department_locations(department, organization_id):
    """A desk's office as an HSDS physical location: its Japanese address and postal code as the
    address (when both are known, as HSDS requires), the floor or counter as its second line,
    the romaji address as the description. None when the desk states no address."""
    if not (department.address_ja or department.address_romaji or department.postal_code):
        return []
    city = department.city
    location_id = record_id("location", department_service_id(department), "desk")
    addresses = []
    if (department.address_ja or department.address_romaji) and department.postal_code:
        addresses.append(
            address(
                location_id,
                department.address_ja or department.address_romaji,
                city.name_ja,
                city.prefecture.name_ja,
                department.postal_code,
                address_2=department.floor,
            )
        )
    place = location(
        location_id,
        "physical",
        organization_id,
        name=department.name_ja or department.name,
        addresses=addresses,
    )
    if department.address_romaji and department.address_ja:
        place["description"] = department.address_romaji
    return [place]


def department_schedules(department, service_id):
    """A desk's opening hours as HSDS weekly schedules, one per opening-hours row, each with
    the note on its hours; the note alone when no hours are stated."""
    rows = list(department.hours.all())
    if not rows:
        if not department.hours_note:
            return []
        return [
            schedule(
                record_id("schedule", service_id), service_id, description=department.hours_note
            )
        ]
    return [
        schedule(
            record_id("schedule", service_id, row.weekday, f"{row.opens:%H:%M}"),
            service_id=service_id,
            byday=[classes.WEEKDAYS[row.weekday]],
            opens_at=row.opens,
            closes_at=row.closes,
            description=department.hours_note,
        )
        for row in rows
    ]


# --- Japanese classes ---


def class_service_id(link):
    """A class's service id, from its city's code and its URL (the import's key)."""
    return record_id("service", link.city.code, "class", link.url)


def class_records(link, organization_id):
    """A class as a service, with its venue or online location, schedule and languages."""
    service_id = class_service_id(link)
    locations = []
    if link.venue:
        locations.append(
            location(
                record_id("location", service_id, "venue"),
                "physical",
                organization_id,
                name=link.venue,
            )
        )
    if link.attendance in (classes.Attendance.ONLINE, classes.Attendance.BOTH):
        locations.append(
            location(
                record_id("location", service_id, "online"),
                "virtual",
                organization_id,
                url=link.url,
            )
        )
    return service_records(
        class_service(link, service_id, organization_id),
        locations=locations,
        schedules=class_schedules(link, service_id),
        language_codes=link.languages,
    )


def class_service(link, service_id, organization_id):
    """A class as an HSDS service: its link, status, fee, audience and how to sign up."""
    notes = []
    if link.label and link.name:
        notes.append(f"{gettext('Run by')}: {link.label}")
    if link.level:
        notes.append(f"{gettext('Level')}: {link.get_level_display()}")
    return _present(
        id=service_id,
        organization_id=organization_id,
        name=classes.title(link),
        alternate_name=link.label if not link.name else "",
        description=". ".join(notes),
        url=link.url,
        status=service_status(link),
        fees_description=classes.fee(link),
        eligibility_description=classes.audience(link),
        application_process=link.sign_up,
    )


def class_schedules(link, service_id):
    """When a class meets, as one weekly HSDS schedule; none when nothing is known."""
    if not (link.weekdays or link.starts_at or link.schedule_note):
        return []
    days = [day for day in classes.WEEKDAYS if day in link.weekdays]
    return [
        schedule(
            record_id("schedule", service_id),
            service_id=service_id,
            byday=days,
            opens_at=link.starts_at,
            closes_at=link.ends_at,
            description=link.schedule_note,
            attending_type=link.get_attendance_display() if link.attendance else "",
        )
    ]


# --- Objects any record can have: one mapping each, for desks and classes alike ---


def location(location_id, location_type, organization_id, name="", url="", addresses=()):
    """An HSDS location: "physical" (with `address()`es) or "virtual" (with a URL)."""
    return _present(
        id=location_id,
        location_type=location_type,
        organization_id=organization_id,
        name=name,
        url=url,
        addresses=list(addresses),
    )


def address(location_id, address_1, city, state_province, postal_code, address_2=""):
    """An HSDS physical address in Japan: all of HSDS's required lines, and the country."""
    return _present(
        id=record_id("address", location_id),
        location_id=location_id,
        address_1=address_1,
        address_2=address_2,
        city=city,
        state_province=state_province,
        postal_code=postal_code,
        country="JP",
        address_type="physical",
    )


def service_at_location(service_id, location_id):
    """The HSDS link between a service and a location where it is given."""
    return {
        "id": record_id("service_at_location", service_id, location_id),
        "service_id": service_id,
        "location_id": location_id,
    }


def phone(number, extension=None, description="", service_id="", repeat=1):
    """An HSDS voice phone of a service; `number` in international form (E.164), `extension` a
    number; `repeat` counts the times the service lists the same number, for a unique id."""
    key = ("phone", service_id, number, extension or "")
    # The first keeps the id it always had.
    key += (repeat,) if repeat > 1 else ()
    return _present(
        id=record_id(*key),
        service_id=service_id,
        number=number,
        extension=extension,
        type="voice",
        description=description,
    )


def schedule(
    schedule_id,
    service_id="",
    location_id="",
    byday=(),
    opens_at=None,
    closes_at=None,
    description="",
    attending_type="",
):
    """An HSDS schedule: weekly on `byday` (RFC 5545 day codes), times in Japan's time."""
    return _present(
        id=schedule_id,
        service_id=service_id,
        location_id=location_id,
        freq="WEEKLY" if byday else "",
        byday=",".join(byday),
        opens_at=_time(opens_at),
        closes_at=_time(closes_at),
        timezone=JST_HOURS if (opens_at or closes_at) else None,
        description=description,
        attending_type=attending_type,
    )


def _time(value):
    return f"{value:%H:%M}{JST_OFFSET}" if value else ""


def language(code, service_id):
    """An HSDS language of a service: its ISO 639 code and its name in the export's language."""
    return _present(
        id=record_id("language", service_id, code),
        service_id=service_id,
        name=spoken_languages.name_in(code),
        code=code,
    )
