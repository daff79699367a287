"""The Open Referral HSDS 3.0 export at /<language>/data/hsds/, checked against the schema the
tests wrote from the specification's text (tests/schemas/hsds-3.0.schema.json)."""

import copy
import json
from datetime import time, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory import hsds
from directory.classes import today
from directory.models import City, ClassLink, Department
from tests.builders import (
    make_city,
    make_class_link,
    make_department,
    make_full_class_link,
    make_full_department,
)
from tests.json_schema import errors

SCHEMA = json.loads(
    (Path(__file__).parent / "schemas" / "hsds-3.0.schema.json").read_text(encoding="utf-8")
)


def export(client, language="en"):
    response = client.get(f"/{language}/data/hsds/", HTTP_HOST="localhost")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def by_id(records):
    return {record["id"]: record for record in records}


def test_the_seeds_export_conforms_to_hsds_3_0(seed, client):
    data = export(client)
    assert errors(data, SCHEMA) == []
    assert data["version"] == "3.0"


def test_every_city_is_an_organization_and_every_desk_and_class_a_service(seed, client):
    data = export(client)
    assert len(data["organizations"]) == City.objects.count()
    assert len(data["services"]) == Department.objects.count() + ClassLink.objects.count()
    koriyama = next(o for o in data["organizations"] if o["alternate_name"] == "郡山市")
    assert koriyama["name"] == City.objects.get(name_ja="郡山市").name
    services = [s for s in data["services"] if s["organization_id"] == koriyama["id"]]
    assert services and all(s["status"] == "active" for s in services)
    desk = Department.objects.filter(city__name_ja="郡山市").first()
    assert any(s["name"] == desk.name and s.get("email") == desk.email for s in services)


def test_the_seed_has_no_locations_phones_or_schedules_it_does_not_state(seed, client):
    data = export(client)
    for table in ("locations", "service_at_locations", "phones", "schedules", "languages"):
        assert data[table] == [], table


def test_a_class_with_every_detail_maps_to_hsds_fields(client, db):
    city = make_city()
    link = make_full_class_link(city, "https://example.jp/nihongo/otona.pdf")
    data = export(client)
    assert errors(data, SCHEMA) == []
    service = next(s for s in data["services"] if s["url"] == link.url)
    assert service["name"] == "にほんご教室（おとな）"
    assert service["status"] == "active"
    assert service["fees_description"] == "¥500"
    assert service["eligibility_description"] == "Adults · Childcare available"
    assert service["application_process"] == "電話かメールで申し込んでください。"
    assert "Run by: 明石国際交流協会" in service["description"]
    assert "Level: Beginner" in service["description"]
    locations = by_id(data["locations"])
    links = [sal for sal in data["service_at_locations"] if sal["service_id"] == service["id"]]
    kinds = sorted(locations[sal["location_id"]]["location_type"] for sal in links)
    assert kinds == ["physical", "virtual"], "in person and online"
    venue = next(place for place in locations.values() if place["location_type"] == "physical")
    assert venue["name"] == "市民会館 2階 第1会議室"
    (schedule,) = [s for s in data["schedules"] if s["service_id"] == service["id"]]
    assert (schedule["freq"], schedule["byday"]) == ("WEEKLY", "TU,FR")
    assert (schedule["opens_at"], schedule["closes_at"]) == ("18:30+09:00", "20:30+09:00")
    assert schedule["timezone"] == 9 and schedule["description"] == "祝日は休み"
    languages = [(lang["code"], lang["name"]) for lang in data["languages"]]
    assert languages == [("vi", "Vietnamese"), ("en", "English"), ("zh", "Chinese")]


@pytest.mark.parametrize(
    ("status", "hsds_status"),
    [
        ("", "active"),
        ("running", "active"),
        ("paused", "temporarily closed"),
        ("ended", "inactive"),
    ],
)
def test_a_classs_status_is_hsdss_service_status(client, db, status, hsds_status):
    make_class_link(make_city(), status=status)
    (service,) = export(client)["services"]
    assert service["status"] == hsds_status


@pytest.mark.parametrize(("days", "hsds_status"), [(-1, "inactive"), (0, "active"), (30, "active")])
def test_a_class_that_ends_on_a_date_still_to_come_is_active_until_then(
    client, db, days, hsds_status
):
    ends = today() + timedelta(days=days)
    make_class_link(make_city(), status="ended", status_date=ends)
    (service,) = export(client)["services"]
    assert service["status"] == hsds_status


