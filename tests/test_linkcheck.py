"""Link checking against local HTTP servers started here (never the internet).

The checker reaches only public addresses; each test lets it reach its own local servers through
LINKCHECK_ALLOWED_ADDRESSES, as production never does.
"""

import datetime
import ipaddress
import socket
import threading
import time
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from directory import linkcheck
from directory.models import LinkCheck, LinkCheckRequest
from tests.builders import make_city, make_class_link, make_department
from tests.http_server import LocalServer, refused_port


@pytest.fixture(scope="module")
def server():
    with LocalServer() as running:
        yield running


@pytest.fixture
def forbidden():
    """A local server the checker is not allowed to reach: it must see no connection at all."""
    with LocalServer() as running:
        yield running


@pytest.fixture(autouse=True)
def allow_server(settings, server):
    settings.LINKCHECK_ALLOWED_ADDRESSES = [server.address]
    return settings


@pytest.fixture
def client():
    """The checker's client with its own timeouts: a local server answers well within them."""
    with linkcheck.make_client() as http:
        yield http


def resolving_to(*addresses):
    """A resolver (getaddrinfo's signature) that answers `addresses` for every name."""

    def resolve(host, port, **kwargs):
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in addresses
        ]

    return resolve


def assert_refused_without_a_trace(result):
    """Refused as a private address, with nothing the forbidden host could have told us."""
    assert result.error == "private"
    assert (result.status_code, result.final_url, result.redirects, result.message) == (
        None,
        "",
        [],
        "",
    )


def test_a_page_that_answers_200_is_ok(server, client):
    result = linkcheck.check_url(client, server.url("/ok"))
    assert (result.status_code, result.error, result.redirects) == (200, "", [])
    assert result.final_url == server.url("/ok")
    assert result.checked_at is not None


def test_a_301_chain_is_followed_and_every_hop_recorded(server, client):
    result = linkcheck.check_url(client, server.url("/moved"))
    assert result.ok and result.status_code == 200
    assert result.final_url == server.url("/ok")
    assert result.redirects == [[301, server.url("/moved")], [301, server.url("/moved-again")]]


def test_a_404_is_an_http_error(server, client):
    result = linkcheck.check_url(client, server.url("/missing"))
    assert (result.status_code, result.error) == (404, "http")
    assert "404" in result.message


def test_a_500_is_an_http_error(server, client):
    result = linkcheck.check_url(client, server.url("/broken"))
    assert (result.status_code, result.error) == (500, "http")


def test_a_server_slower_than_the_timeout_is_a_timeout(server):
    with linkcheck.make_client(timeout=0.5) as http:
        result = linkcheck.check_url(http, server.url("/slow"))
    assert (result.status_code, result.error) == (None, "timeout")


def test_a_server_that_trickles_its_answer_is_given_up_on_at_the_deadline(
    server, client, monkeypatch
):
    # Each byte comes well within the read timeout; the whole answer would take 13 s.
    monkeypatch.setattr(linkcheck, "DEADLINE", 1.0)
    started = time.monotonic()
    result = linkcheck.check_url(client, server.url("/trickle"))
    assert time.monotonic() - started < 1.0 + 4
    assert (result.status_code, result.error) == (None, "timeout")
    assert "deadline" in result.message


def test_a_closed_port_is_refused(client, settings):
    port = refused_port()
    settings.LINKCHECK_ALLOWED_ADDRESSES = [f"127.0.0.1:{port}"]
    result = linkcheck.check_url(client, f"http://127.0.0.1:{port}/")
    assert (result.status_code, result.error) == (None, "refused")


def test_a_server_that_refuses_head_is_asked_again_with_get(server, client):
    result = linkcheck.check_url(client, server.url("/no-head"))
    assert (result.status_code, result.error) == (200, "")
    methods = [method for method, path, _ in server.httpd.seen if path == "/no-head"]
    assert methods[-2:] == ["HEAD", "GET"]


def test_a_page_that_answers_head_is_not_fetched_with_get(server, client):
    linkcheck.check_url(client, server.url("/ok?head-only"))
    methods = [method for method, path, _ in server.httpd.seen if path == "/ok?head-only"]
    assert methods == ["HEAD"]


def test_tls_spoken_to_a_plain_http_server_is_a_tls_error(server, client):
    result = linkcheck.check_url(client, server.url("/ok").replace("http://", "https://"))
    assert result.error == "tls"


