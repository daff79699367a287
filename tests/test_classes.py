"""A Japanese class's structured details: what staff enter in the admin, what visitors see."""

import gzip
import re
from datetime import date, datetime, time, timedelta
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats

from directory import classes, hours
from directory.classes import detect_link_kind
from directory.models import ClassLink
from tests.builders import (
    city_form,
    make_city,
    make_class_link,
    make_department,
    make_full_class_link,
    make_staff,
    sign_in,
)

LOCALE = Path(settings.BASE_DIR) / "locale"

# The structured values a class card shows: each must read in every language of the site.
STRUCTURED_VALUES = [
    "In person",
    "Online",
    "In person and online",
    "Beginner",
    "Elementary",
    "Intermediate",
    "Advanced",
    "All levels",
    "Adults",
    "Children",
    "Parents and children",
    "Running",
    "Paused",
    "Ended",
    "Web page",
    "PDF",
    "Image",
    "Free",
    "Childcare available",
    "No childcare",
    "Running since %(date)s",
    "Paused since %(date)s",
    "Ended on %(date)s",
    "Run by",
    "When",
    "Where",
    "Fee",
    "Level",
    "Who it is for",
    "Support in",
    "How to sign up",
    "Status",
]


def page(client, city, language="en"):
    response = client.get(f"/{language}/cities/{city.slug}/", HTTP_HOST="localhost")
    assert response.status_code == 200
    return response.content.decode()


def text(html):
    html = re.sub(r"<script.*?</script>|<head>.*?</head>", " ", html, flags=re.S)
    # Inline boxes a line does not break inside (a time range, a language's name) add no space.
    html = re.sub(r"<wbr>|</?span[^>]*>", "", html)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def card(html):
    """The class cards' HTML."""
    return html[html.index('<ul class="actions classes">') :].split("</ul>", 1)[0]


# The link's kind


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://example.jp/nihongo/index.html", "page"),
        ("https://example.jp/nihongo/", "page"),
        ("https://example.jp/files/classes.PDF", "pdf"),
        ("https://example.jp/files/flyer.pdf?version=2", "pdf"),
        ("https://example.jp/img/poster.jpeg", "image"),
        ("https://example.jp/img/poster.png#top", "image"),
    ],
)
def test_it_tells_a_pdf_or_an_image_from_the_url(url, kind):
    assert detect_link_kind(url) == kind


def test_staff_can_say_what_a_link_is_when_the_url_does_not_show_it(db):
    city = make_city()
    link = make_class_link(city, "https://example.jp/download?id=7")
    assert link.kind == "page"
    link.link_kind = "pdf"
    assert link.kind == "pdf"


# The admin


def _city_post(city, links):
    data = {
        **city_form(city),
        "class_links-TOTAL_FORMS": len(links),
        "class_links-INITIAL_FORMS": sum(1 for fields in links if fields.get("id")),
    }
    for index, fields in enumerate(links):
        data.update({f"class_links-{index}-{name}": value for name, value in fields.items()})
    return data


EVERY_DETAIL = {
    "url": "https://example.jp/kodomo/",
    "name": "にほんご教室（こども）",
    "label": "国際交流協会",
    "position": 0,
    "venue": "市民センター 3階",
    "attendance": "in-person",
    "weekdays": ["SA"],
    "starts_at": "10:00",
    "ends_at": "11:30",
    "schedule_note": "第2・第4土曜日",
    "fee": "0",
    "level": "elementary",
    "audience": "children",
    "childcare": "false",
    "languages": "pt, ES, vi, pt",
    "sign_up": "当日、会場へ来てください。",
    "status": "paused",
    "status_date": "2026-08-01",
    "link_kind": "",
}


@pytest.fixture
def editor(db):
    city = make_city()
    user = make_staff("editor", group="City editors", cities=[city])
    return city, user


