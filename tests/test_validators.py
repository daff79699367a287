"""Control characters and out-of-range numbers are refused in the admin, the imports and the
published table alike, with a message naming the value; nothing is stored."""

import io
import json

import openpyxl
import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from directory.importexport import importing
from directory.importexport.published_table import DEFAULT_PATH, PublishedTableError, parse
from directory.models import City, ClassLink, Department, ProblemReport
from directory.roles import DIRECTORY_EDITORS
from directory.validators import validate_multi_line_text, validate_single_line_text
from tests.builders import city_form, department_form, make_city, make_staff, sign_in

pytestmark = pytest.mark.django_db

HAKODATE = "012025"
ESC = "\x1b"
BEL = "\x07"


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def editor(client, seed):
    return sign_in(client, make_staff("editor", DIRECTORY_EDITORS))


def csv_of(*rows):
    return "\n".join(",".join(row) for row in rows).encode()


# --- the validators ---


@pytest.mark.parametrize(
    ("text", "character"),
    [
        (f"Hakodate{ESC}[31m", "U+001B"),
        (f"Desk{BEL}", "U+0007"),
        ("Desk\x7f", "U+007F"),
        ("Desk\x9b31m", "U+009B"),
        ("Desk\tDesk", "U+0009"),
        # A byte-order mark left in mid-text, and a name shown reversed (“kseD” reads “Desk”).
        ("Desk\ufeffDesk", "U+FEFF"),
        ("\u202ekseD", "U+202E"),
        ("Desk \u2067x\u2069", "U+2067"),
    ],
)
def test_a_single_line_refuses_a_control_character_naming_it(text, character):
    with pytest.raises(ValidationError) as refused:
        validate_single_line_text(text)
    message = refused.value.messages[0]
    assert f"contains a control character ({character})" in message
    # The value is shown with the character written out, never as itself.
    assert f"<{character}>" in message and text not in message


@pytest.mark.parametrize("text", ["福島県郡山市朝日1-1-1\n本庁舎2階", "Desk\r\nDesk"])
def test_a_single_line_refuses_a_line_break_calling_it_one(text):
    with pytest.raises(ValidationError) as refused:
        validate_single_line_text(text)
    assert refused.value.messages[0].endswith(
        "is on more than one line: write it on one line (no line breaks)."
    )
    with translation.override("ja"):
        with pytest.raises(ValidationError) as refused:
            validate_single_line_text(text)
        assert "改行" in refused.value.messages[0]


def test_text_of_several_lines_keeps_tabs_and_line_breaks_but_not_escapes():
    validate_multi_line_text("Closed on Mondays.\r\n\tAsk the desk.\nThank you.")
    # A visitor's message pasted from a chat, a name in it set off by isolates they cannot see.
    validate_multi_line_text("Ask \u2068Nguyễn\u2069 at the desk.")
    with pytest.raises(ValidationError, match=r"control character \(U\+001B\)"):
        validate_multi_line_text(f"Closed{ESC}[2J")


def test_names_in_any_script_pass():
    for name in ("髙﨑教室① (MIC)", "Tiếng Việt – Lớp học", "ひらがな", "Nāha"):
        validate_single_line_text(name)


# --- the admin ---


def _class_link_post(link, **changes):
    data = {
        "city": link.city_id,
        "department": link.department_id or "",
        "url": link.url,
        "label": link.label,
        "position": link.position,
    }
    return {**data, **changes}


def _city_post(city, **changes):
    data = city_form(city)
    # The change page's inline forms, each posted as it stands.
    departments = list(city.departments.all())
    data["departments-TOTAL_FORMS"] = data["departments-INITIAL_FORMS"] = len(departments)
    for index, department in enumerate(departments):
        fields = department_form(department, id=department.pk, city=city.pk)
        data.update({f"departments-{index}-{name}": value for name, value in fields.items()})
    return {**data, **changes}


def _post(client, obj, data):
    url = reverse(f"admin:directory_{obj._meta.model_name}_change", args=[obj.pk])
    return client.post(url, data)


def _form_errors(response):
    assert response.status_code == 200, "the form was saved"
    return response.context["adminform"].form.errors


def test_the_admin_refuses_an_escape_or_bell_in_names_and_labels(editor):
    city = City.objects.get(code=HAKODATE)
    department = city.departments.first()
    link = ClassLink.objects.filter(city=city).first()
    attempts = [
        (city, _city_post(city, name=f"Hakodate{ESC}[31m"), "name", "U+001B"),
        (city, _city_post(city, name_ja=f"函館市{BEL}"), "name_ja", "U+0007"),
        (department, department_form(department, name=f"Desk{BEL}"), "name", "U+0007"),
        (link, _class_link_post(link, label=f"{ESC}]0;owned{BEL}"), "label", "U+001B"),
        (link, _class_link_post(link, url=f"https://example.jp/{ESC}[2J"), "url", "U+001B"),
    ]
    for obj, data, field, character in attempts:
        errors = _form_errors(_post(editor, obj, data))
        assert f"contains a control character ({character})" in errors[field][0]
    city.refresh_from_db()
    department.refresh_from_db()
    link.refresh_from_db()
    assert (city.name, city.name_ja) == ("Hakodate", "函館市")
    assert ESC not in department.name + link.label + link.url and BEL not in department.name