def test_language_names_are_in_the_urls_language(client, db):
    make_class_link(make_city(), languages=["vi", "ne"])
    names = [lang["name"] for lang in export(client, "ja")["languages"]]
    assert names == ["ベトナム語", "ネパール語"]


def test_ids_are_uuids_unique_and_the_same_in_every_export(client, db):
    city = make_city()
    make_department(city)
    make_full_class_link(city)
    first = export(client)
    ClassLink.objects.update(fee=1000)  # a change that is not part of any record's key
    from directory.signals import directory_changed

    directory_changed.send(sender=City)
    second = export(client)
    assert second["services"][1]["fees_description"] == "¥1,000", "a fresh export"
    ids = [record["id"] for table in hsds.TABLES for record in first[table]]
    assert len(ids) == len(set(ids))
    assert ids == [record["id"] for table in hsds.TABLES for record in second[table]]


def test_the_mapping_for_desks_phones_addresses_hours_and_languages_conforms():
    """The objects a desk maps through, built directly, conform."""
    service_id = hsds.record_id("service", "test")
    organization_id = hsds.record_id("organization", "test")
    location_id = hsds.record_id("location", service_id)
    place = hsds.location(
        location_id,
        "physical",
        organization_id,
        name="市役所 本庁舎 1階 国際交流窓口",
        addresses=[hsds.address(location_id, "1-2-3 Example-cho", "Testcity", "Tokyo", "100-0000")],
    )
    document = {
        "version": "3.0",
        **{table: [] for table in hsds.TABLES},
        "locations": [place],
        "phones": [hsds.phone("+81 3-0000-0000", extension=123, service_id=service_id)],
        "schedules": [
            hsds.schedule(
                hsds.record_id("schedule", service_id),
                location_id=location_id,
                byday=["MO", "TU", "WE", "TH", "FR"],
                opens_at=time(8, 30),
                closes_at=time(17, 15),
                description="closed on national holidays",
            )
        ],
        "languages": [hsds.language("pt", service_id=service_id)],
    }
    assert errors(document, SCHEMA) == []
    assert document["locations"][0]["addresses"][0]["country"] == "JP"
    assert document["schedules"][0]["byday"] == "MO,TU,WE,TH,FR"


def test_the_schema_check_refuses_what_hsds_does_not_allow(client, db):
    make_full_class_link(make_city())
    data = export(client)
    assert errors(data, SCHEMA) == []
    for change, reason in [
        (lambda d: d["services"][0].update(website="https://example.jp/"), "'website' is not in"),
        (lambda d: d["services"][0].update(status="open"), "is not one of"),
        (lambda d: d["services"][0].pop("status"), "required field 'status'"),
        (lambda d: d["organizations"][0].update(id="city-1"), "is not a valid uuid"),
        (lambda d: d["schedules"][0].update(timezone="+09:00"), "is not of type number"),
        (lambda d: d["schedules"][0].update(byday="Tuesday"), "does not match"),
        (lambda d: d["languages"][0].update(code="Vietnamese"), "does not match"),
        (lambda d: d.update(cities=[]), "'cities' is not in"),
    ]:
        broken = copy.deepcopy(data)
        change(broken)
        found = errors(broken, SCHEMA)
        assert found and reason in " ".join(found), reason


def test_the_export_is_cached_until_the_directory_changes(client, db):
    city = make_city()
    make_class_link(city)
    export(client)
    with CaptureQueriesContext(connection) as queries:
        export(client)
    assert len(queries) == 1, "only the directory's version is read"
    make_class_link(city, name="二つ目の教室")
    assert len(export(client)["services"]) == 2


def test_an_extension_with_a_leading_zero_is_written_out_not_made_another_number(client, db):
    desk = make_full_department(full_desk_city())
    desk.phones.update(extension="0012")
    data = export(client)
    assert errors(data, SCHEMA) == []
    described = {(p.get("extension"), p["description"]) for p in data["phones"]}
    assert described == {(None, "代表 (ext. 0012)"), (None, "相談 (ext. 0012)")}


def test_a_line_that_is_phone_and_fax_listed_twice_is_two_phones_with_their_own_ids(client, db):
    desk = make_department(full_desk_city())
    first = desk.phones.create(number="0138-21-3111", label="代表")
    desk.phones.create(number="0138-21-3111", label="FAX", position=1)
    data = export(client)
    assert errors(data, SCHEMA) == []
    phones = [phone for phone in data["phones"] if phone["number"] == "+81138213111"]
    assert len({phone["id"] for phone in phones}) == 2
    assert {phone["description"] for phone in phones} == {"代表", "FAX"}
    # The first keeps the id it had before the second was added.
    assert phones[0]["id"] == hsds.record_id(
        "phone", hsds.department_service_id(desk), first.number.as_e164, ""
    )
    page = client.get(desk.city.get_absolute_url(), HTTP_HOST="localhost").content.decode()
    assert page.count('"telephone": "+81138213111"') == 1, "search engines are told it once"