def test_the_city_page_in_the_admin_edits_every_detail_of_a_class(client, editor):
    city, user = editor
    sign_in(client, user)
    url = reverse("admin:directory_city_change", args=[city.pk])
    form = client.get(url).content.decode()
    assert "<details" in form and "Class details" in form, "the details fold away"
    response = client.post(url, _city_post(city, [{"city": city.pk, **EVERY_DETAIL}]))
    assert response.status_code == 302, response.context and response.context["errors"]
    link = ClassLink.objects.get(city=city)
    assert (link.name, link.label, link.venue) == (
        "にほんご教室（こども）",
        "国際交流協会",
        "市民センター 3階",
    )
    assert (link.attendance, link.weekdays) == ("in-person", ["SA"])
    assert (link.starts_at, link.ends_at) == (time(10, 0), time(11, 30))
    assert (link.schedule_note, link.fee, link.level) == ("第2・第4土曜日", 0, "elementary")
    assert (link.audience, link.childcare) == ("children", False)
    assert link.languages == ["pt", "es", "vi"], "lower-case, once each, in the order typed"
    assert link.sign_up == "当日、会場へ来てください。"
    assert (link.status, link.status_date, link.link_kind) == ("paused", date(2026, 8, 1), "")


def test_the_class_link_change_page_takes_languages_by_their_names(client, editor):
    city, user = editor
    link = make_class_link(city)
    sign_in(client, user)
    url = reverse("admin:directory_classlink_change", args=[link.pk])
    data = {"city": city.pk, **EVERY_DETAIL, "department": "", "languages": "ポルトガル語、Spanish"}
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    link.refresh_from_db()
    assert link.languages == ["pt", "es"]


def test_the_class_link_page_quotes_a_long_or_control_character_language_word_as_the_desk_page(
    client, editor
):
    # A word pasted whole (10,000 characters) or holding an escape is named cut short and with the
    # escape written out, not echoed back into the page as it came.
    city, user = editor
    link = make_class_link(city)
    sign_in(client, user)
    url = reverse("admin:directory_classlink_change", args=[link.pk])
    for typed, shown in [
        ("x" * 10_000, "“" + "x" * 39 + "…” is not a language"),
        ("英語\x1b", "“英語<U+001B>” is not a language"),
    ]:
        data = {"city": city.pk, **EVERY_DETAIL, "department": "", "languages": typed}
        response = client.post(url, data)
        assert response.status_code == 200, "nothing is saved"
        message = " ".join(response.context["adminform"].form.errors["languages"])
        assert message.startswith(shown) and len(message) < 200, message[:300]
        assert "\x1b" not in message


def test_the_admin_in_japanese_names_every_detail_and_day_in_japanese(client, editor):
    city, user = editor
    make_class_link(city)
    sign_in(client, user)
    url = reverse("admin:directory_city_change", args=[city.pk])
    form = client.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    for japanese in ["教室の詳細", "会場", "曜日", "月曜日", "土曜日", "参加費（円）", "対応言語"]:
        assert japanese in form, japanese


def test_the_class_link_change_page_edits_every_detail_too(client, editor):
    city, user = editor
    link = make_class_link(city)
    sign_in(client, user)
    url = reverse("admin:directory_classlink_change", args=[link.pk])
    response = client.post(url, {"city": city.pk, **EVERY_DETAIL, "department": ""})
    assert response.status_code == 302
    link.refresh_from_db()
    assert (link.name, link.languages, link.weekdays) == (
        "にほんご教室（こども）",
        ["pt", "es", "vi"],
        ["SA"],
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"languages": "vi, xx1, en"}, "languages", "“xx1” is not a language"),
        ({"languages": "vi, klingonish"}, "languages", "“klingonish” is not a language"),
        ({"starts_at": "12:00", "ends_at": "10:00"}, "ends_at", "must end after it starts"),
        ({"status": ""}, "status", "Choose the status the date belongs to"),
        ({"weekdays": ["XX"]}, "weekdays", "Select a valid choice"),
        ({"fee": "-500"}, "fee", "greater than or equal to 0"),
        (
            {"status_date": "1999-12-31"},
            "status_date",
            "31 December 1999 is out of range: enter a date from 1 January 2000 to 31 December "
            "2099.",
        ),
        ({"status_date": "2100-01-01"}, "status_date", "1 January 2100 is out of range"),
    ],
)
def test_bad_details_are_refused_with_a_message_naming_the_field_and_value(
    client, editor, changes, field, message
):
    city, user = editor
    link = make_class_link(city)
    sign_in(client, user)
    url = reverse("admin:directory_classlink_change", args=[link.pk])
    response = client.post(url, {"city": city.pk, **EVERY_DETAIL, "department": "", **changes})
    assert response.status_code == 200, "nothing is saved"
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors[field])
    link.refresh_from_db()
    assert link.name == "" and link.languages == []