def test_the_admin_keeps_tabs_and_line_breaks_in_a_citys_note(editor):
    city = City.objects.get(code=HAKODATE)
    note = "The desk moved.\r\n\tSee the new address."
    response = _post(editor, city, _city_post(city, note=note))
    assert response.status_code == 302
    city.refresh_from_db()
    # Each line break kept as LF, the one rule of imports too (directory.forms.MultiLineField).
    assert city.note == "The desk moved.\n\tSee the new address."


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (999999999, "999999999 is more than 32767, the largest number allowed here."),
        (32768, "32768 is more than 32767, the largest number allowed here."),
        (-1, "greater than or equal to 0"),
    ],
)
def test_the_admin_refuses_a_position_or_number_out_of_the_databases_range(editor, value, message):
    city = City.objects.get(code=HAKODATE)
    department = city.departments.first()
    link = ClassLink.objects.filter(city=city).first()
    attempts = [
        (city, _city_post(city, number=value), "number"),
        (department, department_form(department, position=value), "position"),
        (link, _class_link_post(link, position=value), "position"),
    ]
    for obj, data, field in attempts:
        assert message in _form_errors(_post(editor, obj, data))[field][0]
    assert City.objects.get(pk=city.pk).number == 1
    assert Department.objects.get(pk=department.pk).position == department.position
    assert ClassLink.objects.get(pk=link.pk).position == link.position


def test_the_admin_takes_the_largest_position_both_databases_hold(editor):
    department = City.objects.get(code=HAKODATE).departments.first()
    response = _post(editor, department, department_form(department, position=32767))
    assert response.status_code == 302
    assert Department.objects.get(pk=department.pk).position == 32767


def test_a_visitors_report_keeps_line_breaks_but_not_an_escape(client):
    cache.clear()  # the per-address limit counts in the cache
    city = make_city(name="Reportville")
    url = reverse("directory:city-report", args=[city.slug])
    # Sent, the escape as a space: it reaches no staff's terminal, and the visitor, who cannot
    # see it, is not asked to delete it.
    response = client.post(url, {"kind": "other", "message": f"Link gone{ESC}[2J"})
    assert response.status_code == 302
    assert ProblemReport.objects.get().message == "Link gone [2J"
    message = "The class link is gone.\r\n\tThe one below works."
    assert client.post(url, {"kind": "other", "message": message}).status_code == 302
    # As LF, the line break a browser's maxlength counted as one character.
    assert ProblemReport.objects.latest("pk").message == message.replace("\r\n", "\n")


# --- imports ---


def _errors(report):
    return [(error.line, error.column, error.message) for error in report.errors]


def test_an_import_refuses_control_characters_naming_row_column_and_value(seed):
    department = Department.objects.get(city__code=HAKODATE)
    files = [
        ("cities", csv_of(("code", "name"), (HAKODATE, f"Hakodate{ESC}[31m")), "name"),
        ("departments", csv_of(("city", "name"), (HAKODATE, f"Desk{BEL}")), "name"),
        (
            "class-links",
            csv_of(("city", "url", "label"), (HAKODATE, "https://example.jp/n", f"MIC{ESC}")),
            "label",
        ),
    ]
    for kind, data, column in files:
        report = importing.run_import(kind, data, "csv", dry_run=False)
        [(line, named, message)] = _errors(report)
        assert (line, named) == (2, column)
        assert "contains a control character (U+" in message
        assert "<U+001B>" in message or "<U+0007>" in message
        assert str(report.errors[0]).startswith(f"line 2, column {column}: ")
    assert City.objects.get(code=HAKODATE).name == "Hakodate"
    assert list(Department.objects.filter(city__code=HAKODATE)) == [department]
    assert not ClassLink.objects.filter(url="https://example.jp/n").exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_an_import_refuses_a_byte_order_mark_left_inside_a_name_naming_row_column_and_value(
    seed, fmt
):
    name = "Hakodate\ufeff International"
    rows = [{"code": HAKODATE, "name": name}]
    if fmt == "json":
        data = json.dumps(rows).encode()
    elif fmt == "xlsx":
        workbook = openpyxl.Workbook()
        workbook.active.append(["code", "name"])
        workbook.active.append([HAKODATE, name])
        out = io.BytesIO()
        workbook.save(out)
        data = out.getvalue()
    else:
        data = csv_of(("code", "name"), (HAKODATE, name))
    report = importing.run_import("cities", data, fmt, dry_run=False)
    line = 1 if fmt == "json" else 2
    assert [str(error) for error in report.errors] == [
        f"line {line}, column name: “Hakodate<U+FEFF> International” contains a control "
        "character (U+FEFF)."
    ]
    assert City.objects.get(code=HAKODATE).name == "Hakodate"