def test_data_hsds_without_a_language_goes_to_the_visitors_language(client, db):
    response = client.get("/data/hsds/", HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 302
    assert response["Location"] == "/vi/data/hsds/"


def test_every_page_links_the_hsds_export(client, db):
    city = make_city()
    html = client.get(f"/ja/cities/{city.slug}/", HTTP_HOST="localhost").content.decode()
    assert 'href="/ja/data/hsds/"' in html
    assert "Open Referral HSDS 3.0" in html


# Desks: phones, address, hours and languages (test data: a city with Koriyama's code, whose
# postal codes are its own)


def full_desk_city():
    return make_city("07", name="Testyama", name_ja="試験山市", code="072036", slug="testyama")


def test_a_fully_filled_desk_conforms_and_maps_to_hsds_fields(client, db):
    desk = make_full_department(full_desk_city())
    data = export(client)
    assert errors(data, SCHEMA) == []
    (service,) = data["services"]
    assert (service["name"], service["alternate_name"]) == (desk.name, "国際交流窓口")
    assert service["interpretation_services"] == "Interpretation by phone or video is available."
    assert service["application_process"] == "No appointment needed."
    phones = [(p["number"], p.get("extension"), p["description"]) for p in data["phones"]]
    assert phones == [("+81249240000", None, "代表"), ("+81249240001", 123, "相談")]
    assert all(p["service_id"] == service["id"] and p["type"] == "voice" for p in data["phones"])
    (place,) = data["locations"]
    assert (place["location_type"], place["name"]) == ("physical", "国際交流窓口")
    assert place["description"] == "1-1-1 Asahi, Testyama, Fukushima"
    (address,) = place["addresses"]
    assert address["address_1"] == "福島県試験山市朝日1-1-1"
    assert (address["address_2"], address["postal_code"]) == ("本庁舎2階 5番窓口", "963-8024")
    assert (address["city"], address["state_province"], address["country"]) == (
        "試験山市",
        "福島県",
        "JP",
    )
    (link,) = data["service_at_locations"]
    assert (link["service_id"], link["location_id"]) == (service["id"], place["id"])
    schedules = data["schedules"]
    assert len(schedules) == 11, "one per opening-hours row"
    assert [(s["byday"], s["opens_at"], s["closes_at"]) for s in schedules[:2]] == [
        ("MO", "08:30+09:00", "12:00+09:00"),
        ("MO", "13:00+09:00", "17:15+09:00"),
    ]
    assert schedules[-1]["byday"] == "SA"
    assert all(s["freq"] == "WEEKLY" and s["timezone"] == 9 for s in schedules)
    assert all(s["description"] == "祝日は休み" for s in schedules)
    assert [(lang["code"], lang["name"]) for lang in data["languages"]] == [
        ("en", "English"),
        ("vi", "Vietnamese"),
        ("zh", "Chinese"),
    ]


def test_a_desk_and_class_together_conform_in_japanese_too(client, db):
    city = full_desk_city()
    desk = make_full_department(city)
    make_full_class_link(city, department=desk)
    data = export(client, "ja")
    assert errors(data, SCHEMA) == []
    desk_service = next(s for s in data["services"] if s["name"] == desk.name)
    assert desk_service["application_process"] == "予約は不要です。"
    assert "ベトナム語" in [lang["name"] for lang in data["languages"]]


def test_a_desk_with_part_of_an_address_has_a_location_hsds_accepts(client, db):
    city = full_desk_city()
    make_department(city, name="No postal code", address_ja="福島県試験山市朝日1-1-1")
    make_department(city, name="Postal code alone", postal_code="963-8024")
    make_department(city, name="Note alone", hours_note="予約制")
    data = export(client)
    assert errors(data, SCHEMA) == []
    assert len(data["locations"]) == 2
    assert all("addresses" not in place for place in data["locations"]), "HSDS needs both"
    (note,) = data["schedules"]
    assert note["description"] == "予約制" and "byday" not in note
    assert data["phones"] == [] and data["languages"] == []


def test_the_export_s_queries_do_not_grow_with_desks_phones_and_hours(client, db):
    city = full_desk_city()
    make_full_department(city, name="First")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            hsds.document()
        return len(captured)

    one = queries()
    make_full_department(city, name="Second")
    make_full_department(make_city(), name="Third")
    assert queries() == one