def test_a_status_date_before_2000_is_refused_in_japanese_naming_the_dates_allowed(client, editor):
    city, user = editor
    link = make_class_link(city)
    sign_in(client, user)
    url = reverse("admin:directory_classlink_change", args=[link.pk])
    form = {"city": city.pk, **EVERY_DETAIL, "department": "", "status_date": "1999-04-01"}
    response = client.post(url, form, HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200, "nothing is saved"
    assert response.context["adminform"].form.errors["status_date"] == [
        "1999年4月1日 は範囲外です。2000年1月1日 から 2099年12月31日 までの日付を入力してください。"
    ]
    link.refresh_from_db()
    assert link.status_date is None


def _class_saved_in_japanese(client, editor, changes):
    """A class of the editor's city, and the answer to saving it from its page in the Japanese
    admin with every detail and `changes`."""
    city, user = editor
    link = make_class_link(city)
    sign_in(client, user)
    url = reverse("admin:directory_classlink_change", args=[link.pk])
    form = {"city": city.pk, **EVERY_DETAIL, "department": "", **changes}
    return link, client.post(url, form, HTTP_ACCEPT_LANGUAGE="ja")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ({"starts_at": "18時30分", "ends_at": "20時"}, (time(18, 30), time(20, 0))),
        ({"starts_at": "午後6時半", "ends_at": "午後8時"}, (time(18, 30), time(20, 0))),
        ({"starts_at": "１８：３０", "ends_at": "２０：００"}, (time(18, 30), time(20, 0))),
        ({"status_date": "令和8年4月1日"}, date(2026, 4, 1)),
        ({"status_date": "２０２６／４／１"}, date(2026, 4, 1)),
        ({"status_date": "2026/4/1(水)"}, date(2026, 4, 1)),
        ({"status_date": "R8.4.1"}, date(2026, 4, 1)),
    ],
)
def test_a_class_s_times_and_date_typed_the_japanese_way_are_saved_as_an_import_reads_them(
    client, editor, typed, meant
):
    link, response = _class_saved_in_japanese(client, editor, typed)
    assert response.status_code == 302, response.context["adminform"].form.errors
    link.refresh_from_db()
    saved = (link.starts_at, link.ends_at) if "starts_at" in typed else link.status_date
    assert saved == meant


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        (
            {"starts_at": "18じ"},
            "starts_at",
            "「18じ」は時刻ではありません。18:30（または 18時30分、午後6時半）のように",
        ),
        (
            {"ends_at": "午後12時"},
            "ends_at",
            "「午後12時」は正午とも真夜中とも読めます。正午なら 12:00、真夜中なら 0:00",
        ),
        (
            {"status_date": "4月1日"},
            "status_date",
            "「4月1日」は日付ではありません。2026-04-01（または 2026/4/1、2026年4月1日、"
            "令和8年4月1日、R8.4.1）のように入力してください",
        ),
        (
            {"status_date": "令和1年4月30日"},
            "status_date",
            "「令和1年4月30日」は令和の日付ではありません",
        ),
    ],
)
def test_a_class_s_time_or_date_it_cannot_read_is_told_the_forms_it_may_take_in_japanese(
    client, editor, typed, field, message
):
    _link, response = _class_saved_in_japanese(client, editor, typed)
    assert response.status_code == 200, "nothing is saved"
    assert message in " ".join(response.context["adminform"].form.errors[field])


