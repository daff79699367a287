"""A new city's slug (its public URL) follows one rule, whether loaded, imported or added in the
admin."""

import csv
import io

import pytest
from django.urls import reverse

from directory.importexport import importing, sync
from directory.importexport.published_table import parse_file
from directory.models import City, Prefecture, city_slug
from directory.roles import DIRECTORY_EDITORS
from tests.builders import make_city, make_staff, valid_code

pytestmark = pytest.mark.django_db

COLUMNS = ("code", "prefecture", "name", "name_ja", "name_kana", "number", "slug", "note")


def test_a_city_is_known_by_its_name_without_city_of_or_city():
    assert city_slug("City of Koriyama", "Fukushima") == "koriyama"
    assert city_slug("Aomori City", "Aomori") == "aomori"
    assert city_slug("Hakodate", "Hokkaido") == "hakodate"


def test_a_name_another_city_has_takes_its_prefecture_then_a_number():
    assert city_slug("Date City", "Fukushima", {"date"}) == "date-fukushima"
    assert city_slug("Date City", "Fukushima", {"date", "date-fukushima"}) == "date-fukushima-2"


def test_a_name_with_nothing_a_url_can_keep_still_gets_a_slug():
    assert city_slug("市", "Tokyo") == "city"


def test_a_very_long_name_is_cut_to_fit_even_with_its_prefecture():
    slug = city_slug("X" * 120, "Kagoshima", {"x" * 100})
    assert len(slug) <= City._meta.get_field("slug").max_length
    assert slug.endswith("-kagoshima")


def test_the_seeds_slugs_are_the_published_ones(seed):
    slugs = dict(City.objects.values_list("name", "slug"))
    assert slugs["City of Koriyama"] == "koriyama"
    assert slugs["Aomori City"] == "aomori"
    assert slugs["Hakodate"] == "hakodate"
    assert all("-" not in slug for slug in slugs.values())


def test_the_loader_and_the_csv_import_give_every_seed_city_the_same_slug():
    cities = [c.values for c in sync.plan(parse_file()).steps if c.kind == "city"]
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for city in cities:
        # The slug cell left empty: the import makes one.
        writer.writerow(
            [
                city["prefecture"].code if name == "prefecture" else city.get(name, "") or ""
                for name in COLUMNS[:6]
            ]
            + ["", city["note"]]
        )
    editor = make_staff("editor", DIRECTORY_EDITORS)
    report = importing.run_import(
        "cities", out.getvalue().encode(), "csv", user=editor, dry_run=False
    )
    assert report.applied, [str(error) for error in report.errors[:3]]
    assert dict(City.objects.values_list("code", "slug")) == {c["code"]: c["slug"] for c in cities}


def test_an_imported_city_whose_name_is_taken_gets_its_prefectures_name():
    make_city("07", "Date City", slug="date")
    editor = make_staff("editor", DIRECTORY_EDITORS)
    code = valid_code("01233")
    data = f"code,prefecture,name,name_ja,name_kana\r\n{code},01,Date City,伊達市,だてし\r\n"
    report = importing.run_import("cities", data.encode(), "csv", user=editor, dry_run=False)
    assert report.applied, [str(error) for error in report.errors]
    assert City.objects.get(code=code).slug == "date-hokkaido"


def test_an_empty_slug_cell_keeps_an_existing_citys_url(seed):
    editor = make_staff("editor", DIRECTORY_EDITORS)
    koriyama = City.objects.get(name="City of Koriyama")
    data = f"code,name,slug\r\n{koriyama.code},Koriyama City,\r\n"
    report = importing.run_import("cities", data.encode(), "csv", user=editor, dry_run=False)
    assert report.applied, [str(error) for error in report.errors]
    koriyama.refresh_from_db()
    assert (koriyama.name, koriyama.slug) == ("Koriyama City", "koriyama")


def add_city_in_the_admin(client, name, code, slug=""):
    """Post the admin's add form as a person leaving the slug field empty would."""
    data = {
        "prefecture": Prefecture.objects.get(code="07").pk,
        "name": name,
        "name_ja": "桜台市",
        "name_kana": "さくらだいし",
        "code": valid_code(code),
        "number": "",
        "note": "",
        "slug": slug,
        "last_verified": "",
        "departments-TOTAL_FORMS": "0",
        "departments-INITIAL_FORMS": "0",
        "class_links-TOTAL_FORMS": "0",
        "class_links-INITIAL_FORMS": "0",
        "_save": "Save",
    }
    return client.post(reverse("admin:directory_city_add"), data)


def test_a_city_added_in_the_admin_without_a_slug_gets_the_loaders_slug(admin_client):
    response = add_city_in_the_admin(admin_client, "City of Sakuradai", "07991")

    assert response.status_code == 302
    assert City.objects.get(code=valid_code("07991")).slug == "sakuradai"


def test_a_city_added_in_the_admin_under_a_taken_name_gets_its_prefectures_name(admin_client):
    make_city("13", "Sakuradai City", slug="sakuradai")

    response = add_city_in_the_admin(admin_client, "Sakuradai City", "07992")

    assert response.status_code == 302
    assert City.objects.get(code=valid_code("07992")).slug == "sakuradai-fukushima"


def test_a_slug_typed_in_the_admin_is_kept_and_a_taken_one_refused(admin_client):
    make_city("13", "Sakuradai City", slug="sakuradai")

    kept = add_city_in_the_admin(admin_client, "Sakuradai City", "07993", slug="sakura-07")
    refused = add_city_in_the_admin(admin_client, "Sakuradai City", "07994", slug="sakuradai")

    assert kept.status_code == 302
    assert City.objects.get(code=valid_code("07993")).slug == "sakura-07"
    assert refused.status_code == 200
    assert "slug" in refused.context["adminform"].form.errors


def test_emptying_a_citys_slug_in_the_admin_keeps_its_public_url(admin_client):
    city = make_city("07", "City of Sakuradai", slug="sakuradai-old")
    data = {
        field: getattr(city, field) or ""
        for field in ("prefecture_id", "name", "name_ja", "name_kana", "code", "note")
    }
    data["prefecture"] = data.pop("prefecture_id")
    data.update(
        {
            "slug": "",
            "departments-TOTAL_FORMS": "0",
            "departments-INITIAL_FORMS": "0",
            "class_links-TOTAL_FORMS": "0",
            "class_links-INITIAL_FORMS": "0",
        }
    )

    response = admin_client.post(reverse("admin:directory_city_change", args=[city.pk]), data)

    assert response.status_code == 302
    city.refresh_from_db()
    assert city.slug == "sakuradai-old"
