"""Every admin page reads in Japanese for a Japanese browser: none of our strings left in English.

As the public pages' test does: the strings of our catalogue an English page shows must not show
on the same page in Japanese.
"""

import csv
import html
import io
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from directory.importexport import exporting
from directory.models import City, Department, LinkCheck, ProblemReport
from directory.roles import CITY_EDITORS, DIRECTORY_EDITORS
from directory.twofactor import AuthenticatorApp, RecoveryCodes, new_recovery_codes
from tests.builders import make_app, make_city, make_staff, sign_in
from tests.test_i18n_pages import catalogue, shows, visible_text

# The file's own column names (position, name...) are data, shown as the file has them.
FILE_COLUMNS = re.compile(
    r"<code>.*?</code>|<strong>[^<]*</strong>(?=:)|<td>[a-z_]+</td>", re.DOTALL
)
# Django's own, written in its template without a translation tag (the search box's icon).
DJANGO_LITERALS = {"Search"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
WORD = re.compile(r"[A-Za-z]")


def english_left(english_html, japanese_html):
    """Our catalogue's strings the English page shows that the Japanese page shows in English."""
    english = visible_text(FILE_COLUMNS.sub(" ", english_html), "en")
    japanese = visible_text(FILE_COLUMNS.sub(" ", japanese_html), "ja")
    entries = [entry for entry in catalogue("ja") if entry.msgid.strip()]
    shown = [
        entry
        for entry in entries
        if any(shows(english, text) for text in (entry.msgid, entry.msgid_plural) if text)
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
        if entry.msgid in DJANGO_LITERALS or not WORD.search(PLACEHOLDER.sub("", entry.msgid)):
            continue  # a pattern with no word of English in it ("%(first)s – %(last)s")
        if entry.msgid not in forms and shows(japanese, entry.msgid):
            left.append(entry.msgid)
    return left


@pytest.fixture
def superuser_client(client, seed):
    user = make_staff("root", superuser=True)
    make_app(user)
    new_recovery_codes(user)
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
    check = LinkCheck.objects.create(url=department.url, error="dns", checked_at=timezone.now())
    report = ProblemReport.objects.create(city=koriyama, kind="wrong-email", message="bounced")
    koriyama.save()  # a second version in its history
    editor = make_staff("hanako", CITY_EDITORS, cities=[koriyama])
    make_city().delete()  # listed under "Deleted cities"
    group = Group.objects.get(name=CITY_EDITORS)
    app, codes = AuthenticatorApp.objects.get(), RecoveryCodes.objects.get()
    return {
        "dashboard": reverse("admin:index"),
        "cities": reverse("admin:directory_city_changelist"),
        "city": reverse("admin:directory_city_change", args=[koriyama.pk]),
        "city history": reverse("admin:directory_city_history", args=[koriyama.pk]),
        "deleted cities": reverse("admin:directory_city_deleted"),
        "departments": reverse("admin:directory_department_changelist"),
        "department": reverse("admin:directory_department_change", args=[department.pk]),
        "class links": reverse("admin:directory_classlink_changelist"),
        "link checks": reverse("admin:directory_linkcheck_changelist"),
        "link check": reverse("admin:directory_linkcheck_change", args=[check.pk]),
        "reports": reverse("admin:directory_problemreport_changelist"),
        "report": reverse("admin:directory_problemreport_change", args=[report.pk]),
        "import": reverse("admin:directory_department_import"),
        "export": reverse("admin:directory_department_export"),
        "language": reverse("admin:language"),
        "two-factor": reverse("admin:two_factor"),
        "groups": reverse("admin:auth_group_changelist"),
        "group": reverse("admin:auth_group_change", args=[group.pk]),
        "delete group": reverse("admin:auth_group_delete", args=[group.pk]),
        "group history": reverse("admin:auth_group_history", args=[group.pk]),
        "users": reverse("admin:auth_user_changelist"),
        "user": reverse("admin:auth_user_change", args=[editor.pk]),
        "delete user": reverse("admin:auth_user_delete", args=[editor.pk]),
        "authenticator apps": reverse("admin:directory_authenticatorapp_changelist"),
        "authenticator app": reverse("admin:directory_authenticatorapp_change", args=[app.pk]),
        "delete authenticator app": reverse(
            "admin:directory_authenticatorapp_delete", args=[app.pk]
        ),
        "recovery codes": reverse("admin:directory_recoverycodes_changelist"),
        "recovery code set": reverse("admin:directory_recoverycodes_change", args=[codes.pk]),
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
    assert "列：" in export.text and "団体コード" in export.text
    history = superuser_client.get(
        reverse("admin:directory_city_history", args=[koriyama.pk]), headers=ja
    )
    assert "以前の版に戻すには、下の一覧から日時を選んでください。" in history.text
    assert "<td>変更</td>" in history.text and "郡山市" in history.text
    axes = superuser_client.get(reverse("admin:axes_accessattempt_changelist"), headers=ja)
    assert "ログイン試行" in axes.text and "access attempt" not in axes.text


# Left in English on the user, group and device pages before they were named from our catalogue:
# Django's stored permission names, the role groups' stored names, django-otp's model names, and
# the delete pages' rows linking users, groups and permissions.
STORED_ENGLISH = re.compile(
    r"\bCan (?:add|change|delete|view)\b|City editors|Directory editors|TOTP device"
    r"|[Ss]tatic (?:device|token)|[Hh]istorical|Authenticator app|Recovery codes"
    r"|relationship|_(?:groups|permissions) object"
)
# The admin's pages that name groups or permissions.
AUTH_PAGES = (
    "group",
    "delete group",
    "group history",
    "user",
    "delete user",
    "users",
    "groups",
    "authenticator apps",
    "recovery codes",
)


def test_permissions_groups_and_devices_are_named_in_the_admins_language(superuser_client):
    urls = pages()
    shown = {}
    for name in AUTH_PAGES:
        english, japanese = both(superuser_client, urls[name])
        # The English page whole: its text would lose "City" with the cities' names (data).
        shown[name] = html.unescape(english), visible_text(japanese, "ja")
        assert STORED_ENGLISH.findall(shown[name][1]) == [], name
    english, japanese = shown["group"]
    # Built from the model's name and the codename's action; a custom permission by its name.
    assert "窓口一覧 | 市 | 追加" in japanese and "Directory | city | Add" in english
    assert "窓口一覧 | 市 | すべての市の情報を変更" in japanese
    assert "Directory | city | Can change every city's records" in english
    assert "2段階認証：認証アプリ | 認証アプリ | 削除" in japanese
    assert "窓口一覧 | 市の版 | 表示" in japanese
    assert "市の編集者" in japanese and "City editors" in english
    english, japanese = shown["user"]
    assert "窓口一覧 | 担当課 | 変更" in japanese
    # The user's group picker and the user list's filter.
    assert "ディレクトリ編集者" in japanese and "Directory editors" in english
    assert "市の編集者" in shown["users"][1] and "City editors" in shown["users"][0]
    english, japanese = shown["groups"]
    assert "市の編集者" in japanese and "ディレクトリ編集者" in japanese
    english, japanese = shown["authenticator apps"]
    assert "認証アプリ" in japanese and "Authenticator apps" in english
    english, japanese = shown["recovery codes"]
    assert "残りのコード" in japanese and "Codes left" in english
    page = superuser_client.get(urls["authenticator app"], headers={"accept-language": "ja"})
    assert "rootの認証アプリ" in visible_text(page.content.decode(), "ja")


def test_the_stored_names_stay_english_where_code_looks_them_up(superuser_client):
    pages()
    assert set(Group.objects.values_list("name", flat=True)) == {CITY_EDITORS, DIRECTORY_EDITORS}
    group = Group.objects.get(name=CITY_EDITORS)
    url = reverse("admin:auth_group_change", args=[group.pk])
    form = superuser_client.get(url, headers={"accept-language": "ja"}).context["adminform"].form
    data = {"name": CITY_EDITORS, "permissions": [p.pk for p in group.permissions.all()]}
    assert form.initial["name"] == CITY_EDITORS
    superuser_client.post(url, data, headers={"accept-language": "ja"})
    assert Group.objects.filter(name=CITY_EDITORS).count() == 1


def japanese_and_english(client, url, **post):
    """The visible text of the page in Japanese and in English (after posting to it)."""
    english, japanese = both(client, url, **post)
    # The English page's text whole: `visible_text` would take out data such as "City".
    english = " ".join(html.unescape(re.sub(r"<[^>]*>", " ", english)).split())
    return visible_text(japanese, "ja"), english


def test_a_role_groups_delete_page_names_it_and_what_goes_with_it_in_the_admins_language(
    superuser_client,
):
    url = pages()["delete group"]
    japanese, english = japanese_and_english(superuser_client, url)
    assert 'グループ "市の編集者"を削除しますか？' in japanese
    assert "グループ › 市の編集者 › 削除" in japanese
    # Each line, not their order: Django lists the group's links in the database's order.
    assert "グループ: 市の編集者 グループのパーミッション: 市の編集者 – " in japanese
    assert "グループのパーミッション: 市の編集者 – 窓口一覧 | 市 | 変更" in japanese
    assert "グループへの所属: hanako – 市の編集者" in japanese
    assert "グループのパーミッション: 23 グループへの所属: 1" in japanese
    assert STORED_ENGLISH.findall(japanese) == []
    assert 'Are you sure you want to delete the group "City editors"?' in english
    assert "Group permission: City editors – Directory | city | Change" in english
    assert "Group membership: hanako – City editors" in english


def test_deleting_the_selected_groups_lists_them_in_the_admins_language(superuser_client):
    pages()
    url = reverse("admin:auth_group_changelist")
    selected = list(Group.objects.values_list("pk", flat=True))
    japanese, english = japanese_and_english(
        superuser_client, url, action="delete_selected", _selected_action=selected
    )
    assert "グループ: ディレクトリ編集者" in japanese and "グループ: 市の編集者" in japanese
    assert STORED_ENGLISH.findall(japanese) == []
    assert "Group: Directory editors" in english and "Group: City editors" in english
    assert Group.objects.count() == 2


def test_a_users_delete_page_names_their_groups_and_permissions_in_the_admins_language(
    superuser_client,
):
    urls = pages()
    editor = User.objects.get(username="hanako")
    editor.user_permissions.add(Permission.objects.get(codename="view_linkcheck"))
    japanese, english = japanese_and_english(superuser_client, urls["delete user"])
    assert "グループへの所属: hanako – 市の編集者" in japanese
    assert "ユーザーパーミッション: hanako – 窓口一覧 | リンク確認 | 表示" in japanese
    assert STORED_ENGLISH.findall(japanese) == []
    assert "Group membership: hanako – City editors" in english
    assert "User permission: hanako – Directory | link check | View" in english


def told(response):
    """The messages a page shows, as text."""
    return [strip_tags(str(message)) for message in response.context["messages"]]


def test_saving_and_deleting_a_role_group_tell_its_name_in_the_admins_language(
    superuser_client,
):
    url = pages()["group"]
    group = Group.objects.get(name=CITY_EDITORS)
    form = {"name": CITY_EDITORS, "permissions": [p.pk for p in group.permissions.all()]}
    for save, japanese, english in [
        (
            "_save",
            "グループ “市の編集者” を変更しました。",
            "The group “City editors” was changed successfully.",
        ),
        (
            "_continue",
            "グループ “市の編集者” を変更しました。以下から再度編集できます。",
            "The group “City editors” was changed successfully. You may edit it again below.",
        ),
    ]:
        for language, message in (("ja", japanese), ("en", english)):
            headers = {"accept-language": language}
            response = superuser_client.post(url, {**form, save: "1"}, headers=headers, follow=True)
            assert told(response) == [message]
    delete = reverse("admin:auth_group_delete", args=[group.pk])
    response = superuser_client.post(
        delete, {"post": "yes"}, headers={"accept-language": "ja"}, follow=True
    )
    assert told(response) == ["グループ “市の編集者” を削除しました。"]
    assert not Group.objects.filter(pk=group.pk).exists()


def test_adding_a_group_named_as_a_role_tells_its_name_in_the_admins_language(superuser_client):
    Group.objects.filter(name=CITY_EDITORS).delete()
    response = superuser_client.post(
        reverse("admin:auth_group_add"),
        {"name": CITY_EDITORS, "_addanother": "1"},
        headers={"accept-language": "ja"},
        follow=True,
    )
    assert told(response) == [
        "グループ “市の編集者” を追加しました。別の グループ を以下から追加できます。"
    ]
    assert Group.objects.filter(name=CITY_EDITORS).exists()


def test_a_role_groups_history_page_names_it_in_the_admins_language(superuser_client):
    japanese, english = japanese_and_english(superuser_client, pages()["group history"])
    assert "変更履歴：市の編集者" in japanese and "グループ › 市の編集者 › 履歴" in japanese
    assert "Change history: City editors" in english


def test_recent_actions_name_a_role_group_in_the_readers_language_whoever_logged_it(
    superuser_client,
):
    url = pages()["group"]
    group = Group.objects.get(name=CITY_EDITORS)
    form = {"name": CITY_EDITORS, "permissions": [p.pk for p in group.permissions.all()]}
    superuser_client.post(url, form, headers={"accept-language": "ja"})
    superuser_client.post(
        reverse("admin:auth_group_delete", args=[Group.objects.get(name=DIRECTORY_EDITORS).pk]),
        {"post": "yes"},
        headers={"accept-language": "ja"},
    )
    # The log keeps the stored names, in no one's language.
    logged = LogEntry.objects.values_list("object_repr", flat=True)
    assert set(logged) == {CITY_EDITORS, DIRECTORY_EDITORS}
    english, japanese = both(superuser_client, reverse("admin:index"))
    japanese = visible_text(japanese.split('id="recent-actions-module"')[1], "ja")
    english = html.unescape(english.split('id="recent-actions-module"')[1])
    assert "削除されました: ディレクトリ編集者" in japanese
    assert f'<a href="{url}">市の編集者</a>' in both(superuser_client, reverse("admin:index"))[1]
    assert STORED_ENGLISH.findall(japanese) == []
    assert "City editors" in english and "Directory editors" in english


def test_a_role_groups_name_field_says_how_staff_see_it_and_keeps_the_stored_name(
    superuser_client,
):
    japanese, english = japanese_and_english(superuser_client, pages()["group"])
    assert "サイトはこの役割を英語の名前で探します" in japanese
    assert "職員には「市の編集者」と表示されます。" in japanese
    assert "Staff see it as “City editors”." in english
    other = Group.objects.create(name="Volunteers")
    url = reverse("admin:auth_group_change", args=[other.pk])
    page = superuser_client.get(url, headers={"accept-language": "ja"}).text
    assert "サイトはこの役割" not in page and "Volunteers" in page
