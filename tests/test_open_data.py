"""The directory as open data: CSV and JSON downloads in the admin export's columns, and the
sitemap."""

import csv
import io
import json
import re

import pytest
from django.conf import settings

from directory.importexport import exporting
from directory.importexport.importing import read_dataset, run_import
from directory.importexport.resources import RESOURCES
from directory.models import City, ClassLink, Department, Prefecture
from tests.builders import make_city, make_department

KINDS = list(RESOURCES)


def download(client, url):
    response = client.get(url, HTTP_HOST="localhost")
    assert response.status_code == 200, url
    return response


def csv_rows(client, kind):
    response = download(client, f"/en/data/{kind}.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff"), "a BOM, so spreadsheet programs read UTF-8"
    return list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))


def json_records(client, kind):
    response = download(client, f"/en/data/{kind}.json")
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


@pytest.mark.parametrize("kind", KINDS)
def test_each_download_has_the_admin_exports_columns_and_rows(seed, client, admin_user, kind):
    admin_export = exporting.export(kind, "csv", user=admin_user).decode("utf-8-sig")
    staff_rows = list(csv.DictReader(io.StringIO(admin_export)))
    rows = csv_rows(client, kind)
    assert list(rows[0]) == list(staff_rows[0])
    assert rows == staff_rows
    records = json_records(client, kind)
    assert list(records[0]) == list(staff_rows[0])
    assert len(records) == len(rows)


def test_the_downloads_hold_every_city_department_and_class_link(seed, client):
    cities = csv_rows(client, "cities")
    assert {row["code"] for row in cities} == set(City.objects.values_list("code", flat=True))
    koriyama = next(row for row in cities if row["name_ja"] == "郡山市")
    assert (koriyama["prefecture"], koriyama["name_kana"]) == ("07", "こおりやまし")
    naha = next(row for row in cities if row["name"] == "Naha City")
    assert naha["number"] == "" and "not yet been established" in naha["note"]

    departments = json_records(client, "departments")
    assert len(departments) == Department.objects.count()
    toyohashi = [d for d in departments if d["city"] == "232017"]
    assert toyohashi[0]["email"] == "kyoseikokusai@city.toyohashi.lg.jp"

    links = csv_rows(client, "class-links")
    assert len(links) == ClassLink.objects.count()
    toyohashi = [row for row in links if row["city"] == "232017"]
    assert [row["url"] for row in toyohashi] == [
        "https://www.city.toyohashi.lg.jp/26453.htm",
        "http://www.toyohashi-tia.or.jp",
    ]
    assert toyohashi[1]["label"] == "Toyohashi International Association"
    assert "郡山市" in download(client, "/en/data/cities.json").content.decode("utf-8")


def test_a_download_read_back_by_the_importer_changes_nothing(seed, client):
    for kind in KINDS:
        data = download(client, f"/en/data/{kind}.csv").content
        report = run_import(kind, data, "csv", dry_run=True)
        assert report.ok, report.errors
        assert report.counts["unchanged"] == len(read_dataset(data, "csv")), kind
        assert report.counts["new"] == report.counts["updated"] == 0, kind


def test_the_csv_defuses_cells_a_spreadsheet_would_run_as_formulas(db, client):
    city = make_city(name="Testville")
    make_department(city, name='=HYPERLINK("http://evil.example")')
    (row,) = csv_rows(client, "departments")
    assert row["name"] == '\'=HYPERLINK("http://evil.example")'


def test_an_unknown_download_is_not_found(db, client):
    for url in ("/en/data/users.csv", "/en/data/cities.xlsx", "/en/data/cities.exe"):
        assert client.get(url, HTTP_HOST="localhost").status_code == 404, url


def test_the_download_links_are_on_every_page(seed, client):
    for page in ("/en/", "/ja/cities/koriyama/"):
        html = download(client, page).content.decode()
        prefix = page.split("/")[1]
        for kind in KINDS:
            for fmt in ("csv", "json"):
                assert f'href="/{prefix}/data/{kind}.{fmt}"' in html, (page, kind, fmt)


def test_the_sitemap_lists_every_public_page_in_every_language(seed, client):
    xml = download(client, "/sitemap.xml").content.decode()
    locations = set(re.findall(r"<loc>https?://localhost(.*?)</loc>", xml))
    pages = {"/en/", "/en/search/"}
    pages |= {p.get_absolute_url() for p in Prefecture.objects.all()}
    pages |= {c.get_absolute_url() for c in City.objects.all()}
    codes = [code for code, _name in settings.LANGUAGES]
    expected = {f"/{code}/{page.removeprefix('/en/')}" for code in codes for page in pages}
    assert locations == expected
    assert len(locations) == (2 + 47 + 62) * len(codes)
    assert 'hreflang="ja" href="http://localhost/ja/cities/koriyama/"' in xml


def test_the_sitemap_names_each_language_as_its_pages_do(seed, client):
    xml = download(client, "/sitemap.xml").content.decode()
    for code, _name in settings.LANGUAGES:
        page = client.get(f"/{code}/", HTTP_HOST="localhost").content.decode()
        tag = re.search(r'<html lang="([^"]+)"', page)[1]
        assert f'hreflang="{tag}" href="http://localhost/{code}/"' in xml
    assert 'hreflang="ja-easy"' not in xml, "no such BCP 47 tag: search engines ignore it"


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt", HTTP_HOST="localhost")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines and "Sitemap: http://localhost/sitemap.xml" in lines


def test_the_sitemap_is_built_once_and_made_again_after_a_change(seed, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = download(client, "/sitemap.xml").content
    with CaptureQueriesContext(connection) as queries:
        again = download(client, "/sitemap.xml").content
    assert again == first
    # Served from the page cache: only the directory's version is read, as for a cached page.
    assert len(queries) == 1 and "directoryversion" in queries[0]["sql"]

    city = make_city(name="Sitemapton")
    assert city.get_absolute_url().encode() in download(client, "/sitemap.xml").content


def test_each_download_link_is_described_by_what_it_holds(seed, client):
    html = client.get("/vi/").content.decode()
    footer = html.split('<ul class="downloads">')[1].split("</ul>")[0]
    links = re.findall(r'<a [^>]*aria-describedby="([^"]+)"[^>]*>(?:CSV|JSON)</a>', footer)
    assert len(links) == 7
    described = {re.search(rf'<span id="{target}">([^<]+)</span>', footer)[1] for target in links}
    # Four rows, each named (in Vietnamese): cities, desks, class links, everything.
    assert len(described) == 4 and all(name.strip() for name in described)