def test_an_import_refuses_a_nul_or_escape_before_looking_anything_up(seed):
    # JSON can spell a NUL (\u0000), which PostgreSQL cannot compare with a prefecture's code.
    files = [
        ("cities", [{"code": HAKODATE, "prefecture": "\x00"}], "prefecture", "U+0000"),
        ("departments", [{"city": f"{ESC}[2J", "name": "Desk"}], "city", "U+001B"),
        ("class-links", [{"city": HAKODATE, "url": "https://example.jp/n\x00"}], "url", "U+0000"),
    ]
    for kind, rows, column, character in files:
        report = importing.run_import(kind, json.dumps(rows).encode(), "json", dry_run=False)
        [(line, named, message)] = _errors(report)
        assert (line, named) == (1, column)
        assert f"contains a control character ({character})" in message
        assert "\x00" not in message and ESC not in message
    assert City.objects.get(code=HAKODATE).prefecture.code == "01"
    assert not ClassLink.objects.filter(url__startswith="https://example.jp/n").exists()


def test_an_import_keeps_line_breaks_in_a_citys_note(seed):
    data = csv_of(("code", "note"), (HAKODATE, '"Moved.\r\n\tNew address."'))
    report = importing.run_import("cities", data, "csv", dry_run=False)
    assert report.ok, report.errors
    # Kept as LF, as a workbook's cell has them (cells.with_lf).
    assert City.objects.get(code=HAKODATE).note == "Moved.\n\tNew address."


def test_an_import_refuses_numbers_out_of_the_databases_range_naming_the_value(seed):
    data = csv_of(
        ("city", "url", "position"),
        (HAKODATE, "https://example.jp/a", "999999999"),
        (HAKODATE, "https://example.jp/b", "32768"),
        (HAKODATE, "https://example.jp/c", "-1"),
        (HAKODATE, "https://example.jp/d", "32767"),
    )
    report = importing.run_import("class-links", data, "csv", dry_run=False)
    assert _errors(report) == [
        (2, "position", "999999999 is more than 32767, the largest number allowed here."),
        (3, "position", "32768 is more than 32767, the largest number allowed here."),
        (4, "position", "-1 is less than 0, the smallest number allowed here."),
    ]
    assert not ClassLink.objects.filter(url__startswith="https://example.jp/").exists()
    cities = csv_of(("code", "number"), (HAKODATE, "999999999"))
    report = importing.run_import("cities", cities, "csv", dry_run=False)
    assert _errors(report) == [
        (2, "number", "999999999 is more than 32767, the largest number allowed here.")
    ]
    assert City.objects.get(code=HAKODATE).number == 1


def test_an_import_takes_the_largest_number_both_databases_hold(seed):
    data = csv_of(("city", "url", "position"), (HAKODATE, "https://example.jp/d", "32767"))
    report = importing.run_import("class-links", data, "csv", dry_run=False)
    assert report.ok, report.errors
    assert ClassLink.objects.get(url="https://example.jp/d").position == 32767


# --- the published table ---


def _seed_table(old, new):
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


def test_the_published_table_refuses_a_control_character_naming_line_column_and_value(seed):
    table = _seed_table("\tHakodate\t", f"\tHakodate{ESC}[31m\t")
    with pytest.raises(PublishedTableError) as refused:
        parse(table)
    assert refused.value.column == 2  # the City column
    assert "“Hakodate<U+001B>[31m” contains a control character (U+001B)" in str(refused.value)
    report = importing.run_import("cities", table.encode(), "published", dry_run=False)
    [(line, column, message)] = _errors(report)
    assert (line, column) == (refused.value.line, "City") and "U+001B" in message
    assert City.objects.get(code=HAKODATE).name == "Hakodate"


def test_the_published_table_refuses_a_bell_in_a_providers_name(seed):
    table = _seed_table("(Asahikawa International Committee)", f"(Asahikawa{BEL} Committee)")
    with pytest.raises(PublishedTableError, match=r"U\+0007") as refused:
        parse(table)
    assert refused.value.column == 6  # Japanese Class Information


def test_the_published_table_refuses_a_number_out_of_the_databases_range(seed):
    table = _seed_table("\n1\tHokkaido\tHakodate\t", "\n999999999\tHokkaido\tHakodate\t")
    report = importing.run_import("cities", table.encode(), "published", dry_run=False)
    [(line, column, message)] = _errors(report)
    assert column == "No."
    assert message == "999999999 is more than 32767, the largest number allowed here."
    assert City.objects.get(code=HAKODATE).number == 1
