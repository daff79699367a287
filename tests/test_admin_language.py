"""Staff save the admin's language themselves; superusers set it on a user's page."""

import re

from django.contrib.auth.models import Group
from django.urls import reverse

from directory.models import City, Prefecture, StaffProfile, email_language
from directory.roles import CITY_EDITORS
from tests.builders import make_city, make_department, make_staff, sign_in

LANGUAGE = reverse("admin:language")


def test_it_links_the_language_page_from_every_admin_page_in_both_languages(client, db):
    sign_in(client, make_staff("mika", group="City editors"))
    response = client.get(reverse("admin:index"), headers={"accept-language": "en"})
    assert f'<a href="{LANGUAGE}" id="language-link">Language / 言語</a>' in response.text
    response = client.get(reverse("admin:index"), headers={"accept-language": "ja"})
    assert f'<a href="{LANGUAGE}" id="language-link">言語 / Language</a>' in response.text


def test_it_names_each_choice_in_its_own_language(client, db):
    sign_in(client, make_staff("mika", group="City editors"))
    page = client.get(LANGUAGE, headers={"accept-language": "en"}).text
    assert "日本語" in page and "English" in page and "The browser&#x27;s language" in page
    page = client.get(LANGUAGE, headers={"accept-language": "ja"}).text
    assert "日本語" in page and "English" in page and "ブラウザーの言語" in page


def test_a_city_editor_saves_japanese_and_the_admin_then_speaks_it_over_the_browser(client, db):
    user = make_staff("mika", group="City editors")
    sign_in(client, user)
    response = client.post(LANGUAGE, {"language": "ja"}, headers={"accept-language": "en"})
    assert response.status_code == 302
    assert StaffProfile.objects.get(user=user).language == "ja"
    assert email_language(user) == "ja"
    page = client.get(response.url, headers={"accept-language": "en"})
    assert '<html lang="ja"' in page.text and "言語を保存しました。" in page.text
    assert re.search(r'<input type="radio" name="language" value="ja"[^>]* checked>', page.text)


def test_choosing_the_browsers_language_again_forgets_the_saved_one(client, db):
    user = make_staff("mika", group="City editors")
    StaffProfile.objects.create(user=user, language="ja")
    sign_in(client, user)
    response = client.post(LANGUAGE, {"language": ""}, headers={"accept-language": "en"})
    assert StaffProfile.objects.get(user=user).language == ""
    page = client.get(response.url, headers={"accept-language": "en"})
    assert '<html lang="en"' in page.text and "Your language is saved." in page.text


def test_a_language_the_admin_does_not_speak_is_refused_and_nothing_is_saved(client, db):
    user = make_staff("mika", group="City editors")
    sign_in(client, user)
    response = client.post(LANGUAGE, {"language": "vi"}, headers={"accept-language": "en"})
    assert response.status_code == 200
    assert "Select a valid choice." in response.text
    assert not StaffProfile.objects.filter(user=user).exists()


def test_the_page_is_only_for_signed_in_staff(client, db):
    response = client.get(LANGUAGE)
    assert response.status_code == 302 and reverse("admin:login") in response.url


def test_each_staff_member_saves_only_their_own_language(client, db):
    mika, ken = make_staff("mika", group="City editors"), make_staff("ken", group="City editors")
    StaffProfile.objects.create(user=ken, language="en")
    sign_in(client, mika)
    client.post(LANGUAGE, {"language": "ja", "user": ken.pk})
    assert StaffProfile.objects.get(user=mika).language == "ja"
    assert StaffProfile.objects.get(user=ken).language == "en"


