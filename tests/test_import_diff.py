"""What the import preview lists for each row, from import-export's own diff of the record."""

import pytest

from directory.importexport import importing
from directory.models import City, ClassLink
from directory.roles import DIRECTORY_EDITORS
from tests.builders import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    return make_staff("editor", DIRECTORY_EDITORS)


def preview(editor, text):
    report = importing.run_import("class-links", text.encode(), "csv", user=editor)
    assert report.ok, [str(error) for error in report.errors]
    return report


def test_a_new_record_shows_only_the_values_it_is_given(seed, editor):
    code = City.objects.get(name="City of Koriyama").code
    report = preview(editor, f"city,url,label\r\n{code},https://example.jp/new,にほんご\r\n")
    [change] = report.changes
    assert change.action == "new"
    assert ("url", "", "https://example.jp/new") in change.fields
    assert ("label", "", "にほんご") in change.fields
    assert all(old == "" and new != "" for _, old, new in change.fields)


def test_a_removed_record_shows_what_it_held_and_an_unchanged_one_nothing(seed, editor):
    link, kept = ClassLink.objects.select_related("city").exclude(label="")[:2]
    text = (
        f"city,url,label,delete\r\n{link.city.code},{link.url},,yes\r\n"
        f"{kept.city.code},{kept.url},{kept.label},\r\n"
    )
    report = preview(editor, text)
    assert report.counts["deleted"] == 1 and report.counts["unchanged"] == 1
    [change] = report.changes
    assert ("url", link.url, "") in change.fields and ("label", link.label, "") in change.fields
