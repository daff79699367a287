"""Benchmark: the CPU time one process spends on a page, with no server, client or network.

It calls the project's WSGI application directly, on PostgreSQL, for a page served from the page
cache (the home page) and for a search whose query string is new each time, so every request is
searched and rendered. It prints each one's CPU time per request (the best of five batches) and
the search's cost as a multiple of the cached page's, measured in the same run: load_bench's
figures also hold gunicorn, wrk and the database server, this one only Django and the project.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/madoguchi_bench \\
        .venv/bin/python bench/request_cost.py [--scale 1] [--requests 500]

The database named by BENCH_DATABASE_URL is dropped and filled as load_bench fills it. The page
cache is each process's own memory unless REDIS_URL names a Redis.
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load_bench  # noqa: E402  (sets DATABASE_URL and the settings module first)

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
if load_bench.REDIS_URL:
    os.environ["REDIS_URL"] = load_bench.REDIS_URL

PAGES = [("home (cached)", "/en/", ""), ("search*", "/en/search/", "q=kooriyama&miss=")]


def caller(app, path, query):
    """A function that requests the page once; a query ending in "=" gets a new value each time."""
    sent = 0

    def call():
        nonlocal sent
        sent += 1
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": f"{query}{time.time()}-{sent}" if query.endswith("=") else query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_ACCEPT_ENCODING": "gzip, br",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
        }
        status = []
        b"".join(app(environ, lambda line, headers, exc_info=None: status.append(line)))
        assert status[0].startswith("200"), f"{path}?{query} answered {status[0]}"

    return call


def cpu_ms(call, requests):
    """CPU milliseconds per request, the best of five batches after a warm-up."""
    for _ in range(requests // 5):
        call()
    batches = []
    for _ in range(5):
        started = time.process_time()
        for _ in range(requests):
            call()
        batches.append((time.process_time() - started) * 1000 / requests)
    return min(batches)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="times the published data")
    parser.add_argument("--requests", type=int, default=500, help="requests a batch")
    args = parser.parse_args()
    load_bench.django.setup()
    load_bench.fill(args.scale)
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    figures = {
        label: cpu_ms(caller(app, path, query), args.requests) for label, path, query in PAGES
    }
    print(f"request cost: CPU per request in one process, {args.scale}x the published data")
    cached = figures["home (cached)"]
    for label, ms in figures.items():
        print(f"  {label:<14} {ms:6.2f} ms  {ms / cached:5.1f}x the cached page")


if __name__ == "__main__":
    main()
