"""Benchmark: gunicorn on PostgreSQL and Redis under 32 connections, page by page, with wrk.

For each data size (the published seed, then 100 times as many cities and class links made up
around it) it fills a fresh PostgreSQL database, starts one gunicorn node with the project's
gunicorn.conf.py, and runs wrk against the home page, a results page, a search, a city page and
a static file, one after another, in several rounds; each figure is the median over the rounds.
"search" repeats one query, served from the page cache like the other pages; "search*" makes
every query new ("hyogo" and a number no request had, which a search reads as a street number
and leaves out), so every request misses the cache, is searched and rendered, and stored.
The static file, served by whitenoise from memory, is the ceiling: each page's throughput is
printed as a ratio of it (in the same round). /healthz, Django's smallest answer (one query, no
template, every middleware), is shown beside them: a cached page asks the database nothing and
the shared cache once (the directory's version); Django's two reads are in the worker's memory.
Targets (issue 14): cached pages at 0.5 of the static file or better, the uncached search at
0.1 or better, p99 under 250 ms, no errors.

    make bench                                     # or, with a database of your choosing:
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/madoguchi_bench \\
        .venv/bin/python bench/load_bench.py [--rounds 5] [--duration 3] [--scales 1 100]

The database named by BENCH_DATABASE_URL is dropped and made again. REDIS_URL names the cache;
without it a private redis-server is started on a free port.
"""

import argparse
import io
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/madoguchi_bench"
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-for-production-0123456789")
# The bench process itself only writes the data; it caches nothing.
REDIS_URL = os.environ.pop("REDIS_URL", "")

import django  # noqa: E402
import psycopg  # noqa: E402

CONNECTIONS = 32
TARGETS = {"cached": 0.5, "search": 0.1}
P99_TARGET_MS = 250.0
SETTLE_SECONDS = 1.0
SEED_CITIES, SEED_LINKS = 62, 65


def recreate_database(url):
    """Drop and create the bench database, through the server's maintenance database."""
    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"refusing to drop a database called {name!r}")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")


def fill(scale):
    """Migrate, load the seed, and make up cities and class links up to `scale` times it."""
    from django.core.management import call_command
    from django.db import connections, transaction

    from directory.models import City, ClassLink, Department, Prefecture
    from directory.signals import directory_changed
    from directory.validators import local_government_check_digit

    connections.close_all()
    recreate_database(DATABASE_URL)
    call_command("migrate", verbosity=0)
    call_command("load_published_table", stdout=io.StringIO())
    call_command("load_municipalities", stdout=io.StringIO())
    extra_cities = SEED_CITIES * scale - City.objects.count()
    extra_links = SEED_LINKS * scale - ClassLink.objects.count()
    if extra_cities <= 0:
        return
    taken = set(City.objects.values_list("code", flat=True))
    prefectures = list(Prefecture.objects.order_by("code"))
    cities = []
    serial = 0
    for number in range(500, 1000):  # municipality numbers the seed's cities do not use
        for prefecture in prefectures:
            code = f"{prefecture.code}{number:03d}"
            code += local_government_check_digit(code)
            if code in taken or len(cities) == extra_cities:
                continue
            serial += 1
            cities.append(
                City(
                    prefecture=prefecture,
                    name=f"Synthetic {serial:05d}",
                    name_ja=f"合成{serial}市",
                    name_kana="ごうせいし",
                    code=code,
                    slug=f"synthetic-{serial:05d}",
                )
            )
    with transaction.atomic():
        cities = City.objects.bulk_create(cities, batch_size=1000)
        departments = Department.objects.bulk_create(
            [
                Department(city=city, name="International Affairs Section", email="d@example.jp")
                for city in cities
            ],
            batch_size=1000,
        )
        links = [
            ClassLink(
                city=departments[i % len(departments)].city,
                department=departments[i % len(departments)],
                url=f"https://example.jp/classes/{i}",
                label=f"Japanese class {i}",
            )
            for i in range(extra_links)
        ]
        ClassLink.objects.bulk_create(links, batch_size=1000)
        directory_changed.send(sender=City)
    connections.close_all()


def pages():
    """The URLs to measure, by URL name; a page the site does not have yet is left out."""
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.urls import NoReverseMatch, reverse
    from django.utils import translation

    from directory.models import City, Prefecture

    city = City.objects.order_by("number").first()
    prefecture = Prefecture.objects.get(code="13")
    wanted = [
        ("home", "cached", "directory:home", {}, ""),
        ("results", "cached", "directory:prefecture-detail", {"code": prefecture.code}, ""),
        # A prefecture's name: its listed cities and the unlisted city of that name.
        ("search", "cached", "directory:search", {}, "?q=hyogo"),
        # The same search as a query never seen before, so each request is rendered.
        ("search*", "search", "directory:search", {}, "?q=hyogo+"),
        ("city", "cached", "directory:city-detail", {"slug": city.slug}, ""),
    ]
    found = []
    with translation.override("en"):
        for label, kind, name, kwargs, query in wanted:
            try:
                found.append((label, kind, reverse(name, kwargs=kwargs) + query))
            except NoReverseMatch:
                print(f"  ({label}: no URL named {name} on this site yet, left out)")
    found.append(("healthz", "query", reverse("healthz")))
    found.append(("static", "ceiling", staticfiles_storage.url("css/site.css")))
    return found


# For a URL ending in "+": a number no request has had before, so the page cache misses. (A
# parameter no page reads would not do: such a page is never stored, nor looked up.)
MISS_SCRIPT = """
local thread_id = 0
function setup(thread) thread_id = thread_id + 1; thread:set("id", thread_id) end
local sent = 0
function request()
  sent = sent + 1
  return wrk.format(nil, wrk.path .. os.time() .. id .. "0" .. sent)
end
"""


