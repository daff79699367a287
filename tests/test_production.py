"""The production path inside one process: headers, cookies, static files, /healthz, page cache."""

import gc
import logging
import runpy
import socket
import threading
import time
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

from directory.models import CityQuerySet, ClassLink, Department
from directory.pagecache.backends import ResilientRedisCache
from directory.signals import directory_changed
from tests.builders import (
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


def test_a_public_page_is_served_from_the_cache_with_one_query(
    client, city, django_assert_max_num_queries
):
    url = city.get_absolute_url()
    first = client.get(url)

    with django_assert_max_num_queries(1):  # the directory's version token, nothing else
        again = client.get(url)

    assert again.content == first.content
    assert b"International Exchange Section" in again.content


@pytest.mark.django_db(transaction=True)
def test_a_cached_page_is_served_after_the_database_drops_the_kept_connection(client):
    """The version query stands in for CONN_HEALTH_CHECKS on cached pages, so it must reconnect."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL ends a connection from another session; SQLite has none")
    import psycopg

    load_prefectures()
    url = make_city(name="Sakuradai").get_absolute_url()
    assert client.get(url).status_code == 200
    kept = connection.connection.info.backend_pid
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
        # The database ending the session, as a restart does, while the process keeps it.
        other.execute("SELECT pg_terminate_backend(%s)", [kept])

    response = client.get(url)

    assert response.status_code == 200
    assert b"Sakuradai" in response.content
    assert connection.connection.info.backend_pid != kept


NEAR_AND_SHARED = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared"},
    "pages-near": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "near",
    },
}


@pytest.fixture
def near_copies(settings):
    """A shared cache, as Redis is, with each process's own copies of pages in front of it."""
    settings.CACHES = NEAR_AND_SHARED
    settings.PAGE_CACHE_NEAR_ALIAS = "pages-near"


def test_a_process_serves_its_own_copy_of_a_page_without_asking_the_shared_cache(
    client, city, near_copies
):
    url = city.get_absolute_url()
    client.get(url)
    Department.objects.filter(city=city).update(name="Quietly Renamed Section")

    with mock.patch.object(caches["default"], "get", side_effect=AssertionError("asked")):
        assert b"International Exchange Section" in client.get(url).content


def test_a_process_takes_a_page_another_node_stored_and_drops_it_after_a_change(
    client, city, near_copies
):
    url = city.get_absolute_url()
    client.get(url)
    caches["pages-near"].clear()  # as if another node had rendered and stored the page
    Department.objects.filter(city=city).update(name="Quietly Renamed Section")
    assert b"International Exchange Section" in client.get(url).content

    directory_changed.send(sender=Department)

    assert b"Quietly Renamed Section" in client.get(url).content


def test_a_change_that_tells_no_one_is_not_seen_which_shows_the_page_is_cached(client, city):
    url = city.get_absolute_url()
    client.get(url)

    Department.objects.filter(city=city).update(name="Quietly Renamed Section")

    assert b"International Exchange Section" in client.get(url).content


def test_a_search_is_looked_up_and_stored_only_once_it_has_been_asked_for_twice(client, city):
    url = reverse("directory:search") + "?q=sakuradai"
    search = CityQuerySet.search
    with mock.patch.object(CityQuerySet, "search", autospec=True, side_effect=search) as searched:
        with mock.patch.object(caches["default"], "get", side_effect=AssertionError("asked")):
            assert b"1 city found" in client.get(url).content
        for _visit in range(2):
            assert b"1 city found" in client.get(url).content

    # Asked for once, the page was not stored; the second visit rendered and stored it.
    assert searched.call_count == 2


def test_an_admin_edit_is_visible_on_the_next_request(client, city, staff):
    department = city.departments.get()
    client.get(city.get_absolute_url())
    client.get(reverse("directory:home"))

    sign_in(client, staff)
    response = client.post(
        reverse("admin:directory_department_change", args=[department.pk]),
        {
            "city": city.pk,
            "name": "Multicultural Affairs Division",
            "url": "",
            "email": "desk@example.jp",
            "position": 0,
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


# Redis going away --------------------------------------------------------------------------


def _closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_redis_cache_misses_quietly_and_logs_once_when_redis_is_away(caplog):
    cache = ResilientRedisCache(f"redis://127.0.0.1:{_closed_port()}/0", {})

    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="directory.pagecache.backends"):
        for _ in range(20):
            cache.set("page", "content")
            assert cache.get("page", "missing") == "missing"
            assert cache.get_many(["page"]) == {}
            assert cache.add("page", "content") is False
            with pytest.raises(ValueError):
                cache.incr("reports")

    assert time.monotonic() - started < 2
    outages = [r for r in caplog.records if "Redis unavailable" in r.getMessage()]
    assert len(outages) == 1


def test_the_redis_cache_shares_one_client_between_threads():
    cache = ResilientRedisCache("redis://127.0.0.1:6379/0", {})
    clients = []
    together = threading.Barrier(4)
    make_pool = cache._cache._pool_class.from_url

    def slowly_made_pool(*args, **kwargs):
        time.sleep(0.05)  # long enough for every thread to reach the pool's making
        return make_pool(*args, **kwargs)

    def first_request():
        together.wait()
        clients.append(cache._cache.get_client())

    threads = [threading.Thread(target=first_request) for _ in range(4)]
    with mock.patch.object(cache._cache._pool_class, "from_url", side_effect=slowly_made_pool):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert len({id(client) for client in clients}) == 1
    assert clients[0].connection_pool is cache._cache._get_connection_pool(write=False)


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
