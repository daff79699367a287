"""The directory as open data: CSV and JSON downloads, and the sitemap."""

import csv
import io
import json
import re

from django.conf import settings

from directory.models import City, Prefecture
from directory.open_data import COLUMNS
from tests.builders import make_city, make_department


def download(client, url):
    response = client.get(url, HTTP_HOST="localhost")
    assert response.status_code == 200
    return response


def csv_rows(client):
    response = download(client, "/en/data/directory.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff"), "a BOM, so spreadsheet programs read UTF-8"
    return list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))


def test_the_csv_holds_every_city_department_and_class_link(seed, client):
    rows = csv_rows(client)
    assert tuple(rows[0]) == COLUMNS
    assert {row["city_code"] for row in rows} == set(City.objects.values_list("code", flat=True))
    toyohashi = [row for row in rows if row["city"] == "Toyohashi City"]
    assert [row["class_url"] for row in toyohashi] == [
        "https://www.city.toyohashi.lg.jp/26453.htm",
        "http://www.toyohashi-tia.or.jp",
    ]
    assert toyohashi[1]["class_provider"] == "Toyohashi International Association"
    assert toyohashi[0]["department_email"] == "kyoseikokusai@city.toyohashi.lg.jp"
    assert toyohashi[0]["city_ja"] == "豊橋市"
    naha = [row for row in rows if row["city"] == "Naha City"]
    assert len(naha) == 1 and naha[0]["department"] == ""
    assert "not yet been established" in naha[0]["note"]


def test_the_csv_defuses_cells_a_spreadsheet_would_run_as_formulas(db, client):
    city = make_city(name="Testville")
    make_department(city, name='=HYPERLINK("http://evil.example")')
    (row,) = csv_rows(client)
    assert row["department"] == '\'=HYPERLINK("http://evil.example")'


def test_the_json_nests_departments_and_their_class_links(seed, client):
    response = download(client, "/en/data/directory.json")
    cities = json.loads(response.content)["cities"]
    assert len(cities) == 62
    koriyama = next(city for city in cities if city["city_ja"] == "郡山市")
    assert koriyama["prefecture"] == "Fukushima"
    (department,) = koriyama["departments"]
    assert department["email"] == "tabunkakyousei@city.koriyama.lg.jp"
    assert department["class_links"] == [
        {"url": "https://www.city.koriyama.lg.jp/site/kiea/", "provider": ""}
    ]
    assert "郡山市" in response.content.decode("utf-8"), "Japanese kept readable"


def test_the_download_links_are_on_every_page(seed, client):
    html = download(client, "/en/").content.decode()
    assert 'href="/en/data/directory.csv"' in html
    assert 'href="/en/data/directory.json"' in html


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
