"""Link checking: fetch every department website and class link and record what came back.

The HTTP work is plain functions with no ORM (`check_url`, `check_urls`), run in threads with a
bound per host, through a transport that connects only to public internet addresses; staff ask
for checks with `request_checks`, and `check_links` (run by `manage.py check_links`, outside web
requests) gathers the URLs, checks them and stores each result as a LinkCheck.
"""

import ipaddress
import socket
import ssl
import threading
import time
import uuid
from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from itertools import chain, zip_longest
from urllib.parse import urlsplit

import httpcore
import httpx
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import proxies
from .models import ClassLink, Department, LinkCheck, LinkCheckRequest

USER_AGENT = (
    "madoguchi-linkcheck/1.0 (checks the links of the madoguchi directory of international-affairs"
    " desks; one request per link, rarely)"
)
TIMEOUT = 10.0
# TIMEOUT bounds each read, not the answer: a server sending a byte every few seconds would hold
# a worker for as long as it liked. No URL, its redirects and the GET retry included, gets more.
DEADLINE = 30.0
CONNECT_TIMEOUT = 5.0
WORKERS = 16
PER_HOST = 2
MAX_REDIRECTS = 10
# Some servers answer HEAD wrongly (405, 501, and in practice 400/403/404 too): a GET is what a
# visitor's browser sends, so any error on HEAD is asked again with GET before it is believed.
HEAD_REFUSED_FROM = 400
# Runs never overlap (cron starts one every ten minutes): the lock is a key in the cache, which
# every node shares. Each result renews it, so a run that died holds it this long at most.
LOCK_KEY = "linkcheck:run"
LOCK_SECONDS = 15 * 60


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


# --- Only the public internet ---


class PrivateAddress(httpcore.ConnectError):
    """A host resolved to an address the checker may not reach (loopback, private, ...)."""


def is_public(address):
    """Whether an IP address is on the public internet, IPv4 inside IPv6 included."""
    if isinstance(address, ipaddress.IPv6Address):
        # An IPv4 address carried inside IPv6 reaches that IPv4 host: judge it instead.
        embedded = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
        if embedded is not None and not is_public(embedded):
            return False
    return address.is_global and not (address.is_multicast or address.is_reserved)


def is_allowed(address, port):
    """Public, or listed in LINKCHECK_ALLOWED_ADDRESSES (which only tests set)."""
    allowed = settings.LINKCHECK_ALLOWED_ADDRESSES
    host = f"[{address}]" if address.version == 6 else str(address)
    return is_public(address) or str(address) in allowed or f"{host}:{port}" in allowed


# When the URL being checked on this thread must be done by (time.monotonic()), if any.
_deadline = ContextVar("linkcheck_deadline", default=None)


def _time_left(timeout, error):
    """`timeout` cut to what is left before the deadline; `error` raised once nothing is."""
    deadline = _deadline.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise error(f"no answer within the deadline of {DEADLINE:g} s")
    return left if timeout is None else min(timeout, left)


class DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read, write and TLS handshake ends by the URL's deadline: httpcore
    reads a response through it, so no trickle of headers or 100 Continues outlasts it."""

    def __init__(self, stream):
        self.stream = stream

    def _within(self, error, timeout, operation, *args):
        try:
            return operation(*args, _time_left(timeout, error))
        except httpcore.TimeoutException:
            _time_left(None, error)  # once it has passed, the deadline is what to name
            raise

    def read(self, max_bytes, timeout=None):
        return self._within(httpcore.ReadTimeout, timeout, self.stream.read, max_bytes)

    def write(self, buffer, timeout=None):
        self._within(httpcore.WriteTimeout, timeout, self.stream.write, buffer)

    def close(self):
        self.stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        start = self.stream.start_tls
        error = httpcore.ConnectTimeout
        return DeadlineStream(self._within(error, timeout, start, ssl_context, server_hostname))

    def get_extra_info(self, info):
        return self.stream.get_extra_info(info)


# getaddrinfo takes no timeout, and a thread stuck in it cannot be stopped: each lookup runs in a
# thread of its own, which the check stops waiting for at its deadline and leaves to finish. At most
# LOOKUP_THREADS run at once, so name servers that never answer cannot pile threads up, and they
# are daemon threads (not an executor's, which exit waits for), so none holds up the process's end.
LOOKUP_THREADS = 2 * WORKERS
_lookup_slots = threading.BoundedSemaphore(LOOKUP_THREADS)


def _resolve_in_time(resolve, host, port, timeout):
    """`resolve(host, port)`, given up on as a ConnectTimeout at the URL's deadline (at `timeout`
    outside a check)."""
    left = _time_left(None, httpcore.ConnectTimeout)
    wait = timeout if left is None else left
    ends = None if wait is None else time.monotonic() + wait

    def remaining():
        return None if ends is None else max(0.0, ends - time.monotonic())

    too_slow = httpcore.ConnectTimeout(f"the name lookup of {host} got no answer in time")
    # Every slot held by a lookup still stuck: waiting for one is waiting on the name servers.
    slots = _lookup_slots
    if not slots.acquire(timeout=remaining()):
        raise too_slow
    found = Future()

    def lookup():
        try:
            found.set_result(resolve(host, port, type=socket.SOCK_STREAM))
        except BaseException as exc:  # whatever it is, the waiting check raises it
            found.set_exception(exc)
        finally:
            slots.release()

    try:
        threading.Thread(target=lookup, name=f"linkcheck lookup of {host}", daemon=True).start()
    except BaseException:
        slots.release()
        raise
    try:
        return found.result(timeout=remaining())
    except TimeoutError:
        raise too_slow from None


class PublicOnlyBackend(httpcore.SyncBackend):
    """httpcore's socket backend that resolves a host itself, vets every address it resolves
    to, and connects to those addresses: there is no second lookup to rebind between them. The
    lookup, too, ends by the URL's deadline."""

    def __init__(self, resolve=socket.getaddrinfo):
        self.resolve = resolve

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        try:
            found = _resolve_in_time(self.resolve, host, port, timeout)
        except (socket.gaierror, UnicodeError) as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        # The scope of a link-local IPv6 address ("%eth0") does not change what it is.
        addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in found]
        # One forbidden address refuses the host: a name that also points inward is no
        # public site, and trying the others would let its owner pick where we connect.
        if not addresses or not all(is_allowed(address, port) for address in addresses):
            raise PrivateAddress(f"{host} is not a public internet address")
        failure = None
        for address in dict.fromkeys(addresses):
            left = _time_left(timeout, httpcore.ConnectTimeout)
            try:
                stream = super().connect_tcp(
                    str(address), port, left, local_address, socket_options
                )
                return DeadlineStream(stream)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        raise failure


_CORE_ERRORS = (
    httpcore.TimeoutException,
    httpcore.NetworkError,
    httpcore.ProtocolError,
    httpcore.UnsupportedProtocol,
    httpcore.ProxyError,
)


@contextmanager
def _as_httpx_errors():
    """Raise httpcore's errors as httpx's of the same name, the cause kept for `_classify`."""
    try:
        yield
    except _CORE_ERRORS as exc:
        names = (cls.__name__ for cls in type(exc).__mro__)
        mapped = next(getattr(httpx, name) for name in names if hasattr(httpx, name))
        raise mapped(str(exc)) from exc


class _Body(httpx.SyncByteStream):
    """A response body from httpcore, its errors given as httpx's."""

    def __init__(self, stream):
        self.stream = stream

    def __iter__(self):
        with _as_httpx_errors():
            yield from self.stream

    def close(self):
        if hasattr(self.stream, "close"):
            self.stream.close()


class PublicOnlyTransport(httpx.BaseTransport):
    """An httpx transport (httpx's documented extension point) over httpcore's connection pool
    with the public-only backend: every connection, each redirect's included, is vetted."""

    def __init__(self, resolve=socket.getaddrinfo, workers=WORKERS):
        self.pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=workers,
            max_keepalive_connections=workers,
            network_backend=PublicOnlyBackend(resolve),
        )

    def handle_request(self, request):
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _as_httpx_errors():
            response = self.pool.handle_request(core_request)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_Body(response.stream),
            extensions=response.extensions,
        )

    def close(self):
        self.pool.close()