def settled_wrk(url, duration):
    """`wrk`, after a pause in which the node finishes what the page before left it."""
    time.sleep(SETTLE_SECONDS)
    return wrk(url, duration)


def wrk(url, duration):
    """Run wrk at 32 connections; return requests/s, p50 and p99 in ms, and errors."""
    script = []
    if url.endswith("+"):
        script_path = Path(os.environ.get("TMPDIR", "/tmp")) / "madoguchi-bench-miss.lua"
        script_path.write_text(MISS_SCRIPT)
        script = ["--script", str(script_path)]
    output = subprocess.run(
        [
            shutil.which("wrk") or "wrk",
            *("--threads", "2", "--connections", str(CONNECTIONS)),
            *("--duration", f"{duration}s", "--latency", "--timeout", "5s"),
            *("--header", "Accept-Encoding: gzip, br"),
            *script,
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    kinds = dict(re.findall(r"(connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    kinds["non-2xx"] = non_2xx.group(1) if non_2xx else "0"
    errors = sum(int(n) for n in kinds.values())
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": _ms(re.search(r"\s50%\s+([\d.]+\w+)", output).group(1)),
        "p99": _ms(re.search(r"\s99%\s+([\d.]+\w+)", output).group(1)),
        "errors": errors,
        "error_kinds": ", ".join(f"{kind} {n}" for kind, n in kinds.items() if int(n)),
    }


def _ms(value):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def measure(scale, duration, rounds_count, redis_url, show_rounds=False):
    from directory.models import City, ClassLink
    from tests.servers import GunicornNode, Visitor, production_env

    fill(scale)
    print(f"\n== {City.objects.count():,} cities, {ClassLink.objects.count():,} class links")
    urls = pages()
    env = production_env(DATABASE_URL=DATABASE_URL, REDIS_URL=redis_url)
    node = GunicornNode(env, workers=None, threads=None).start()  # gunicorn.conf.py's sizing
    time.sleep(2)  # every worker booted
    print(f"  gunicorn: {len(node.worker_pids())} gthread workers (gunicorn.conf.py), {node.url}")
    try:
        visitor = Visitor()
        for label, _, path in urls:  # warm every worker's imports and the page cache
            for _ in range(20):
                status = visitor.get(node.url + path)[0]
                assert status == 200, f"{label} {path} answered {status}"
        # Round after round, every page in turn: the machine is shared, and a burst of load
        # from elsewhere then lands on one round of every page, not on all of one page.
        rounds = [
            {label: settled_wrk(node.url + path, duration) for label, _, path in urls}
            for _ in range(rounds_count)
        ]
    finally:
        node.stop()
    if show_rounds:
        for number, figures in enumerate(rounds, start=1):
            print(
                f"  round {number}: " + ", ".join(f"{k} {v['rps']:.0f}" for k, v in figures.items())
            )
    return [(label, kind, path, [r[label] for r in rounds]) for label, kind, path in urls]


def report(results):
    """Print each page's medians over the rounds; its ratio is the median of its ratio to the
    static file measured in the same round."""
    ceiling = next(rounds for label, _, _, rounds in results if label == "static")
    print(f"  {'page':<8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'ratio':>6}  URL")
    failures = []
    for label, kind, path, rounds in results:
        ratio = median([r["rps"] / c["rps"] for r, c in zip(rounds, ceiling, strict=True)])
        rps, p50, p99 = (median([r[key] for r in rounds]) for key in ("rps", "p50", "p99"))
        errors = sum(r["errors"] for r in rounds)
        print(f"  {label:<8} {rps:>8.0f} {p50:>8.1f} {p99:>8.1f} {errors:>7} {ratio:>6.2f}  {path}")
        if kind in TARGETS and ratio < TARGETS[kind]:
            failures.append(f"{label} at {ratio:.2f} of static, target {TARGETS[kind]}")
        if p99 >= P99_TARGET_MS:
            failures.append(f"{label} p99 {p99:.1f} ms, target < {P99_TARGET_MS:.0f} ms")
        if errors:
            kinds = "; ".join(r["error_kinds"] for r in rounds if r["errors"])
            failures.append(f"{label} had {errors} errors ({kinds})")
    print("  targets: " + ("all met" if not failures else "MISSED: " + "; ".join(failures)))
    return not failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=3, help="seconds of wrk a page a round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds over every page")
    parser.add_argument("--show-rounds", action="store_true", help="print each round's req/s")
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 100])
    args = parser.parse_args()
    if not DATABASE_URL.startswith(("postgres://", "postgresql://")):
        raise SystemExit("BENCH_DATABASE_URL must name a PostgreSQL database")
    django.setup()
    from tests.servers import RedisServer

    redis = None if REDIS_URL else RedisServer().start()
    redis_url = REDIS_URL or redis.url
    print(
        f"load bench: wrk, {CONNECTIONS} connections, {args.rounds} rounds of {args.duration} s a"
        f" page (medians shown), {os.cpu_count()}"
        f" cores, PostgreSQL {DATABASE_URL.rsplit('@', 1)[-1]}, Redis {redis_url}"
    )
    started = time.monotonic()
    try:
        met = [
            report(measure(scale, args.duration, args.rounds, redis_url, args.show_rounds))
            for scale in args.scales
        ]
    finally:
        if redis:
            redis.stop()
    print(f"\n{time.monotonic() - started:.0f} s in all")
    sys.exit(0 if all(met) else 1)


if __name__ == "__main__":
    main()
