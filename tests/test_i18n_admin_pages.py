"""Every admin page reads in Japanese for a Japanese browser: none of our strings left in English.

As the public pages' test does: the strings of our catalogue an English page shows must not show
on the same page in Japanese.
"""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from directory.importexport import exporting
from directory.models import City, Department, LinkCheck, ProblemReport
from tests.builders import make_app, make_staff, sign_in
from tests.test_i18n_pages import catalogue, pattern, visible_text

# The file's own column names (position, name...) are data, shown as the file has them.
FILE_COLUMNS = re.compile(
    r"<code>.*?</code>|<strong>[^<]*</strong>(?=:)|<td>[a-z_]+</td>", re.DOTALL
)
# Django's own, written in its template without a translation tag (the search box's icon).
DJANGO_LITERALS = {"Search"}


def english_left(english_html, japanese_html):
    """Our catalogue's strings the English page shows that the Japanese page shows in English."""
    english = visible_text(FILE_COLUMNS.sub(" ", english_html), "en")
    japanese = visible_text(FILE_COLUMNS.sub(" ", japanese_html), "ja")
    entries = [entry for entry in catalogue("ja") if entry.msgid.strip()]
    shown = [
        entry
        for entry in entries
        if any(pattern(text).search(english) for text in (entry.msgid, entry.msgid_plural) if text)
    ]
    # "city" shows only as part of "Check the links of the selected cities": whole strings only.
    shown = [
        entry
        for entry in shown
        if not any(entry.msgid in other.msgid for other in shown if other is not entry)
    ]
    assert shown, "no catalogue string found on the English page"
    left = []
    for entry in shown:
        forms = [entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values())
        if entry.msgid in DJANGO_LITERALS:
            continue
        if entry.msgid not in forms and pattern(entry.msgid).search(japanese):
            left.append(entry.msgid)
    return left


@pytest.fixture
def superuser_client(client, seed):
    user = make_staff("root", superuser=True)
    make_app(user)
    return sign_in(client, user)


def both(client, url, **post):
    """The page in English and in Japanese (a form posted to it in each language)."""
    pages = []
    for language in ("en", "ja"):
        headers = {"accept-language": language}
        if post:
            data = {k: v() if callable(v) else v for k, v in post.items()}
            response = client.post(url, data, headers=headers, follow=True)
        else:
            response = client.get(url, headers=headers, follow=True)
        assert response.status_code == 200, (url, language)
        pages.append(response.content.decode())
    return pages


def pages():
    koriyama = City.objects.get(name="City of Koriyama")
    department = Department.objects.filter(city=koriyama).first()
    LinkCheck.objects.create(url=department.url, error="dns", checked_at=timezone.now())
    report = ProblemReport.objects.create(city=koriyama, kind="wrong-email", message="bounced")
    koriyama.save()  # a second version in its history
    return {
        "dashboard": reverse("admin:index"),
        "cities": reverse("admin:directory_city_changelist"),
        "city": reverse("admin:directory_city_change", args=[koriyama.pk]),
        "city history": reverse("admin:directory_city_history", args=[koriyama.pk]),
        "departments": reverse("admin:directory_department_changelist"),
        "department": reverse("admin:directory_department_change", args=[department.pk]),
        "class links": reverse("admin:directory_classlink_changelist"),
        "link checks": reverse("admin:directory_linkcheck_changelist"),
        "reports": reverse("admin:directory_problemreport_changelist"),
        "report": reverse("admin:directory_problemreport_change", args=[report.pk]),
        "import": reverse("admin:directory_department_import"),
        "export": reverse("admin:directory_department_export"),
        "language": reverse("admin:language"),
        "two-factor": reverse("admin:two_factor"),
    }


def test_each_admin_page_has_none_of_our_strings_left_in_english(superuser_client):
    for name, url in pages().items():
        english, japanese = both(superuser_client, url)
        assert '<html lang="ja"' in japanese, name
        assert english_left(english, japanese) == [], name
        assert english_left(english, english), f"{name}: the check finds English on it"


def test_an_imports_errors_and_its_preview_are_in_japanese(superuser_client, seed):
    url = reverse("admin:directory_department_import")
    rows = list(csv.reader(io.StringIO(exporting.export("departments", "csv").decode("utf-8-sig"))))
    header, first = rows[0], rows[1]
    position = header.index("position")

    def with_position(value):
        out = io.StringIO()
        csv.writer(out).writerows([header, [*first[:position], value, *first[position + 1 :]]])
        return out.getvalue()

    def upload(text):
        return lambda: SimpleUploadedFile("desks.csv", text.encode(), "text/csv")

    english, japanese = both(superuser_client, url, import_file=upload(with_position("first")))
    assert "「first」は整数ではありません" in japanese
    assert english_left(english, japanese) == []
    english, japanese = both(superuser_client, url, import_file=upload(with_position("9")))
    assert "のプレビュー" in japanese and "更新 1 件" in japanese and ">更新<" in japanese
    assert english_left(english, japanese) == []


def test_third_party_pages_read_in_japanese_where_their_apps_have_no_japanese(superuser_client):
    koriyama = City.objects.get(name="City of Koriyama")
    koriyama.save()
    ja = {"accept-language": "ja"}
    export = superuser_client.get(reverse("admin:directory_department_export"), headers=ja)
    assert "次の列をエクスポートします：" in export.text
    history = superuser_client.get(
        reverse("admin:directory_city_history", args=[koriyama.pk]), headers=ja
    )
    assert "以前の版に戻すには、下の一覧から日時を選んでください。" in history.text
    assert "<td>変更</td>" in history.text and "郡山市" in history.text
    axes = superuser_client.get(reverse("admin:axes_accessattempt_changelist"), headers=ja)
    assert "ログイン試行" in axes.text and "access attempt" not in axes.text
