"""The production path inside one process: headers, cookies, static files, /healthz, page cache."""

import gc
import logging
import runpy
import socket
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import caches
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django_redis.cache import RedisCache

from directory import version
from directory.models import CityQuerySet, ClassLink, Department
from directory.signals import directory_changed
from tests.builders import (
    department_form,
    load_prefectures,
    make_city,
    make_class_link,
    make_department,
    sign_in,
)

PASSWORD = "a-long-staff-password-1"  # noqa: S105


@pytest.fixture
def city(db):
    load_prefectures()
    city = make_city(name="Sakuradai")
    department = make_department(city, name="International Exchange Section")
    make_class_link(city, department=department, label="Sakura Japanese Class")
    return city


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_superuser("staff", "staff@example.jp", PASSWORD)


# Security headers ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/en/", "/admin/login/", "/healthz"])
def test_every_response_carries_the_security_headers(client, city, path):
    client.get(path, secure=True)
    response = client.get(path, secure=True)  # a public page comes from the cache this time

    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_plain_http_is_redirected_to_https_except_the_health_check(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/").status_code == 301
    assert client.get("/").headers["Location"].startswith("https://")
    assert client.get("/healthz").status_code == 200


def test_session_and_csrf_cookies_are_secure_and_the_session_cookie_hidden_from_scripts(
    client, staff
):
    login = client.get("/admin/login/")
    response = client.post(
        "/admin/login/?next=/admin/",
        {
            "username": "staff",
            "password": PASSWORD,
            "csrfmiddlewaretoken": login.cookies["csrftoken"].value,
        },
    )

    assert response.status_code == 302
    assert login.cookies["csrftoken"]["secure"]
    assert response.cookies["sessionid"]["secure"]
    assert response.cookies["sessionid"]["httponly"]


# Static files ------------------------------------------------------------------------------


def test_static_files_are_hashed_compressed_and_cached_for_a_year(client, db):
    url = staticfiles_storage.url("css/site.css")
    assert url != "/static/css/site.css", "collectstatic has not hashed the stylesheet"

    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    cache_control = response["Cache-Control"]
    assert "immutable" in cache_control and "public" in cache_control
    assert int(cache_control.split("max-age=")[1].split(",")[0]) >= 365 * 24 * 3600
    assert "Accept-Encoding" in response["Vary"]


# Health check ------------------------------------------------------------------------------


def test_healthz_answers_200_when_the_database_answers(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_does_not(client, db):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("server closed")):
        response = client.get("/healthz")

    assert response.status_code == 503


def test_a_gunicorn_worker_puts_what_it_has_loaded_out_of_the_collectors_sight():
    hooks = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))
    frozen = gc.get_freeze_count()
    try:
        hooks["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > frozen
    finally:
        gc.unfreeze()


# Page cache --------------------------------------------------------------------------------


def test_browsers_are_told_to_ask_again_so_an_edit_shows_on_their_next_request(client, city):
    url = city.get_absolute_url()

    for response in (client.get(url), client.get(url)):  # rendered, then from the cache
        assert "max-age=0" in response["Cache-Control"]


def test_a_change_that_tells_no_one_is_not_seen_which_shows_the_page_is_cached(client, city):
    url = city.get_absolute_url()
    client.get(url)

    Department.objects.filter(city=city).update(name="Quietly Renamed Section")

    assert b"International Exchange Section" in client.get(url).content


def test_a_search_asked_for_again_is_served_from_the_cache(client, city):
    """Pages with a query string are Django's cache's like any other, keyed by the full URL."""
    url = reverse("directory:search") + "?q=sakurada"
    search = CityQuerySet.search
    with mock.patch.object(CityQuerySet, "search", autospec=True, side_effect=search) as searched:
        for asked, found in ((url, b"1 city found"), (url + "&region=kinki", b"0 cities found")):
            assert found in client.get(asked).content
            made = searched.call_count
            assert made
            for _visit in range(2):
                assert found in client.get(asked).content
            assert searched.call_count == made


def test_an_admin_edit_is_visible_on_the_next_request(client, city, staff):
    department = city.departments.get()
    client.get(city.get_absolute_url())
    client.get(reverse("directory:home"))

    sign_in(client, staff)
    response = client.post(
        reverse("admin:directory_department_change", args=[department.pk]),
        {
            **department_form(
                department, name="Multicultural Affairs Division", email="desk@example.jp"
            ),
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    client.logout()

    page = client.get(city.get_absolute_url()).content
    assert b"Multicultural Affairs Division" in page
    assert b"International Exchange Section" not in page


def test_a_bulk_import_that_sends_directory_changed_is_visible_on_the_next_request(client, city):
    client.get(city.get_absolute_url())

    Department.objects.filter(city=city).update(name="Bulk Imported Section")
    directory_changed.send(sender=Department)

    assert b"Bulk Imported Section" in client.get(city.get_absolute_url()).content


def test_a_deleted_class_link_disappears_on_the_next_request(client, city):
    client.get(city.get_absolute_url())

    ClassLink.objects.get(city=city).delete()

    assert b"Sakura Japanese Class" not in client.get(city.get_absolute_url()).content


def test_a_new_city_appears_on_its_prefecture_page_on_the_next_request(client, city):
    # The home page lists prefectures, not cities; the prefecture page lists the city.
    url = city.prefecture.get_absolute_url()
    client.get(url)

    make_city(name="Newtown")

    assert b"Newtown" in client.get(url).content


def test_a_city_card_is_made_again_after_a_change_and_per_language(client, city):
    search = reverse("directory:search") + "?q=sakurada"
    assert b"1 Japanese class link<" in client.get(search).content

    make_class_link(city, department=city.departments.get(), label="Second Class")

    assert b"2 Japanese class links" in client.get(search + "&page=1").content
    with translation.override("vi"):
        vietnamese = reverse("directory:search") + "?q=sakurada"
    assert "2 lớp tiếng Nhật" in client.get(vietnamese).content.decode()


def test_each_language_keeps_its_own_cached_copy_of_a_page(client, city):
    with translation.override("ja"):
        japanese = city.get_absolute_url()
    with translation.override("en"):
        english = city.get_absolute_url()
    client.get(japanese)
    client.get(english)

    assert client.get(japanese)["Content-Language"] == "ja"
    assert client.get(english)["Content-Language"] == "en"


def test_a_visitor_with_a_message_waiting_gets_a_freshly_rendered_page(client, city):
    url = city.get_absolute_url()
    client.get(url)
    client.cookies["messages"] = "pending"

    with CaptureQueriesContext(connection) as queries:
        client.get(url)

    assert len(queries) > 1  # not only the version token: the page was rendered


def test_a_page_with_a_form_and_its_csrf_token_is_never_cached(client, city):
    url = reverse("directory:city-report", kwargs={"slug": city.slug})
    tokens = {client.get(url).cookies["csrftoken"].value for _ in range(2)}
    client.cookies.clear()

    assert client.get(url).cookies["csrftoken"].value not in tokens


# The cache itself -------------------------------------------------------------------------


def production_caches(monkeypatch, **env):
    """CACHES as config/settings.py makes them from this environment."""
    for name in ("REDIS_URL", "DEBUG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    made = runpy.run_path(str(Path(__file__).resolve().parent.parent / "config" / "settings.py"))
    return made["CACHES"], made.get("DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS", False)


def _closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_without_redis_every_worker_on_the_machine_shares_one_file_cache(monkeypatch):
    caches_setting, _ = production_caches(monkeypatch, CACHE_DIR="/srv/madoguchi-cache")

    assert caches_setting["default"]["BACKEND"].endswith("FileBasedCache")
    assert caches_setting["default"]["LOCATION"] == "/srv/madoguchi-cache"


def test_with_debug_on_nothing_is_cached_so_an_edited_template_shows_at_once(monkeypatch):
    caches_setting, _ = production_caches(monkeypatch, DEBUG="true")

    assert caches_setting["default"]["BACKEND"].endswith("DummyCache")
    assert caches_setting["pages"]["BACKEND"].endswith("DummyCache")


@pytest.mark.parametrize("redis_url", ["", "redis://127.0.0.1:6379/0"])
def test_each_worker_keeps_whole_pages_in_its_own_memory_with_or_without_redis(
    monkeypatch, redis_url
):
    caches_setting, _ = production_caches(monkeypatch, REDIS_URL=redis_url)

    assert caches_setting["pages"]["BACKEND"].endswith("LocMemCache")


def test_a_page_made_afresh_keeps_its_pieces_in_memory_too(client, city):
    shared = caches["default"]
    search = f"{reverse('directory:search')}?q={city.name}+never+seen"

    with mock.patch.object(shared, "get", wraps=shared.get) as read:
        page = client.get(search)

    assert page.status_code == 200
    assert {call.args[0] for call in read.call_args_list} == {version.CACHE_KEY}


def test_a_page_served_from_memory_asks_the_shared_cache_only_for_the_version(client, city):
    url = city.get_absolute_url()
    client.get(url)
    shared = caches["default"]

    with mock.patch.object(shared, "get", wraps=shared.get) as read:
        page = client.get(url)

    assert page.status_code == 200
    assert [call.args[0] for call in read.call_args_list] == [version.CACHE_KEY]


def test_pages_are_served_and_the_outage_logged_while_redis_is_away(
    client, city, settings, monkeypatch, caplog
):
    away = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.CACHES, settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = production_caches(
        monkeypatch, REDIS_URL=away
    )
    url = city.get_absolute_url()

    with caplog.at_level(logging.ERROR, logger="django_redis"):
        pages = [client.get(url) for _ in range(3)]
        desk = Department.objects.filter(city=city).first()
        desk.name = "Renamed While Redis Was Away"
        desk.save()
        pages.append(client.get(url))

    assert [page.status_code for page in pages] == [200] * 4
    # The directory's version is read from the database instead: the change shows at once.
    assert b"Renamed While Redis Was Away" in pages[-1].content
    assert any("Exception ignored" in record.getMessage() for record in caplog.records)


def test_a_redis_that_hangs_costs_a_call_fifty_milliseconds_not_a_failure(monkeypatch):
    """Timeouts as settings give them: a page's calls (a few dozen for a page of cards) each
    give up after REDIS_TIMEOUT, 50 ms unless the environment says otherwise."""
    with socket.socket() as hung:  # accepts connections, never answers
        hung.bind(("127.0.0.1", 0))
        hung.listen()
        caches_setting, _ = production_caches(
            monkeypatch, REDIS_URL=f"redis://127.0.0.1:{hung.getsockname()[1]}/0"
        )
        setting = caches_setting["default"]
        backend = RedisCache(setting["LOCATION"], setting)

        assert backend.get("page", "missing") == "missing"
        assert backend.set("page", "content") is None
        kwargs = backend.client.get_client().connection_pool.connection_kwargs
    assert kwargs["socket_timeout"] == kwargs["socket_connect_timeout"] == 0.05
