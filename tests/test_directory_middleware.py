"""directory.middleware: a city's pages asked for at an address it no longer has lead to its
address now."""

import csv
import io

import pytest

from directory.importexport import exporting, importing
from directory.models import City, Department
from tests.builders import make_staff


def moved(client, path, **data):
    response = client.get(path, data, HTTP_HOST="localhost")
    assert response.status_code == 301, (path, response.status_code)
    return response["Location"]


def renamed_in_a_spreadsheet(old, new):
    """The cities' file as exported, its city `old` given the address `new`, imported back by a
    directory editor, as staff fix a city's address in Excel."""
    rows = list(csv.DictReader(io.StringIO(exporting.export("cities", "csv").decode("utf-8-sig"))))
    for row in rows:
        if row["slug"] == old:
            row["slug"] = new
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    editor = make_staff("kanri", superuser=True)
    report = importing.run_import("cities", out.getvalue().encode(), "csv", editor, dry_run=False)
    assert report.ok, [str(error) for error in report.errors]


def test_a_citys_former_address_leads_to_each_of_its_pages_at_the_new_one(seed, client):
    renamed_in_a_spreadsheet("kanazawa", "kanazawa-shi")
    assert City.objects.get(code="172014").slug == "kanazawa-shi"
    desk = Department.objects.filter(city__slug="kanazawa-shi").first()
    assert moved(client, "/vi/cities/kanazawa/") == "/vi/cities/kanazawa-shi/"
    # A desk's card, printed or kept on a phone, with the sentence it shows.
    card = f"/ja/cities/kanazawa/desks/{desk.pk}/staff-card/"
    assert moved(client, card, say="learn") == (
        f"/ja/cities/kanazawa-shi/desks/{desk.pk}/staff-card/?say=learn"
    )
    assert moved(client, "/en/cities/kanazawa/report/") == "/en/cities/kanazawa-shi/report/"
    followed = client.get("/vi/cities/kanazawa/", HTTP_HOST="localhost", follow=True)
    assert followed.status_code == 200 and followed.context["city"].slug == "kanazawa-shi"


def test_a_former_address_another_city_has_taken_is_that_citys(seed, client):
    kanazawa = City.objects.get(slug="kanazawa")
    kanazawa.slug = "kanazawa-shi"
    kanazawa.save()
    toyama = City.objects.get(slug="toyama")
    toyama.slug = "kanazawa"  # as no one would, but the address is then Toyama's
    toyama.save()
    response = client.get("/en/cities/kanazawa/", HTTP_HOST="localhost")
    assert response.status_code == 200 and response.context["city"] == toyama
    # Toyama's own former address leads to it too.
    assert moved(client, "/en/cities/toyama/") == "/en/cities/kanazawa/"


def test_an_address_no_city_ever_had_or_a_deleted_citys_is_not_found(seed, client):
    assert client.get("/en/cities/atlantis/", HTTP_HOST="localhost").status_code == 404
    City.objects.get(slug="kanazawa").delete()
    assert client.get("/en/cities/kanazawa/", HTTP_HOST="localhost").status_code == 404
    assert client.get("/en/cities/Kanazawa/", HTTP_HOST="localhost").status_code == 404


def test_a_form_sent_to_a_former_address_is_not_sent_on(seed, client):
    kanazawa = City.objects.get(slug="kanazawa")
    kanazawa.slug = "kanazawa-shi"
    kanazawa.save()
    # A redirect would turn the report into a visit of the form, losing what was written.
    response = client.post("/en/cities/kanazawa/report/", {}, HTTP_HOST="localhost")
    assert response.status_code == 404


@pytest.mark.parametrize("typed", ["Kanazawa", "KANAZAWA", "kanazaWA"])
def test_a_city_address_typed_in_capitals_leads_to_the_citys_page(seed, client, typed):
    # Read off a poster or a printed card ("…/cities/Kanazawa/"): the slug is lower case.
    assert moved(client, f"/vi/cities/{typed}/") == "/vi/cities/kanazawa/"
    desk = Department.objects.filter(city__slug="kanazawa").first()
    card = f"/en/cities/{typed}/desks/{desk.pk}/staff-card/"
    assert moved(client, card) == f"/en/cities/kanazawa/desks/{desk.pk}/staff-card/"
