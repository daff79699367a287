"""Bulk writes (the published-table loader, imports) keep each record's history: who, why, what."""

import pytest

from directory.importexport import importing, sync
from directory.importexport.published_table import DEFAULT_PATH, parse
from directory.models import City, ClassLink, Department
from directory.roles import DIRECTORY_EDITORS
from tests.builders import make_staff

pytestmark = pytest.mark.django_db

KORIYAMA = "City of Koriyama"


def load(text, user=None, reason=""):
    return sync.apply(sync.plan(parse(text)), user=user, reason=reason)


def test_the_loader_keeps_who_and_why_for_each_record_it_creates_changes_or_removes():
    editor = make_staff("editor", DIRECTORY_EDITORS)
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    load(text, editor, "First load")
    koriyama = City.objects.get(name=KORIYAMA)
    department = Department.objects.filter(city=koriyama).first()
    link = ClassLink.objects.filter(city=koriyama).first()
    [created] = koriyama.history.all()
    assert (created.history_type, created.history_user, created.history_change_reason) == (
        "+",
        editor,
        "First load",
    )

    row = next(line for line in text.splitlines() if KORIYAMA in line)
    cells = row.split("\t")
    cells[4], cells[6] = "https://example.jp/new-desk", ""  # the desk moves, the class goes
    edited = text.replace(row, "\t".join(cells))
    load(edited, editor, "Second load")

    latest = department.history.latest()
    assert (latest.history_type, latest.url, latest.history_user) == (
        "~",
        "https://example.jp/new-desk",
        editor,
    )
    assert latest.history_change_reason == "Second load"
    removed = ClassLink.history.filter(id=link.pk).latest()
    assert (removed.history_type, removed.history_user, removed.history_change_reason) == (
        "-",
        editor,
        "Second load",
    )
    assert koriyama.history.count() == 1  # the city itself did not change


def test_an_import_from_a_file_with_a_very_long_name_is_kept_in_history(seed):
    editor = make_staff("editor", DIRECTORY_EDITORS)
    koriyama = City.objects.get(name=KORIYAMA)
    data = f"city,url,label\r\n{koriyama.code},https://example.jp/long,にほんご\r\n".encode()
    name = "教室" * 100 + ".csv"
    report = importing.run_import(
        "class-links", data, "csv", user=editor, dry_run=False, file_name=name
    )
    assert report.applied, [str(error) for error in report.errors]
    [record] = ClassLink.objects.get(url="https://example.jp/long").history.all()
    assert record.history_change_reason.startswith(f"Import #{report.log_id}: 教室教室")
    assert record.history_user == editor