def test_a_host_that_does_not_resolve_is_a_dns_error():
    def unresolvable(host, port, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with linkcheck.make_client(resolve=unresolvable) as http:
        result = linkcheck.check_url(http, "https://no-such-city.example/")
    assert result.error == "dns"


@pytest.fixture
def silent_name_server():
    """A resolver (getaddrinfo's signature) whose name server never answers while the test runs:
    each lookup blocks until teardown lets it fail, and teardown waits for the lookups to end."""
    released = threading.Event()
    lookups = []

    def resolve(host, port, **kwargs):
        lookups.append(threading.current_thread())
        # 10 s at most: without the deadline on lookups a test fails rather than hangs.
        released.wait(10)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    resolve.lookups = lookups
    yield resolve
    released.set()
    threads = [thread for thread in lookups if thread is not threading.current_thread()]
    for thread in threads:
        thread.join(5)
    assert not any(thread.is_alive() for thread in threads)


def test_a_host_whose_name_server_never_answers_fails_within_the_deadline(
    silent_name_server, monkeypatch
):
    monkeypatch.setattr(linkcheck, "DEADLINE", 0.3)
    started = time.monotonic()
    with linkcheck.make_client(resolve=silent_name_server) as http:
        result = linkcheck.check_url(http, "https://silent.example/")
    assert time.monotonic() - started < 5
    assert (result.status_code, result.error) == (None, "timeout")
    assert "silent.example" in result.message
    assert len(silent_name_server.lookups) == 1


def test_lookups_stuck_on_a_silent_name_server_hold_no_more_threads_than_the_bound(
    silent_name_server, monkeypatch
):
    monkeypatch.setattr(linkcheck, "DEADLINE", 0.3)
    monkeypatch.setattr(linkcheck, "_lookup_slots", threading.BoundedSemaphore(1))
    with linkcheck.make_client(resolve=silent_name_server) as http:
        first = linkcheck.check_url(http, "https://silent.example/")
        second = linkcheck.check_url(http, "https://also-silent.example/")
    # The first lookup still holds the one slot: the second check times out without a thread.
    assert (first.error, second.error) == ("timeout", "timeout")
    assert len(silent_name_server.lookups) == 1


def test_requests_name_madoguchi_in_the_user_agent(server, client):
    linkcheck.check_url(client, server.url("/ok?agent"))
    agents = [agent for _, path, agent in server.httpd.seen if path == "/ok?agent"]
    assert agents and all("madoguchi" in agent for agent in agents)


def test_no_more_than_the_bound_of_requests_reach_one_host_at_once(client, settings):
    with LocalServer() as busy:
        settings.LINKCHECK_ALLOWED_ADDRESSES = [busy.address]
        urls = [busy.url(f"/busy/{n}") for n in range(8)]
        results = linkcheck.check_urls(urls, client=client, workers=8, per_host=2)
        assert busy.httpd.most_active == 2
    assert len(results) == 8 and all(result.ok for result in results)


@pytest.mark.django_db
def test_check_links_keeps_each_urls_last_result(server):
    city = make_city()
    make_department(city, url=server.url("/ok"))
    make_department(city, url=server.url("/missing"))
    make_class_link(city, url=server.url("/moved"))
    stale = {"status_code": 200, "checked_at": "2020-01-01 00:00Z"}
    LinkCheck.objects.create(url=server.url("/missing"), **stale)

    summary = linkcheck.check_links([city])

    checks = {check.url: check for check in LinkCheck.objects.all()}
    assert set(checks) == {server.url(path) for path in ("/ok", "/missing", "/moved")}
    assert (checks[server.url("/missing")].status_code, checks[server.url("/missing")].error) == (
        404,
        "http",
    )
    assert checks[server.url("/moved")].is_redirected
    assert checks[server.url("/moved")].final_url == server.url("/ok")
    assert checks[server.url("/ok")].checked_at.year > 2020
    assert len(summary.broken) == 1 and len(summary.redirected) == 1


@pytest.mark.django_db
def test_the_command_checks_only_the_city_asked_for_and_draws_progress(server, capsys):
    asked, other = make_city(), make_city()
    make_department(asked, url=server.url("/ok"))
    make_department(other, url=server.url("/broken"))

    call_command("check_links", "--city", asked.slug)

    assert list(LinkCheck.objects.values_list("url", flat=True)) == [server.url("/ok")]
    out, err = capsys.readouterr()
    assert "1 links checked" in out and "0 broken" in out
    assert "1/1" in err and "#" in err


@pytest.mark.django_db
def test_the_command_names_a_city_it_does_not_know():
    with pytest.raises(CommandError, match="No such city: atlantis"):
        call_command("check_links", "--city", "atlantis")


# --- Only the public internet ---


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/ok",
        "http://127.1.2.3:{port}/ok",
        "http://10.0.0.1/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://0.0.0.0:{port}/ok",
        "http://[::1]:{port}/ok",
        "http://[::ffff:127.0.0.1]:{port}/ok",
        "http://[fe80::1]/",
        "http://localhost:{port}/ok",
    ],
)
def test_it_refuses_a_private_address_without_connecting(client, forbidden, url):
    result = linkcheck.check_url(client, url.format(port=forbidden.httpd.server_port))
    assert_refused_without_a_trace(result)
    assert forbidden.httpd.connections == 0