def make_client(transport=None, timeout=TIMEOUT, workers=WORKERS, resolve=None):
    """An HTTP client for the checker that reaches only public addresses.

    `resolve` (getaddrinfo's signature) lets tests and benchmarks say where a name points;
    `transport` replaces the public-only one and is for benchmarks alone.
    """
    if transport is None:
        transport = PublicOnlyTransport(resolve=resolve or socket.getaddrinfo, workers=workers)
    return httpx.Client(
        transport=transport,
        # No proxy or .netrc from the environment: a proxy would connect where we cannot vet.
        trust_env=False,
        timeout=httpx.Timeout(timeout, connect=min(CONNECT_TIMEOUT, timeout)),
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5"},
    )


def _classify(exc):
    """Name the kind of a transport error from the exception and the errors it wraps (httpcore
    and our backend raise each error from the socket's or TLS's own)."""
    if isinstance(exc, httpx.TimeoutException):
        return LinkCheck.Error.TIMEOUT
    if isinstance(exc, httpx.TooManyRedirects):
        return LinkCheck.Error.HTTP
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, PrivateAddress):
            return LinkCheck.Error.PRIVATE
        if isinstance(exc, socket.gaierror):
            return LinkCheck.Error.DNS
        if isinstance(exc, ssl.SSLError | ssl.CertificateError):
            return LinkCheck.Error.TLS
        if isinstance(exc, ConnectionRefusedError):
            return LinkCheck.Error.REFUSED
        if isinstance(exc, TimeoutError | socket.timeout):
            return LinkCheck.Error.TIMEOUT
        exc = exc.__cause__ or exc.__context__
    return LinkCheck.Error.OTHER


# What each kind of failure `_classify` tells apart means for staff, in plain words: the stored
# message is the operating system's or TLS library's own English ("[Errno -2] Name or service
# not known"), kept for whoever fixes the server, not for the staff who read the admin.
EXPLANATIONS = {
    LinkCheck.Error.DNS: _(
        "No web server has this name: the address may be mistyped, or the site has closed or"
        " moved. Look for the page on the city's site and correct the link."
    ),
    LinkCheck.Error.REFUSED: _(
        "The server was reached but refused the connection: the site may be down or have"
        " moved. If the next check fails too, ask the city."
    ),
    LinkCheck.Error.TIMEOUT: _(
        "The server did not answer in time: it may be slow or down. If the next check fails"
        " too, ask the city."
    ),
    LinkCheck.Error.TLS: _(
        "The site's security certificate could not be verified (it may have expired, or be for"
        " another address): browsers warn visitors before opening the page."
    ),
    LinkCheck.Error.PRIVATE: _(
        "The address leads into a private network, which the checker never visits: visitors"
        " cannot open it either. Correct the link."
    ),
    LinkCheck.Error.HTTP: _(
        "The server answered with an error (404: the page is not there; 500 and above: the"
        " server failed). The page may have moved: look for it on the city's site."
    ),
    LinkCheck.Error.OTHER: _(
        "The check failed for another reason; the message below is what the checker saw."
    ),
}


def explanation(error):
    """What a stored check's `error` means for staff, in plain words ("" for a link that works)."""
    return EXPLANATIONS.get(error, "") if error else ""


def _request(client, method, url):
    # Streamed so a GET never downloads the page: the status line and headers are enough.
    with client.stream(method, url) as response:
        return response


def check_url(client, url):
    """Check one URL: HEAD, then GET if HEAD is refused; follow and record redirects. All of it
    ends by DEADLINE, as a timeout."""
    result = Result(url=url)
    deadline = _deadline.set(time.monotonic() + DEADLINE)
    try:
        response = _request(client, "HEAD", url)
        if response.status_code >= HEAD_REFUSED_FROM:
            response = _request(client, "GET", url)
    except httpx.HTTPError as exc:
        result.error = _classify(exc)
        # A refusal names nothing: not even the host refused is worth keeping for an attacker.
        if result.error != LinkCheck.Error.PRIVATE:
            result.message = str(exc) or exc.__class__.__name__
    except (ValueError, httpx.InvalidURL) as exc:
        result.error = LinkCheck.Error.OTHER
        result.message = str(exc)
    else:
        result.status_code = response.status_code
        result.final_url = str(response.url)
        result.redirects = [[r.status_code, str(r.url)] for r in response.history]
        if response.status_code >= 400:
            result.error = LinkCheck.Error.HTTP
            result.message = f"HTTP {response.status_code} {response.reason_phrase}".strip()
    finally:
        _deadline.reset(deadline)
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
    querysets = [Department.objects.all(), ClassLink.objects.all()]
    if cities is not None:
        querysets = [records.filter(city__in=cities) for records in querysets]
    return record_urls(*querysets)


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
    checks = LinkCheck.objects.all()
    if status == "unchecked":
        return queryset.exclude(url="").exclude(url__in=checks.values("url"))
    checks = {
        "broken": checks.broken(),
        "redirected": checks.redirected(),
        "ok": checks.filter(error="", redirects=[]),
    }[status]
    return queryset.filter(url__in=checks.values("url"))


