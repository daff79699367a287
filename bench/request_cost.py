"""Benchmark: the time one process spends on a page, with no server, client or network.

It calls the project's WSGI application directly, on PostgreSQL, for a page served from the page
cache (the home page) and for searches whose query string is new each time, so every request is
searched in SQL and rendered: a prefecture's name (in letters and in kanji), and a word nearly
every made-up city holds. It prints each one's CPU time per request in this process, its wall
time (which adds the database server's work, as the search runs there), both the best of five
batches, and the CPU as a multiple of the cached page's, measured in the same run: load_bench's
figures also hold gunicorn and wrk.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/madoguchi_bench \\
        .venv/bin/python bench/request_cost.py [--scale 1] [--requests 500]

The database named by BENCH_DATABASE_URL is dropped and filled as load_bench fills it. Pages are
kept in the process's memory, as in production; the directory's version and pieces of pages in
the Redis REDIS_URL names, else in files.
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

PAGES = [
    ("home (cached)", "/en/", ""),
    # A prefecture's name: its listed cities, the unlisted city of that name, the first desk.
    ("search*", "/en/search/", "q=hyogo+"),
    # The same in kanji (兵庫県): a word in Japanese is also read against every place's name.
    ("search* kanji", "/en/search/", "q=%E5%85%B5%E5%BA%AB%E7%9C%8C+"),
    # Every made-up city has an "International Affairs Section": many rows to count and rank.
    # ("International" alone is a word about the service, which a search leaves out.)
    ("search* many", "/en/search/", "q=affairs+"),
]


def caller(app, path, query):
    """A function that requests the page once; a query ending in "+" gets a new number each
    time, which a search reads as a street number and leaves out."""
    sent = 0

    def call():
        nonlocal sent
        sent += 1
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": f"{query}{time.time_ns()}{sent}" if query.endswith("+") else query,
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


def cost_ms(call, requests):
    """CPU and wall milliseconds per request, each the best of five batches after a warm-up."""
    for _ in range(requests // 5):
        call()
    cpu, wall = [], []
    for _ in range(5):
        started, started_wall = time.process_time(), time.perf_counter()
        for _ in range(requests):
            call()
        cpu.append((time.process_time() - started) * 1000 / requests)
        wall.append((time.perf_counter() - started_wall) * 1000 / requests)
    return min(cpu), min(wall)


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
        label: cost_ms(caller(app, path, query), args.requests) for label, path, query in PAGES
    }
    print(f"request cost: per request in one process, {args.scale}x the published data")
    cached, _ = figures["home (cached)"]
    for label, (cpu, wall) in figures.items():
        ratio = cpu / cached
        print(f"  {label:<14} {cpu:6.2f} ms CPU {wall:6.2f} ms wall  {ratio:5.1f}x the cached page")


if __name__ == "__main__":
    main()