def test_it_refuses_a_name_that_resolves_to_loopback(forbidden):
    with linkcheck.make_client(resolve=resolving_to("127.0.0.1")) as http:
        result = linkcheck.check_url(http, f"http://city.example:{forbidden.httpd.server_port}/")
    assert_refused_without_a_trace(result)
    assert forbidden.httpd.connections == 0


def test_it_refuses_a_name_that_resolves_to_a_public_and_a_private_address(forbidden):
    # Trying the public one first would still let the name's owner reach inside.
    resolve = resolving_to("93.184.216.34", "10.1.2.3")
    with linkcheck.make_client(resolve=resolve, timeout=0.5) as http:
        result = linkcheck.check_url(http, "http://both.example/")
    assert_refused_without_a_trace(result)


def test_it_connects_to_the_address_it_resolved_and_vetted(server):
    # city.example resolves nowhere in real DNS: reaching the server proves the checker
    # connected to the address its own lookup vetted, not to a second lookup's.
    with linkcheck.make_client(resolve=resolving_to("127.0.0.1")) as http:
        result = linkcheck.check_url(http, f"http://city.example:{server.httpd.server_port}/ok?pin")
    assert (result.status_code, result.error) == (200, "")
    assert [path for _, path, _ in server.httpd.seen if path == "/ok?pin"] == ["/ok?pin"]


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{port}/ok",
        "http://localhost:{port}/ok",
        "http://[::1]:{port}/ok",
        "http://169.254.169.254/latest/meta-data/",
    ],
)
def test_a_public_site_that_redirects_inward_is_refused(client, server, forbidden, target):
    target = target.format(port=forbidden.httpd.server_port)
    result = linkcheck.check_url(client, server.url("/redirect?to=" + quote(target, safe="")))
    assert_refused_without_a_trace(result)
    assert forbidden.httpd.connections == 0


@pytest.mark.django_db
def test_a_refused_link_is_stored_as_refused_with_nothing_from_the_inside(server, forbidden):
    city = make_city()
    url = server.url("/redirect?to=" + quote(forbidden.url("/ok"), safe=""))
    make_department(city, url=url)

    linkcheck.check_links([city])

    check = LinkCheck.objects.get(url=url)
    assert (check.error, check.get_error_display()) == ("private", "refused: private address")
    assert (check.status_code, check.final_url, check.redirects, check.message) == (
        None,
        "",
        [],
        "",
    )
    assert forbidden.httpd.connections == 0


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.0.1",
        "100.64.0.1",
        "169.254.169.254",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
        "2002:7f00:1::",
        "2001:db8::1",
    ],
)
def test_an_address_off_the_public_internet_is_not_public(address):
    assert not linkcheck.is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["8.8.8.8", "133.242.0.1", "2001:4860:4860::8888"])
def test_a_public_internet_address_is_public(address):
    assert linkcheck.is_public(ipaddress.ip_address(address))


def test_the_project_allows_no_private_address_past_the_check():
    # The tests' fixture overrides Django's settings object; the module keeps what production reads.
    from config import settings as project

    assert project.LINKCHECK_ALLOWED_ADDRESSES == []


# --- Staff's requests, carried out outside web requests ---


@pytest.mark.django_db
def test_the_requested_run_checks_only_the_queue_and_empties_it(server):
    city = make_city()
    make_department(city, url=server.url("/ok?listed"))
    linkcheck.request_checks([server.url("/missing"), server.url("/ok")])

    summary = linkcheck.check_links(requested=True)

    assert sorted(result.url for result in summary.results) == sorted(
        [server.url("/missing"), server.url("/ok")]
    )
    assert set(LinkCheck.objects.values_list("url", flat=True)) == {
        server.url("/missing"),
        server.url("/ok"),
    }
    assert not LinkCheckRequest.objects.exists()