def test_a_superuser_sets_a_users_language_on_the_users_page(client, db):
    boss = make_staff("boss", superuser=True)
    ken = make_staff("ken", group="City editors")
    sign_in(client, boss)
    url = reverse("admin:auth_user_change", args=[ken.pk])
    page = client.get(url, headers={"accept-language": "ja"}).text
    assert "日本語" in page and "ブラウザーの言語" in page
    form = {
        "username": "ken",
        "is_active": "on",
        "is_staff": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "staff_profile-TOTAL_FORMS": "1",
        "staff_profile-INITIAL_FORMS": "0",
        "staff_profile-0-language": "en",
        "assigned_cities-TOTAL_FORMS": "0",
        "assigned_cities-INITIAL_FORMS": "0",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert StaffProfile.objects.get(user=ken).language == "en"


def test_a_city_editor_cannot_open_a_users_page_to_set_someone_elses_language(client, db):
    ken = make_staff("ken", group="City editors")
    sign_in(client, make_staff("mika", group="City editors"))
    response = client.get(reverse("admin:auth_user_change", args=[ken.pk]))
    assert response.status_code == 403


def test_places_are_named_in_japanese_in_the_japanese_admin_and_in_english_otherwise(client, db):
    city = make_city("07", name="City of Koriyama", name_ja="郡山市")
    sign_in(client, make_staff("boss", superuser=True))
    url = reverse("admin:directory_city_change", args=[city.pk])
    japanese = client.get(url, headers={"accept-language": "ja"}).text
    assert "郡山市" in japanese.split('<div class="breadcrumbs">')[1].split("</div>")[0]
    assert "福島県" in japanese
    english = client.get(url, headers={"accept-language": "en"}).text
    assert "City of Koriyama" in english.split('<div class="breadcrumbs">')[1].split("</div>")[0]
    assert str(City.objects.get(pk=city.pk)) == "City of Koriyama"
    assert str(Prefecture.objects.get(code="07")) == "Fukushima"


def test_a_desk_is_named_in_japanese_in_the_japanese_admin_and_in_english_otherwise(client, db):
    city = make_city("07", name="City of Koriyama", name_ja="郡山市")
    desk = make_department(city, name="International Desk", name_ja="国際交流窓口")
    sign_in(client, make_staff("boss", superuser=True))
    url = reverse("admin:directory_department_change", args=[desk.pk])
    breadcrumbs = '<div class="breadcrumbs">'
    japanese = client.get(url, headers={"accept-language": "ja"}).text.split(breadcrumbs)[1]
    assert "国際交流窓口" in japanese.split("</div>")[0]
    english = client.get(url, headers={"accept-language": "en"}).text.split(breadcrumbs)[1]
    assert "International Desk" in english.split("</div>")[0]
    # Without a Japanese name, the English one, in either language.
    desk.name_ja = ""
    desk.save()
    japanese = client.get(url, headers={"accept-language": "ja"}).text.split(breadcrumbs)[1]
    assert "International Desk" in japanese.split("</div>")[0]


def test_the_desk_list_names_desks_in_japanese_in_the_japanese_admin_and_sorts_by_that_name(
    client, db
):
    city = make_city("07", name="City of Koriyama", name_ja="郡山市")
    make_department(city, name="A International Desk", name_ja="国際交流窓口")
    make_department(city, name="B Citizens Desk", name_ja="")
    make_department(city, name="C Advice Desk", name_ja="相談窓口")
    sign_in(client, make_staff("boss", superuser=True))
    url = reverse("admin:directory_department_changelist")

    def names(language, **query):
        page = client.get(url, query, headers={"accept-language": language}).text
        return re.findall(r'<th class="field-[a-z_]+"><a href="[^"]+">([^<]+)</a>', page)

    # Without a Japanese name, the English one, as a class's desk box names it.
    assert sorted(names("ja")) == sorted(["国際交流窓口", "B Citizens Desk", "相談窓口"])
    assert sorted(names("en")) == ["A International Desk", "B Citizens Desk", "C Advice Desk"]
    # The column sorts by the name it shows.
    assert names("ja", o="1") == ["B Citizens Desk", "国際交流窓口", "相談窓口"]
    assert names("en", o="-1") == ["C Advice Desk", "B Citizens Desk", "A International Desk"]


def test_a_superuser_who_saved_japanese_reads_the_role_groups_in_japanese_over_the_browser(
    client, db
):
    boss = make_staff("boss", superuser=True)
    StaffProfile.objects.create(user=boss, language="ja")
    sign_in(client, boss)
    group = Group.objects.get(name=CITY_EDITORS)
    english = {"accept-language": "en"}
    page = client.get(reverse("admin:auth_group_delete", args=[group.pk]), headers=english).text
    assert 'グループ "市の編集者"を削除しますか？' in page
    assert "City editors" not in page.replace('value="City editors"', "")
    StaffProfile.objects.filter(user=boss).update(language="en")
    page = client.get(reverse("admin:auth_group_delete", args=[group.pk]), headers=english).text
    assert 'delete the group "City editors"?' in page and "市の編集者" not in page
