"""`load_published_table` writes the published table in one transaction, in place, and reports."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from directory.importexport import importing
from directory.importexport.published_table import DEFAULT_PATH, parse_file
from directory.models import City, ClassLink, Department, DepartmentPhone, Prefecture
from tests.builders import published_table_as_csv

pytestmark = pytest.mark.django_db


def load(*args):
    out = StringIO()
    call_command("load_published_table", *args, stdout=out)
    return out.getvalue()


def edited_copy(tmp_path, old, new):
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "core-cities.tsv"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def snapshot():
    return (
        list(City.objects.values_list("pk", "name", "number", "prefecture__name", "note")),
        list(Department.objects.values_list("pk", "city_id", "name", "url", "email", "position")),
        list(ClassLink.objects.values_list("pk", "city_id", "department_id", "url", "label")),
    )


def test_all_47_prefectures_exist_after_set_up():
    assert Prefecture.objects.count() == 47
    hyogo = Prefecture.objects.get(code="28")
    assert (hyogo.name, hyogo.name_ja, hyogo.region) == ("Hyogo", "兵庫県", "kinki")


def test_it_loads_the_seed_exactly():
    output = load()
    assert "cities: 62 new, 0 updated, 0 unchanged, 0 deleted" in output
    assert "departments: 68 new" in output
    assert "Japanese class links: 65 new" in output
    assert City.objects.count() == 62
    assert City.objects.values("prefecture").distinct().count() == 39
    assert Department.objects.count() == 68
    assert ClassLink.objects.count() == 65


def test_cities_get_their_japanese_name_reading_and_code():
    load()
    koriyama = City.objects.get(name="City of Koriyama")
    assert (koriyama.name_ja, koriyama.name_kana, koriyama.code) == (
        "郡山市",
        "こおりやまし",
        "072036",
    )
    assert koriyama.prefecture.name == "Fukushima"
    assert koriyama.number == 8
    naha = City.objects.get(code="472018")
    assert (naha.name, naha.number, naha.departments.count()) == ("Naha City", None, 0)
    assert naha.note.startswith("For Naha City, Okinawa a Japanese Language Education")


def test_class_links_keep_their_department_and_published_order():
    load()
    aomori = City.objects.get(name="Aomori City")
    assert [(link.department.name, link.url) for link in aomori.class_links.all()] == [
        (
            "Economics Division, Domestic and International Relations Section",
            "https://www.kokusai-koryu.jp/learn-japanese/",
        ),
        (
            "Aomori City Board of Education, Teaching Consultants Section",
            "https://www.hirodaimrr.or.jp/",
        ),
    ]
    matsuyama = ClassLink.objects.get(city__name="Matsuyama")
    assert matsuyama.label == "Matsuyama International Center (MIC)"
    toyonaka = City.objects.get(name="Toyonaka City")
    assert [d.name for d in toyonaka.departments.all()] == [
        "Human Rights Policy Division",
        "Social Education Division",
    ]
    assert list(City.objects.values_list("number", flat=True)) == [*range(1, 62), None]


def test_loading_the_same_file_twice_changes_nothing():
    load()
    before = snapshot()
    output = load()
    assert "cities: 0 new, 0 updated, 62 unchanged, 0 deleted" in output
    assert "departments: 0 new, 0 updated, 68 unchanged, 0 deleted" in output
    assert "Japanese class links: 0 new, 0 updated, 65 unchanged, 0 deleted" in output
    assert snapshot() == before


def test_a_newer_table_updates_records_in_place_and_reports_each_field(tmp_path):
    load()
    department = Department.objects.get(email="kanko@city.matsuyama.ehime.jp")
    path = edited_copy(
        tmp_path, "kanko[at]city.matsuyama.ehime.jp", "intl[at]city.matsuyama.ehime.jp"
    )
    output = load(str(path))
    assert "updated department: Tourism and International Exchange Division" in output
    assert "    E-mail: 'kanko@city.matsuyama.ehime.jp' -> 'intl@city.matsuyama.ehime.jp'" in output
    assert "departments: 0 new, 1 updated, 67 unchanged, 0 deleted" in output
    department.refresh_from_db()
    assert department.email == "intl@city.matsuyama.ehime.jp"


def test_a_japanese_preview_names_the_fields_a_load_changes_in_japanese(tmp_path):
    load()
    path = edited_copy(
        tmp_path, "kanko[at]city.matsuyama.ehime.jp", "intl[at]city.matsuyama.ehime.jp"
    )
    with translation.override("ja"):
        report = importing.run_import("cities", path.read_bytes(), "published", dry_run=True)
    [change] = [change for change in report.changes if change.action == "updated"]
    assert change.fields == [
        ("メール", "kanko@city.matsuyama.ehime.jp", "intl@city.matsuyama.ehime.jp")
    ]


def test_a_city_the_association_newly_lists_loads_with_japan_posts_code_name_and_reading(
    places, tmp_path
):
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    last = next(line for line in text.splitlines(keepends=True) if line.startswith("61\t"))
    added = (
        "62\tShiga\tKusatsu City\tInternational Desk\thttps://example.jp/\tdesk[at]example.jp\t\n"
    )
    path = tmp_path / "core-cities.tsv"
    path.write_text(text.replace(last, last + added), encoding="utf-8")
    output = load(str(path))
    assert "cities: 1 new" in output
    city = City.objects.get(name="Kusatsu City")
    # Not in fixtures/municipalities.tsv: read from Japan Post's data, one city of that name.
    assert (city.code, city.name_ja, city.name_kana) == ("252069", "草津市", "くさつし")


KORIYAMA_DESK = "Equality, Intercultural Society, and Youth Empowerment Division"


def test_a_renamed_department_keeps_its_id_and_what_staff_added_to_it(tmp_path):
    load()
    desk = Department.objects.get(name=KORIYAMA_DESK)
    DepartmentPhone.objects.create(department=desk, number="024-924-0000")
    # Same e-mail, new name: the city reorganised the division.
    path = edited_copy(tmp_path, KORIYAMA_DESK, "Intercultural Society Division")
    output = load(str(path))
    assert "updated department: Intercultural Society Division (City of Koriyama)" in output
    assert f"    Name: '{KORIYAMA_DESK}' -> 'Intercultural Society Division'" in output
    assert "departments: 0 new, 1 updated, 67 unchanged, 0 deleted" in output
    desk.refresh_from_db()
    assert desk.name == "Intercultural Society Division"
    assert [phone.national for phone in desk.phones.all()] == ["024-924-0000"]
    assert desk.class_links.count() == 1


def test_a_new_desk_sharing_only_the_city_home_page_is_not_taken_for_a_removed_one(tmp_path):
    load()
    # Hakodate's desk gives the city's home page and its own address; both change here.
    old = "International and Intercity Affairs Section, Planning Department"
    path = edited_copy(
        tmp_path,
        f"{old}\thttps://www.city.hakodate.hokkaido.jp\thkd-intl",
        ("Civic Exchange Section\thttps://www.city.hakodate.hokkaido.jp\thkd-civic"),
    )
    with pytest.raises(CommandError, match="--allow-removals"):
        call_command("load_published_table", str(path), stdout=StringIO())
    output = load(str(path), "--allow-removals")
    assert "new department: Civic Exchange Section (Hakodate)" in output
    assert f"deleted department: {old} (Hakodate)" in output


TOTTORI_FOUNDATION = (
    " https://www.torisakyu.or.jp/ja/1/learning/ "
    "(Tottori Prefectural International Exchange Foundation)"
)


def test_a_link_dropped_from_the_table_is_removed_and_reported(tmp_path):
    load()
    path = edited_copy(tmp_path, TOTTORI_FOUNDATION, "")
    output = load(str(path), "--allow-removals")
    assert "deleted class link: https://www.torisakyu.or.jp/ja/1/learning/ (Tottori)" in output
    assert "Japanese class links: 0 new, 0 updated, 64 unchanged, 1 deleted" in output
    assert not ClassLink.objects.filter(url__contains="torisakyu").exists()


def test_a_table_cut_short_is_refused_and_changes_nothing_without_allow_removals(tmp_path):
    load()
    before = snapshot()
    lines = DEFAULT_PATH.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "core-cities.tsv"
    path.write_text("".join(lines[: len(lines) // 2]), encoding="utf-8")
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("load_published_table", str(path), stdout=out)
    kept = [record.name for record in parse_file(path)]
    gone = City.objects.exclude(name__in=kept)
    # Each city left out goes with its desks and classes, and all are counted.
    removals = sum(1 + city.departments.count() + city.class_links.count() for city in gone)
    assert gone.count() > 20
    message = str(caught.value)
    assert f"this file removes {removals} records" in message and "--allow-removals" in message
    assert f"cities: 0 new, 0 updated, {len(kept)} unchanged, {gone.count()} deleted" in (
        out.getvalue()
    )
    assert "deleted city: Okazaki (Aichi)" in out.getvalue()
    assert snapshot() == before

    output = load(str(path), "--allow-removals")
    assert City.objects.count() == len(kept)
    assert set(City.objects.values_list("name", flat=True)) == set(kept)
    assert "deleted class link: https://honyaku.j-server.com/LUCOKZKC/" in output


def test_a_dry_run_needs_no_allow_removals(tmp_path):
    load()
    path = edited_copy(tmp_path, TOTTORI_FOUNDATION, "")
    assert "Japanese class links: 0 new, 0 updated, 64 unchanged, 1 deleted" in load(
        str(path), "--dry-run"
    )


def test_swapped_numbers_load_without_tripping_uniqueness(tmp_path):
    load()
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    text = text.replace("\n1\tHokkaido\tHakodate", "\n2\tHokkaido\tHakodate", 1)
    text = text.replace("\n2\tHokkaido\tAsahikawa", "\n1\tHokkaido\tAsahikawa", 1)
    path = tmp_path / "swapped.tsv"
    path.write_text(text, encoding="utf-8")
    hakodate = City.objects.get(name="Hakodate")
    output = load(str(path))
    assert "    No.: '1' -> '2'" in output
    hakodate.refresh_from_db()
    assert hakodate.number == 2
    assert City.objects.get(name="Asahikawa").number == 1


def test_a_dry_run_reports_and_writes_nothing(tmp_path):
    output = load("--dry-run")
    assert "cities: 62 new" in output
    assert "Dry run: nothing was written." in output
    assert not City.objects.exists()


def test_a_malformed_table_loads_nothing_and_names_the_line(tmp_path):
    load()
    before = snapshot()
    path = edited_copy(tmp_path, "https://www.city.gifu.lg.jp/\t", "javascript:alert(1)\t")
    err = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("load_published_table", str(path), stdout=StringIO(), stderr=err)
    assert "line 37, column URL" in err.getvalue()
    assert "The file has 1 problem. Nothing was imported" in str(caught.value)
    assert snapshot() == before


def test_a_long_refused_cell_is_quoted_once_cut_at_100_characters_as_every_import_does(tmp_path):
    name = "\x07" + "International Affairs Division " * 5
    path = edited_copy(
        tmp_path,
        "\tInternational Affairs Division\thttps://www.city.gifu",
        f"\t{name}\thttps://www.city.gifu",
    )
    err = StringIO()
    with translation.override("en"), pytest.raises(CommandError, match="The file has 1 problem"):
        call_command("load_published_table", str(path), stdout=StringIO(), stderr=err)
    quoted = ("<U+0007>" + name[1:])[:99] + "…"
    assert err.getvalue().splitlines() == [
        f"{path}: line 37, column Department in Charge: “{quoted}” contains a control character "
        "(U+0007)."
    ]
    assert not City.objects.exists()


def test_a_cell_longer_than_csv_reads_in_the_table_saved_as_csv_is_named_by_column_and_start(
    tmp_path,
):
    text = published_table_as_csv()
    old = ",International Affairs Division,https://www.city.gifu"
    assert old in text
    name = "International Affairs Division " + "x" * 140_000
    path = tmp_path / "core-cities.csv"
    path.write_text(text.replace(old, f",{name},https://www.city.gifu"), encoding="utf-8")
    err = StringIO()
    with translation.override("en"), pytest.raises(CommandError, match="The file has 1 problem"):
        call_command("load_published_table", str(path), stdout=StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        f"{path}: line 37, column Department in Charge, value “{name[:99]}…”: a cell holds more "
        "than 131,072 characters, more than an import reads: check that each cell's opening "
        'quote (") is closed, or shorten the cell.'
    ]
    assert not City.objects.exists()


def test_a_city_missing_from_the_facts_is_refused_by_line(tmp_path):
    path = edited_copy(tmp_path, "\tGifu\tGifu City\t", "\tGifu\tOgaki City\t")
    err = StringIO()
    with pytest.raises(CommandError, match="The file has 1 problem"):
        call_command("load_published_table", str(path), stdout=StringIO(), stderr=err)
    assert "line 37: Ogaki City (Gifu) is not in the" in err.getvalue()
    assert not City.objects.exists()


def test_if_empty_leaves_an_edited_directory_alone():
    load()
    City.objects.filter(name="Hakodate").update(note="Edited by staff")
    output = load("--if-empty")
    assert "already has cities" in output
    assert City.objects.get(name="Hakodate").note == "Edited by staff"


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        load(str(tmp_path / "nope.tsv"))