@pytest.mark.django_db
def test_a_request_made_after_the_run_began_waits_for_the_next_run(server):
    linkcheck.request_checks([server.url("/ok")])
    LinkCheckRequest.objects.update(requested_at=timezone.now() + datetime.timedelta(minutes=5))

    linkcheck.check_links(requested=True)

    assert LinkCheck.objects.filter(url=server.url("/ok")).exists()
    assert LinkCheckRequest.objects.filter(url=server.url("/ok")).exists()


@pytest.mark.django_db
def test_a_full_run_also_carries_out_the_requests(server):
    linkcheck.request_checks([server.url("/ok?asked")])

    call_command("check_links", "--no-progress")

    assert LinkCheck.objects.filter(url=server.url("/ok?asked")).exists()
    assert not LinkCheckRequest.objects.exists()


@pytest.mark.django_db
def test_the_command_carries_out_the_requests(server, capsys):
    linkcheck.request_checks([server.url("/broken")])

    call_command("check_links", "--requested", "--no-progress")

    assert LinkCheck.objects.get(url=server.url("/broken")).error == "http"
    assert not LinkCheckRequest.objects.exists()
    out, _ = capsys.readouterr()
    assert "1 links checked" in out and "1 broken" in out


@pytest.mark.django_db
def test_the_command_will_not_mix_the_queue_with_a_city():
    with pytest.raises(CommandError, match="--requested"):
        call_command("check_links", "--requested", "--city", "atlantis")


@pytest.mark.django_db
def test_a_requested_link_to_a_trickling_server_is_stored_as_a_timeout(server, monkeypatch):
    monkeypatch.setattr(linkcheck, "DEADLINE", 1.0)
    linkcheck.request_checks([server.url("/trickle")])

    call_command("check_links", "--requested", "--no-progress")

    assert LinkCheck.objects.get(url=server.url("/trickle")).error == "timeout"
    assert not LinkCheckRequest.objects.exists()


# --- One run at a time ---


@pytest.mark.django_db
def test_a_second_check_links_run_while_one_runs_checks_nothing(server, capsys):
    make_department(make_city(), url=server.url("/ok"))
    linkcheck.request_checks([server.url("/ok?asked")])
    cache.add(linkcheck.LOCK_KEY, "the run under way", 60)

    call_command("check_links", "--no-progress")

    out, _ = capsys.readouterr()
    assert "Another check_links run is under way" in out and "Nothing was checked." in out
    assert not LinkCheck.objects.exists()
    assert LinkCheckRequest.objects.count() == 1
    assert cache.get(linkcheck.LOCK_KEY) == "the run under way"


@pytest.mark.django_db
def test_a_run_lets_the_next_one_go_when_it_ends(server, capsys):
    make_department(make_city(), url=server.url("/ok"))

    call_command("check_links", "--no-progress")
    call_command("check_links", "--no-progress")

    out, _ = capsys.readouterr()
    assert out.count("1 links checked") == 2 and "under way" not in out
    assert cache.get(linkcheck.LOCK_KEY) is None


@pytest.mark.django_db
def test_the_lock_of_a_run_that_died_lapses(server, monkeypatch, capsys):
    monkeypatch.setattr(linkcheck, "LOCK_SECONDS", 1)
    make_department(make_city(), url=server.url("/ok"))
    # Taken and never let go, as by a process killed mid-run.
    cache.add(linkcheck.LOCK_KEY, "a run that died", linkcheck.LOCK_SECONDS)
    time.sleep(1.5)

    call_command("check_links", "--no-progress")

    assert "1 links checked" in capsys.readouterr()[0]
    assert LinkCheck.objects.filter(url=server.url("/ok")).exists()


@pytest.mark.django_db
def test_a_run_that_cannot_reach_the_cache_of_its_lock_says_so_and_checks_nothing(
    server, monkeypatch, capsys
):
    class OutOfReach:
        def add(self, *args, **kwargs):
            return None  # what django-redis answers while Redis is down

    monkeypatch.setattr(linkcheck, "cache", OutOfReach())
    make_department(make_city(), url=server.url("/ok"))

    call_command("check_links", "--no-progress")

    assert "out of reach" in capsys.readouterr()[0]
    assert not LinkCheck.objects.exists()
