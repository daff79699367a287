"""Link checking: fetch every department website and class link and record what came back.

The HTTP work is plain functions with no ORM (`check_url`, `check_urls`), run in threads with a
bound per host; `check_links` gathers the directory's URLs and stores each result as a LinkCheck.
"""

import socket
import ssl
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from itertools import chain, zip_longest
from urllib.parse import urlsplit

import httpx
from django.utils import timezone

from . import proxies

USER_AGENT = (
    "madoguchi-linkcheck/1.0 (checks the links of the madoguchi directory of international-affairs"
    " desks; one request per link, rarely)"
)
TIMEOUT = 10.0
CONNECT_TIMEOUT = 5.0
WORKERS = 16
PER_HOST = 2
MAX_REDIRECTS = 10
# Some servers answer HEAD wrongly (405, 501, and in practice 400/403/404 too): a GET is what a
# visitor's browser sends, so any error on HEAD is asked again with GET before it is believed.
HEAD_REFUSED_FROM = 400


class ErrorKind:
    DNS = "dns"
    TLS = "tls"
    TIMEOUT = "timeout"
    REFUSED = "refused"
    HTTP = "http"
    OTHER = "other"


@dataclass
class Result:
    """What one URL answered: a status and final URL, or the kind of error that stopped it."""

    url: str
    status_code: int | None = None
    final_url: str = ""
    redirects: list = field(default_factory=list)
    error: str = ""
    message: str = ""
    checked_at: object = None

    @property
    def ok(self):
        return not self.error


def make_client(transport=None, timeout=TIMEOUT, connect_timeout=CONNECT_TIMEOUT, workers=WORKERS):
    """An HTTP client for the checker; `transport` lets tests and benchmarks route requests."""
    return httpx.Client(
        transport=transport,
        timeout=httpx.Timeout(timeout, connect=min(connect_timeout, timeout)),
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5"},
        limits=httpx.Limits(max_connections=workers, max_keepalive_connections=workers),
    )


def _classify(exc):
    """Name the kind of a transport error from the exception and the errors it wraps."""
    if isinstance(exc, httpx.TimeoutException):
        return ErrorKind.TIMEOUT
    if isinstance(exc, httpx.TooManyRedirects):
        return ErrorKind.HTTP
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, socket.gaierror):
            return ErrorKind.DNS
        if isinstance(exc, ssl.SSLError | ssl.CertificateError):
            return ErrorKind.TLS
        if isinstance(exc, ConnectionRefusedError):
            return ErrorKind.REFUSED
        if isinstance(exc, TimeoutError | socket.timeout):
            return ErrorKind.TIMEOUT
        text = str(exc)
        if "Name or service not known" in text or "nodename nor servname" in text:
            return ErrorKind.DNS
        if "CERTIFICATE_VERIFY_FAILED" in text or "SSL" in text:
            return ErrorKind.TLS
        if "Connection refused" in text or "Errno 111" in text:
            return ErrorKind.REFUSED
        exc = exc.__cause__ or exc.__context__
    return ErrorKind.OTHER


def _request(client, method, url):
    # Streamed so a GET never downloads the page: the status line and headers are enough.
    with client.stream(method, url) as response:
        return response


def check_url(client, url):
    """Check one URL: HEAD, then GET if HEAD is refused; follow and record redirects."""
    result = Result(url=url)
    try:
        response = _request(client, "HEAD", url)
        if response.status_code >= HEAD_REFUSED_FROM:
            response = _request(client, "GET", url)
    except httpx.HTTPError as exc:
        result.error = _classify(exc)
        result.message = str(exc) or exc.__class__.__name__
    except (ValueError, httpx.InvalidURL) as exc:
        result.error = ErrorKind.OTHER
        result.message = str(exc)
    else:
        result.status_code = response.status_code
        result.final_url = str(response.url)
        result.redirects = [[r.status_code, str(r.url)] for r in response.history]
        if response.status_code >= 400:
            result.error = ErrorKind.HTTP
            result.message = f"HTTP {response.status_code} {response.reason_phrase}".strip()
    result.checked_at = timezone.now()
    return result


def _host(url):
    return (urlsplit(url).hostname or "").lower()


