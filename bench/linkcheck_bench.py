"""Benchmark: the link check of every link in the published seed against one local server.

Every host name resolves to a server on 127.0.0.1 through the checker's resolver hook, never
/etc/hosts or the internet, and is vetted as any address is (the server's address is let through
with LINKCHECK_ALLOWED_ADDRESSES, as in the tests). The server waits LATENCY seconds before each
answer, like a distant city server; the check runs with the checker's defaults and, side by
side, with one worker, to show what the concurrency buys. The target is under 10 s for the
whole seed.

    .venv/bin/python bench/linkcheck_bench.py
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-for-production-0123456789")

import django  # noqa: E402

django.setup()

import socket  # noqa: E402

from django.test import override_settings  # noqa: E402

from directory import linkcheck, proxies  # noqa: E402
from directory.importexport.published_table import parse_file  # noqa: E402
from tests.http_server import AnswerAll, LocalServer  # noqa: E402

LATENCY = 0.05
TARGET_SECONDS = 10.0


class SlowAnswerAll(AnswerAll):
    def route(self, path):
        time.sleep(LATENCY)
        super().route(path)


class PlainHTTPTransport(linkcheck.PublicOnlyTransport):
    """The checker's own transport, speaking plain HTTP to the local server's port (it has no
    certificate); the Host header still names the real host."""

    def __init__(self, port, **kwargs):
        super().__init__(**kwargs)
        self.port = port

    def handle_request(self, request):
        request.url = request.url.copy_with(scheme="http", port=self.port)
        return super().handle_request(request)


def to_loopback(host, port, **kwargs):
    """Every name resolves to the local server."""
    return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]


def seed_urls():
    """Every department website and class link in the seed, and the pages proxies wrap."""
    urls = {}
    for city in parse_file():
        for department in city.departments:
            for url in [department.url, *(link.url for link in department.links)]:
                if url:
                    urls[url] = None
                    if original := proxies.original_url(url):
                        urls[original] = None
    return list(urls)


def timed_check(urls, port, workers):
    transport = PlainHTTPTransport(port, resolve=to_loopback, workers=workers)
    with linkcheck.make_client(transport=transport, workers=workers) as client:
        started = time.perf_counter()
        results = linkcheck.check_urls(urls, client=client, workers=workers)
        seconds = time.perf_counter() - started
    failed = [result for result in results if not result.ok]
    assert len(results) == len(urls) and not failed, failed[:3]
    return seconds


def main():
    urls = seed_urls()
    hosts = {linkcheck._host(url) for url in urls}
    with (
        LocalServer(SlowAnswerAll) as server,
        override_settings(LINKCHECK_ALLOWED_ADDRESSES=[server.address]),
    ):
        port = server.httpd.server_port
        concurrent = timed_check(urls, port, linkcheck.WORKERS)
        serial = timed_check(urls, port, 1)
    print(f"{len(urls)} seed URLs on {len(hosts)} hosts, server latency {LATENCY * 1000:.0f} ms")
    print(
        f"check with {linkcheck.WORKERS} workers, {linkcheck.PER_HOST} per host: "
        f"{concurrent:.2f} s (target < {TARGET_SECONDS:.0f} s: "
        f"{'met' if concurrent < TARGET_SECONDS else 'MISSED'})"
    )
    print(f"same check with 1 worker: {serial:.2f} s ({serial / concurrent:.1f}x slower)")


if __name__ == "__main__":
    main()
