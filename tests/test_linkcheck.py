"""Link checking against local HTTP servers started here (never the internet)."""

import socket

import httpx
import pytest
from django.core.management import call_command

from directory import linkcheck
from directory.models import LinkCheck
from tests.builders import make_city, make_class_link, make_department
from tests.http_server import LocalServer, refused_port


@pytest.fixture(scope="module")
def server():
    with LocalServer() as running:
        yield running


@pytest.fixture
def client():
    with linkcheck.make_client(timeout=0.5) as http:
        yield http


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


def test_a_server_slower_than_the_timeout_is_a_timeout(server, client):
    result = linkcheck.check_url(client, server.url("/slow"))
    assert (result.status_code, result.error) == (None, "timeout")


def test_a_closed_port_is_refused(client):
    result = linkcheck.check_url(client, f"http://127.0.0.1:{refused_port()}/")
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
    def unresolvable(request):
        raise httpx.ConnectError("lookup failed") from socket.gaierror(
            socket.EAI_NONAME, "Name or service not known"
        )

    with httpx.Client(transport=httpx.MockTransport(unresolvable)) as http:
        result = linkcheck.check_url(http, "https://no-such-city.example/")
    assert result.error == "dns"


def test_requests_name_madoguchi_in_the_user_agent(server, client):
    linkcheck.check_url(client, server.url("/ok?agent"))
    agents = [agent for _, path, agent in server.httpd.seen if path == "/ok?agent"]
    assert agents and all("madoguchi" in agent for agent in agents)


def test_no_more_than_the_bound_of_requests_reach_one_host_at_once(client):
    with LocalServer() as busy:
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
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No such city: atlantis"):
        call_command("check_links", "--city", "atlantis")