def link_health(departments, class_links):
    """How many of these department websites and class links are broken, redirected or not
    checked."""
    return {
        status: {
            "departments": with_link_status(departments, status).count(),
            "class_links": with_link_status(class_links, status).count(),
        }
        for status in ("broken", "redirected", "unchecked")
    }


def store(result):
    """Keep `result` as the URL's last check, and since when the URL has been broken."""
    before = LinkCheck.objects.filter(url=result.url).values("error", "broken_since").first()
    broken_since = None
    if result.error:
        still_broken = before and before["error"] and before["broken_since"]
        broken_since = before["broken_since"] if still_broken else result.checked_at
    LinkCheck.objects.update_or_create(
        url=result.url,
        defaults={
            "broken_since": broken_since,
            "status_code": result.status_code,
            "final_url": result.final_url,
            "redirects": result.redirects,
            "error": result.error,
            "message": result.message[:500],
            "checked_at": result.checked_at,
        },
    )


def request_checks(urls, user=None):
    """Queue `urls` for the next `check_links` run (web requests never check); return how many."""
    urls = list(dict.fromkeys(urls))
    now = timezone.now()
    # Asked again: the newest asker and time win, so a request made during a run outlives it.
    LinkCheckRequest.objects.bulk_create(
        [LinkCheckRequest(url=url, requested_by=user, requested_at=now) for url in urls],
        update_conflicts=True,
        unique_fields=["url"],
        update_fields=["requested_by", "requested_at"],
    )
    return len(urls)


def requested_urls():
    """The URLs staff asked to have checked, oldest request first."""
    return list(LinkCheckRequest.objects.order_by("requested_at").values_list("url", flat=True))


class AlreadyRunning(Exception):
    """Another `check_links` run holds the lock (or the cache that keeps it is out of reach)."""


@contextmanager
def _run_lock():
    """Hold the lock of `check_links` runs, or raise AlreadyRunning."""
    token = uuid.uuid4().hex
    taken = cache.add(LOCK_KEY, token, LOCK_SECONDS)
    if taken is None:  # django-redis's answer when Redis is out of reach
        raise AlreadyRunning("The cache that holds the lock of link-check runs is out of reach.")
    if not taken:
        raise AlreadyRunning(
            "Another check_links run is under way (the lock of a run that died lapses within"
            f" {LOCK_SECONDS // 60} minutes)."
        )
    try:
        yield
    finally:
        # Not if it lapsed and another run took it since.
        if cache.get(LOCK_KEY) == token:
            cache.delete(LOCK_KEY)


def check_links(
    cities=None, *, requested=False, client=None, workers=WORKERS, per_host=PER_HOST, progress=None
):
    """Check the links of `cities`, or only those staff asked for (`requested`); by default every
    link and every request. Store each result and drop the requests it answers.

    Raises AlreadyRunning, having checked nothing, while another run goes on.
    `progress(done, total, result)` is called after each URL, e.g. to draw a progress bar.
    """
    with _run_lock():
        return _check_links(cities, requested, client, workers, per_host, progress)


def _check_links(cities, requested, client, workers, per_host, progress):
    if requested:
        urls = requested_urls()
    else:
        urls = directory_urls(cities) + (requested_urls() if cities is None else [])
    urls = list(dict.fromkeys(urls))
    asked_before = timezone.now()
    done = 0

    def on_result(result):
        nonlocal done
        store(result)
        cache.touch(LOCK_KEY, LOCK_SECONDS)
        LinkCheckRequest.objects.filter(url=result.url, requested_at__lte=asked_before).delete()
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
