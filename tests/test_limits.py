"""Limits counted in the database, and the client address they count by."""

import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from directory.limits import allow, client_ip
from directory.models import LimitCounter

HOUR = timedelta(hours=1)


def later(minutes):
    """Pretend `minutes` have passed."""
    return mock.patch(
        "django.utils.timezone.now", return_value=timezone.now() + timedelta(minutes=minutes)
    )


@pytest.mark.django_db
def test_a_key_is_allowed_its_limit_in_a_window_and_then_refused():
    assert [allow("reports:a", 3, HOUR) for _ in range(5)] == [True] * 3 + [False] * 2


@pytest.mark.django_db
def test_each_key_has_its_own_count():
    assert [allow("reports:a", 1, HOUR), allow("reports:b", 1, HOUR)] == [True, True]
    assert not allow("reports:a", 1, HOUR)


@pytest.mark.django_db
def test_the_window_starts_at_the_first_use_and_a_new_one_after_it_ends():
    allow("reports:a", 2, HOUR)
    with later(30):
        assert allow("reports:a", 2, HOUR)
        assert not allow("reports:a", 2, HOUR)
    with later(59):
        assert not allow("reports:a", 2, HOUR)
    with later(61):
        assert [allow("reports:a", 2, HOUR) for _ in range(3)] == [True, True, False]


@pytest.mark.django_db
def test_ended_windows_are_swept_when_a_new_one_starts():
    allow("reports:a", 2, HOUR)
    allow("reports:b", 2, HOUR)
    with later(61):
        allow("reports:c", 2, HOUR)
    assert list(LimitCounter.objects.values_list("key", flat=True)) == ["reports:c"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_twenty_uses_at_once_get_exactly_the_limit():
    answers = []
    start = threading.Barrier(20)

    def use():
        start.wait()
        try:
            answers.append(allow("reports:a", 10, HOUR))
        finally:
            connection.close()

    threads = [threading.Thread(target=use) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [False] * 10 + [True] * 10


def request_from(remote, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from("192.0.2.1", "203.0.113.9")) == "192.0.2.1"


def test_behind_two_proxies_the_address_the_outer_proxy_saw_is_used(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = request_from("10.0.0.2", "6.6.6.6, 203.0.113.9, 10.0.0.1")
    assert client_ip(request) == "203.0.113.9"


def test_a_forwarded_header_shorter_than_the_proxy_chain_is_not_trusted(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_from("10.0.0.2", "203.0.113.9")) == "10.0.0.2"


def test_a_forwarded_entry_that_is_not_an_address_is_not_used(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from("10.0.0.2", "<script>")) == "10.0.0.2"
    assert client_ip(request_from("10.0.0.2", "2001:db8::7")) == "2001:db8::7"