def _interleave_hosts(urls):
    """Order URLs round-robin across hosts so the workers are not all queued on one host."""
    by_host = defaultdict(list)
    for url in urls:
        by_host[_host(url)].append(url)
    return [url for url in chain.from_iterable(zip_longest(*by_host.values())) if url]


def check_urls(urls, *, client=None, workers=WORKERS, per_host=PER_HOST, on_result=None):
    """Check URLs concurrently, at most `per_host` at a time on any host; return the results.

    `on_result(result)` is called on the calling thread as each result arrives, so it may use
    the database.
    """
    urls = _interleave_hosts(dict.fromkeys(urls))
    own_client = client is None
    client = client or make_client(workers=workers)
    host_slots = defaultdict(lambda: threading.BoundedSemaphore(per_host))
    slots_lock = threading.Lock()

    def run(url):
        with slots_lock:
            slot = host_slots[_host(url)]
        with slot:
            return check_url(client, url)

    results = []
    try:
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            for future in as_completed([pool.submit(run, url) for url in urls]):
                result = future.result()
                results.append(result)
                if on_result:
                    on_result(result)
    finally:
        if own_client:
            client.close()
    return results


def directory_urls(cities=None):
    """Every department website and class link of the given cities (all by default)."""
    from .models import ClassLink, Department

    departments = Department.objects.all()
    class_links = ClassLink.objects.all()
    if cities is not None:
        departments = departments.filter(city__in=cities)
        class_links = class_links.filter(city__in=cities)
    return record_urls(departments, class_links)


def record_urls(*querysets):
    """The URLs of records with a `url` field, each once.

    The city's own page behind a translation proxy is included too, as the public page links it.
    """
    found = {}
    stored = [records.exclude(url="").values_list("url", flat=True) for records in querysets]
    for url in chain(*stored):
        found[url] = None
        original = proxies.original_url(url)
        if original:
            found[original] = None
    return list(found)


def with_link_status(queryset, status):
    """Records (with a `url` field) whose URL's last check is `status`.

    One of "broken", "redirected", "ok" or "unchecked".
    """
    from .models import LinkCheck

    checks = LinkCheck.objects.all()
    if status == "unchecked":
        return queryset.exclude(url="").exclude(url__in=checks.values("url"))
    checks = {
        "broken": checks.broken(),
        "redirected": checks.redirected(),
        "ok": checks.filter(error="", redirects=[]),
    }[status]
    return queryset.filter(url__in=checks.values("url"))


def link_health(departments=None, class_links=None):
    """How many department websites and class links (of those given; all by default) are broken,
    redirected or not checked."""
    from .models import ClassLink, Department

    departments = Department.objects.all() if departments is None else departments
    class_links = ClassLink.objects.all() if class_links is None else class_links
    return {
        status: {
            "departments": with_link_status(departments, status).count(),
            "class_links": with_link_status(class_links, status).count(),
        }
        for status in ("broken", "redirected", "unchecked")
    }


def store(result):
    """Keep `result` as the URL's last check."""
    from .models import LinkCheck

    LinkCheck.objects.update_or_create(
        url=result.url,
        defaults={
            "status_code": result.status_code,
            "final_url": result.final_url,
            "redirects": result.redirects,
            "error": result.error,
            "message": result.message[:500],
            "checked_at": result.checked_at,
        },
    )


def check_links(
    cities=None, *, urls=None, client=None, workers=WORKERS, per_host=PER_HOST, progress=None
):
    """Check the links of `cities` (all by default) or the given `urls`, and store each result.

    `progress(done, total, result)` is called after each URL, e.g. to draw a progress bar.
    """
    urls = directory_urls(cities) if urls is None else list(dict.fromkeys(urls))
    done = 0

    def on_result(result):
        nonlocal done
        store(result)
        done += 1
        if progress:
            progress(done, len(urls), result)

    started = time.monotonic()
    results = check_urls(
        urls, client=client, workers=workers, per_host=per_host, on_result=on_result
    )
    return Summary(results, time.monotonic() - started)


@dataclass
class Summary:
    results: list
    seconds: float

    @property
    def broken(self):
        return [result for result in self.results if result.error]

    @property
    def redirected(self):
        return [result for result in self.results if result.ok and result.redirects]

    def __str__(self):
        return (
            f"{len(self.results)} links checked in {self.seconds:.1f} s: "
            f"{len(self.broken)} broken, {len(self.redirected)} redirected"
        )