def test_a_class_s_saved_times_show_as_staff_type_them_without_seconds(client, editor):
    city, user = editor
    link = make_full_class_link(city)
    sign_in(client, user)
    page = client.get(reverse("admin:directory_classlink_change", args=[link.pk])).text
    assert re.search(r'name="starts_at" value="18:30"', page)


def _folded(page, marker):
    """Whether `marker` (an error's or a field's id) is inside a folded <details>: Django
    writes none around a fieldset it shows unfolded."""
    found = page.index(f'id="{marker}"')
    opened, closed = page.rfind("<details", 0, found), page.rfind("</details>", 0, found)
    return opened > closed


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"status_date": "1999-04-01"}, "status_date"),
        ({"starts_at": "12:00", "ends_at": "10:00"}, "ends_at"),
        ({"fee": "-500"}, "fee"),
        ({"weekdays": ["XX"]}, "weekdays"),
    ],
)
def test_a_refused_class_detail_is_shown_unfolded_not_hidden_in_the_folded_details(
    client, editor, changes, field
):
    # Staff were told 「下記のエラーを修正してください。」 and saw no error: a field sharing a line
    # with another (a status and its date, a start and end time) left the details folded.
    city, user = editor
    link = make_class_link(city)
    sign_in(client, user)
    url = reverse("admin:directory_classlink_change", args=[link.pk])
    form = {"city": city.pk, **EVERY_DETAIL, "department": "", **changes}
    page = client.post(url, form, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert not _folded(page, f"id_{field}_error")
    # In the city's list of classes, too, where the other classes stay folded.
    other = make_class_link(city)
    fields = [{"id": link.pk, "city": city.pk, **form}, {"id": other.pk, "url": other.url}]
    page = client.post(
        reverse("admin:directory_city_change", args=[city.pk]),
        _city_post(city, fields),
        HTTP_ACCEPT_LANGUAGE="ja",
    ).content.decode()
    assert not _folded(page, f"id_class_links-0-{field}_error")
    assert _folded(page, "id_class_links-1-status_date"), "a class without errors stays folded"


@pytest.mark.parametrize(
    ("language", "help_text"),
    [
        ("en", "A date from 1 January 2000 to 31 December 2099."),
        ("ja", "2000年1月1日 から 2099年12月31日 までの日付。"),
    ],
)
def test_the_status_date_says_which_dates_it_accepts_before_one_is_refused(
    client, editor, language, help_text
):
    city, user = editor
    link = make_class_link(city)
    sign_in(client, user)
    url = reverse("admin:directory_classlink_change", args=[link.pk])
    response = client.get(url, headers={"accept-language": language})
    found = re.search(
        r'<div class="help" id="id_status_date_helptext">(.*?)</div>\s*</div>', response.text, re.S
    )
    assert found and help_text in unescape(found[1])


def test_a_class_cannot_be_given_a_desk_of_another_of_the_editors_cities(client, db):
    # Its city's page lists a class under the city's own desks: it would show on no page.
    hakodate, asahikawa = make_city(name="Hakodate"), make_city(name="Asahikawa")
    theirs = make_department(asahikawa, "Asahikawa desk")
    link = make_class_link(hakodate)
    sign_in(client, make_staff("yamada", group="City editors", cities=[hakodate, asahikawa]))
    url = reverse("admin:directory_classlink_change", args=[link.pk])
    form = {"city": hakodate.pk, **EVERY_DETAIL, "department": theirs.pk}

    response = client.post(url, form, HTTP_ACCEPT_LANGUAGE="ja")

    assert response.status_code == 200, "nothing is saved"
    errors = " ".join(response.context["adminform"].form.errors["department"])
    assert f"この窓口は{asahikawa}のものです。教室と同じ市の窓口を選んでください。" in errors
    link.refresh_from_db()
    assert link.department is None and link.name == ""
    # From the city's own page, in its list of classes, too.
    page = reverse("admin:directory_city_change", args=[hakodate.pk])
    fields = {"id": link.pk, "city": hakodate.pk, **EVERY_DETAIL, "department": theirs.pk}
    response = client.post(page, _city_post(hakodate, [fields]), HTTP_ACCEPT_LANGUAGE="ja")
    assert "教室と同じ市の窓口を選んでください。" in response.content.decode()
    link.refresh_from_db()
    assert link.department is None


def test_an_editor_cannot_attach_details_to_another_citys_class(client, editor):
    _city, user = editor
    other = make_class_link(make_city())
    sign_in(client, user)
    url = reverse("admin:directory_classlink_change", args=[other.pk])
    response = client.post(url, {"city": other.city_id, **EVERY_DETAIL, "department": ""})
    assert response.status_code in (302, 403, 404)
    other.refresh_from_db()
    assert other.name == ""


# The city page


@pytest.mark.parametrize(
    ("language", "days"),
    [
        ("id", "Selasa dan Jumat 18:30–20:30"),
        ("zh-hans", "星期二和星期五 18:30–20:30"),
        ("ja-easy", "かようび、きんようび 18:30～20:30"),
    ],
)
def test_a_class_s_days_are_whole_names_in_the_page_s_language(client, db, language, days):
    # "Sel, Kam" is read out as two words; "周二, 周四" joined them with an ASCII comma.
    city = make_city()
    make_full_class_link(city, department=make_department(city))
    assert days in text(page(client, city, language))


def test_a_nepali_page_spells_thursday_alike_in_the_desk_s_hours_and_the_class_s_days(client, db):
    city = make_city()
    desk = make_department(city)
    desk.hours.create(weekday=3, opens=time(9), closes=time(17))
    make_full_class_link(city, department=desk, weekdays=["TH"])
    shown = text(page(client, city, "ne"))
    assert "बिहीबार 09:00–17:00" in shown and "बिहीबार 18:30–20:30" in shown
    assert "बिहिबार" not in shown


def test_a_class_card_shows_every_detail_at_a_glance_in_english(client, db):
    city = make_city()
    make_full_class_link(city, department=make_department(city))
    shown = text(card(page(client, city)))
    for expected in [
        "にほんご教室（おとな）",
        "example.jp · PDF",
        "Run by 明石国際交流協会",
        "When Tuesday and Friday 18:30–20:30 · 祝日は休み",
        "Where In person and online · 市民会館 2階 第1会議室",
        "Fee ¥500",
        "Level Beginner",
        "Who it is for Adults · Childcare available",
        "Support in Vietnamese, English, and Chinese",
        "How to sign up 電話かメールで申し込んでください。",
        "Status Running since 1 April 2026",
    ]:
        assert expected in shown


def test_staff_text_carries_lang_ja_and_structured_values_carry_none(client, db):
    city = make_city()
    make_full_class_link(city)
    html = card(page(client, city, "vi"))
    for staff_text in [
        "にほんご教室（おとな）",
        "明石国際交流協会",
        "祝日は休み",
        '市民会館 <span class="unit">2階</span> 第<span class="unit">1</span>会議室',
    ]:
        assert f'lang="ja">{staff_text}</span>' in html
    assert "Người lớn · Có trông trẻ" in html
    assert "Tiếng Việt, Tiếng Anh và Tiếng Trung" in text(html)
    assert 'lang="ja">Người' not in html


def test_a_class_card_reads_in_japanese(client, db):
    city = make_city()
    make_full_class_link(city)
    shown = text(card(page(client, city, "ja")))
    for expected in [
        "日時 火曜日、金曜日 18:30～20:30",
        "参加費 ￥500",
        "レベル 入門",
        "対象 大人 · 託児あり",
    ]:
        assert expected in shown
    assert "対応言語 ベトナム語、英語、中国語" in shown
    assert "状況 2026年4月1日から開講中" in shown


@pytest.mark.parametrize(
    ("language", "listed"),
    [
        ("en", "Vietnamese, English, and Chinese"),
        ("zh-hans", "越南语、英语和中文"),
        ("ko", "베트남어, 영어 및 중국어"),
        ("my", "ဗီယက်နမ်၊ အင်္ဂလိပ် နှင့် တရုတ်"),
    ],
)
def test_a_class_s_languages_are_listed_as_the_page_s_language_lists_things(
    client, db, language, listed
):
    city = make_city()
    make_full_class_link(city)
    assert listed in text(card(page(client, city, language)))


@pytest.mark.parametrize(
    ("language", "listed", "status"),
    [
        (
            "vi",
            '<span class="unit">Tiếng Việt,</span> <span class="unit">Tiếng Anh</span> và '
            '<span class="unit">Tiếng Bồ Đào Nha</span>',
            'Đang diễn ra từ ngày <span class="unit">31 tháng 3 năm 2027</span>',
        ),
        (
            "ja",
            '<span class="unit">ベトナム語、</span><span class="unit">英語、</span>'
            '<span class="unit">ポルトガル語</span>',
            '<span class="unit">2027年3月31日</span>から開講中',
        ),
        (
            "en",
            '<span class="unit">Vietnamese,</span> <span class="unit">English,</span> and '
            '<span class="unit">Portuguese</span>',
            'Running since <span class="unit">31 March 2027</span>',
        ),
    ],
    ids=["vi", "ja", "en"],
)
def test_a_line_breaks_between_a_class_s_languages_and_never_inside_one_or_inside_its_date(
    client, db, language, listed, status
):
    # "Tiếng | Bồ Đào Nha" ended a line inside a name; each name keeps the comma after it.
    city = make_city()
    make_full_class_link(city, languages=["vi", "en", "pt"], status_date=date(2027, 3, 31))
    html = card(page(client, city, language))
    assert f"<dd>{listed}</dd>" in html
    assert f"<dd>{status}</dd>" in html


def test_a_class_card_in_easy_japanese_names_its_days_and_languages_in_kana(client, db):
    city = make_city()
    make_full_class_link(city)
    shown = text(card(page(client, city, "ja-easy")))
    assert "かようび、きんようび 18:30～20:30" in shown
    assert "ベトナムご、えいご、ちゅうごくご" in shown


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_structured_values_are_in_the_pages_language_everywhere(client, db, language):
    city = make_city()
    make_full_class_link(city, fee=0, status="ended")
    shown = text(card(page(client, city, language)))
    if language != "en":
        for english in ["Beginner", "Adults", "Free", "Childcare available", "Ended on", "When"]:
            assert english not in shown, (language, english)
        # CLDR's Filipino names most languages as English does ("Vietnamese").
        if language != "fil":
            assert "Vietnamese" not in shown


def test_missing_details_are_not_shown(client, db):
    city = make_city()
    make_class_link(city, "https://example.jp/nihongo/")
    html = card(page(client, city))
    assert '<dl class="facts">' not in html
    assert "Japanese class" in text(html) and "· PDF" not in html


def test_only_the_details_staff_gave_are_shown(client, db):
    city = make_city()
    make_class_link(city, "https://example.jp/nihongo/", fee=0, languages=["ne"])
    shown = text(card(page(client, city)))
    assert "Fee Free" in shown and "Support in Nepali" in shown
    for label in ["When", "Where", "Level", "Who it is for", "Status", "Run by"]:
        assert f" {label} " not in shown


def test_three_links_to_one_site_become_distinguishable_once_staff_name_them(client, db):
    city = make_city()
    site = "https://www.hyogo-ip.or.jp/torikumi/tabunkakyoise/search"
    links = [
        make_class_link(city, f"{site}/adult/index.html"),
        make_class_link(city, f"{site}/bogo/index.html"),
        make_class_link(city, f"{site}/kodomo/index.html"),
    ]
    before = re.findall(r'<span class="label"[^>]*>(.*?)</span>', card(page(client, city)))
    assert len(set(before)) == 1, "today, three identical buttons"
    ClassLink.objects.filter(pk=links[0].pk).update(name="日本語教室", audience="adults")
    ClassLink.objects.filter(pk=links[1].pk).update(name="母語教室", languages=["vi", "es"])
    ClassLink.objects.filter(pk=links[2].pk).update(name="子ども日本語教室", audience="children")
    from directory.signals import directory_changed

    directory_changed.send(sender=ClassLink)
    html = card(page(client, city))
    after = re.findall(r'<span class="label"[^>]*>(.*?)</span>', html)
    assert after == ["日本語教室", "母語教室", "子ども日本語教室"]
    shown = text(html)
    assert "Who it is for Adults" in shown and "Who it is for Children" in shown
    assert "Support in Vietnamese and Spanish" in shown


def test_an_ended_class_says_so_with_its_date(client, db):
    city = make_city()
    make_class_link(city, status="ended", status_date=date(2026, 3, 31))
    assert "Status Ended on 31 March 2026" in text(card(page(client, city)))


def test_the_city_page_with_three_full_classes_is_under_15_kb_compressed(client, db):
    city = make_city()
    department = make_department(city)
    for _ in range(3):
        make_full_class_link(city, department=department)
    for language in ("en", "ja", "vi", "my"):
        response = client.get(f"/{language}/cities/{city.slug}/", HTTP_HOST="localhost")
        assert len(gzip.compress(response.content)) < 15 * 1024, language


def test_every_structured_value_has_a_translation_in_every_catalogue():
    folders = sorted(p.parent.parent.name for p in LOCALE.glob("*/LC_MESSAGES/django.po"))
    assert len(folders) == len(settings.LANGUAGES) - 1, "every language but English"
    for folder in folders:
        po = (LOCALE / folder / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
        for msgid in STRUCTURED_VALUES:
            found = re.search(rf'^msgid "{re.escape(msgid)}"\nmsgstr "(.+)"$', po, flags=re.M)
            assert found, (folder, msgid)


# The seed


def test_the_seed_gets_no_class_detail_it_does_not_state(seed):
    for link in ClassLink.objects.all():
        assert link.name == link.venue == link.schedule_note == link.sign_up == ""
        assert link.weekdays == link.languages == []
        assert link.fee is None and link.childcare is None and link.starts_at is None
        assert link.level == link.audience == link.status == link.attendance == ""
        assert link.link_kind == ""


# A class that has ended


@pytest.fixture
def japan_at(monkeypatch):
    """Sets the time in Japan that "has this class ended" is read against."""

    def at(moment):
        now = datetime.fromisoformat(moment).replace(tzinfo=hours.TOKYO)
        monkeypatch.setattr(hours, "tokyo_now", lambda: now)

    return at


@pytest.mark.parametrize(
    ("status", "status_date", "ended"),
    [
        ("ended", None, True),
        ("ended", date(2026, 11, 30), True),  # yesterday in Japan, still today in UTC
        ("ended", date(2026, 12, 1), False),  # its last day
        ("ended", date(2027, 3, 31), False),  # it runs until then
        ("paused", date(2026, 4, 1), False),
        ("running", date(2026, 4, 1), False),
        ("", None, False),
    ],
)
def test_a_class_has_ended_once_its_status_is_ended_and_its_date_has_passed_in_japan(
    db, japan_at, status, status_date, ended
):
    japan_at("2026-12-01T00:30")
    link = make_class_link(make_city(), status=status, status_date=status_date)
    assert ClassLink.objects.with_ended().get(pk=link.pk).ended is ended
    assert ClassLink.objects.running().filter(pk=link.pk).exists() is not ended


def test_an_ended_class_comes_after_the_running_ones_and_says_it_has_ended(client, db):
    city = make_city()
    desk = make_department(city)
    make_class_link(city, name="終わった教室", department=desk, position=0, status="ended")
    make_class_link(city, name="続く教室", department=desk, position=1, status="running")
    html = card(page(client, city))
    titles = re.findall(r'<span class="label"[^>]*>(.*?)</span>', html)
    assert titles == ["続く教室", "終わった教室"]
    running, ended = html.split("</li>")[:2]
    assert "<li>" in running and "This class has ended" not in running
    assert '<li class="ended">' in ended
    assert "終わった教室 This class has ended example.jp" in text(ended)


def test_an_ended_class_says_it_has_ended_in_the_visitors_language(client, db):
    city = make_city()
    make_class_link(city, status="ended", status_date=date(2026, 3, 31))
    html = card(page(client, city, "vi"))
    assert '<li class="ended">' in html
    # The class's name ("Japanese class"), that it has ended, then where its link goes.
    assert "Lớp tiếng Nhật Lớp này đã kết thúc example.jp" in text(html)


def test_a_class_that_ends_on_a_later_date_is_listed_as_running_until_then(client, db):
    city = make_city()
    later = classes.today() + timedelta(days=30)
    make_class_link(city, status="ended", status_date=later)
    html = card(page(client, city))
    shown = text(html)
    assert "This class has ended" not in shown and 'class="ended"' not in html
    assert f"Status Ends on {formats.date_format(later, 'DATE_FORMAT')}" in shown
    assert "Ended on" not in shown


def test_how_to_sign_up_keeps_its_lines_and_its_web_address_is_a_link(client, db):
    city = make_city()
    make_class_link(
        city,
        sign_up=(
            "電話かメールで申し込んでください。\n初回は見学できます。\n"
            "https://example.jp/form/ から"
        ),
    )
    html = card(page(client, city))
    assert "申し込んでください。\n初回は見学できます。" in html, "the line breaks as written"
    assert '<a href="https://example.jp/form/" rel="nofollow">https://example.jp/form/</a>' in html


def test_a_class_s_history_names_its_days_languages_and_times_as_staff_read_them(client, editor):
    city, user = editor
    link = make_class_link(city)
    link.weekdays, link.languages, link.starts_at = ["TU", "FR"], ["pt", "es"], time(18, 30)
    link.save()
    sign_in(client, user)
    url = reverse("admin:directory_classlink_history", args=[link.pk])

    japanese = text(client.get(url, headers={"accept-language": "ja"}).content.decode())
    assert "— → 火曜日、金曜日" in japanese
    assert "— → ポルトガル語、スペイン語" in japanese
    assert "— → 18:30" in japanese and "18:30:00" not in japanese
    assert "[" not in japanese.split("曜日", 1)[1]

    english = text(client.get(url, headers={"accept-language": "en"}).content.decode())
    assert "— → Tuesday and Friday" in english and "Portuguese and Spanish" in english


def test_the_class_link_form_in_japanese_names_each_concept_one_way(client, editor):
    city, user = editor
    link = make_class_link(city)
    sign_in(client, user)
    url = reverse("admin:directory_classlink_change", args=[link.pk])
    form = text(client.get(url, headers={"accept-language": "ja"}).content.decode())

    # クラス名 stays: an import file's 教室名 column is the provider's.
    assert "クラス名" in form
    assert "状態:" in form and "状態の日付:" in form and "状況" not in form
    # What a translation proxy wraps: said as such, not as a vague "the city's original page".
    assert "自動翻訳前の元のページ" in form and "市の元のページ" not in form
    data = {"city": city.pk, "url": link.url, "status_date": "2026-04-01"}
    bare = client.post(url, data, headers={"accept-language": "ja"})
    assert "この日付がどの状態の日付かを選んでください。" in text(bare.content.decode())
