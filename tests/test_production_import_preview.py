"""`make serve` without Redis: a city editor's import previews hold on every gunicorn worker.

Gunicorn on one SQLite file, no shared cache: a preview one web process made is confirmed on
another, in Chromium.
"""

import shutil
import sqlite3
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.servers import GunicornNode, manage, production_env

pytestmark = pytest.mark.browser

HAKODATE = "012025"
PASSWORD = "correct horse battery"  # noqa: S105 - make_staff's password
MAKE_CITY_EDITOR = f"""
from directory.models import City
from directory.roles import CITY_EDITORS
from tests.builders import make_staff
make_staff("hakodate", CITY_EDITORS, cities=[City.objects.get(code="{HAKODATE}")])
"""


@pytest.fixture(scope="module")
def serve_node(published_database_template, tmp_path_factory):
    """What `make serve` runs: gunicorn with three workers on SQLite, no Redis."""
    database = tmp_path_factory.mktemp("serve") / "db.sqlite3"
    shutil.copyfile(published_database_template, database)
    # Staff read a preview for longer than gunicorn's 5 s keep-alive, so the confirm comes on a
    # new connection, to any worker: with no keep-alive every request does.
    env = production_env(DATABASE_URL=f"sqlite:///{database}", GUNICORN_CMD_ARGS="--keep-alive 0")
    manage("shell", "--no-imports", "-c", MAKE_CITY_EDITOR, env=env)
    node = GunicornNode(env, workers=3, threads=2).start()
    yield node, database
    node.stop()


@pytest.fixture(scope="module")
def other_node(serve_node):
    """A second gunicorn on the same database and machine: another process than any of the
    first one's workers, whatever worker served the preview."""
    node, _ = serve_node
    other = GunicornNode(node.env, workers=1, threads=1).start()
    yield other
    other.stop()


@pytest.fixture
def city_editor_page(serve_node, browser):
    """Hakodate's city editor, signed in through the admin's login form at 1280 px."""
    node, _ = serve_node
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{node.url}/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("hakodate")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_contain_text("hakodate")
    page.import_url = f"{node.url}/admin/directory/department/import/"
    yield page
    context.close()


def upload(page, path, text):
    path.write_text(text)
    page.goto(page.import_url)
    page.get_by_label("File").set_input_files(str(path))
    page.get_by_role("button", name="Preview").click()


def hakodate_department(database):
    with sqlite3.connect(database) as db:
        return db.execute(
            "SELECT d.name, d.url FROM directory_department d"
            " JOIN directory_city c ON c.id = d.city_id WHERE c.code = ? ORDER BY d.id",
            (HAKODATE,),
        ).fetchone()


def hakodate_email(database):
    with sqlite3.connect(database) as db:
        return db.execute(
            "SELECT d.email FROM directory_department d"
            " JOIN directory_city c ON c.id = d.city_id WHERE c.code = ?",
            (HAKODATE,),
        ).fetchone()[0]


# The line gunicorn's access log writes for a confirm.
CONFIRM = '"POST /admin/directory/department/process_import/ '


def confirm_on(page, node):
    """Click "Confirm import" with the browser's POST sent to `node` instead, as a load
    balancer may send it; the redirect that answers it brings the browser back."""

    def elsewhere(route):
        # Django's CSRF check compares the Origin header with the host the POST reaches.
        headers = {**route.request.headers, "origin": node.url}
        url = node.url + urlsplit(route.request.url).path
        route.fulfill(response=route.fetch(url=url, headers=headers, max_redirects=0))

    page.route("**/process_import/", elsewhere)
    try:
        page.get_by_role("button", name="Confirm import").click()
        page.wait_for_load_state()
    finally:
        page.unroute("**/process_import/")


def test_a_preview_made_by_one_process_is_confirmed_on_another_both_ways(
    serve_node, other_node, city_editor_page, tmp_path, screenshot
):
    first, database = serve_node
    page = city_editor_page
    name, url = hakodate_department(database)
    # Previewed on the first node, confirmed on the other; then the other way round.
    for attempt, (shown_by, confirmed_by) in enumerate(
        [(first, other_node), (other_node, first)], start=1
    ):
        page.import_url = f"{shown_by.url}/admin/directory/department/import/"
        email = f"desk{attempt}@city.hakodate.example.jp"
        csv = f'city,name,url,email\n{HAKODATE},"{name}",{url},{email}\n'
        upload(page, tmp_path / f"desks-{attempt}.csv", csv)
        expect(page.locator("#import-summary")).to_have_text(
            "0 new, 1 updated, 0 unchanged, 0 deleted"
        )
        expect(page.locator("#import-changes ins")).to_have_text(email)
        if attempt == 1:
            screenshot(page, "admin-import-preview-on-gunicorn")
        confirms = confirmed_by.output().count(CONFIRM)
        confirm_on(page, confirmed_by)
        expect(page.locator(".messagelist")).to_contain_text(
            f"Imported desks-{attempt}.csv: 0 new, 1 updated"
        )
        assert hakodate_email(database) == email, f"upload {attempt} was not applied"
        assert confirmed_by.output().count(CONFIRM) == confirms + 1, "confirmed elsewhere"


def test_a_desk_is_removed_only_once_its_box_is_ticked(
    serve_node, city_editor_page, tmp_path, screenshot
):
    _, database = serve_node
    page = city_editor_page
    upload(page, tmp_path / "add.csv", f"city,name\n{HAKODATE},Temporary desk\n")
    page.get_by_role("button", name="Confirm import").click()
    expect(page.locator(".messagelist")).to_contain_text("1 new")
    assert desks_named(database, "Temporary desk") == 1

    upload(page, tmp_path / "remove.csv", f"city,name,delete\n{HAKODATE},Temporary desk,yes\n")
    removals = page.locator("#import-removals")
    expect(removals).to_contain_text("This file removes 1 record from the directory")
    expect(page.locator("#import-changes tbody tr").first).to_contain_text("deleted")
    screenshot(page, "admin-import-preview-removals")
    page.get_by_role("button", name="Confirm import").click()
    expect(page.locator(".messagelist .error")).to_have_text(
        "Nothing was imported: this file removes 1 record. "
        "Tick “Yes, remove this record” to confirm, or cancel."
    )
    assert desks_named(database, "Temporary desk") == 1

    page.get_by_label("Yes, remove this record").check()
    page.get_by_role("button", name="Confirm import").click()
    expect(page.locator(".messagelist .success")).to_contain_text(
        "0 new, 0 updated, 0 unchanged, 1 deleted"
    )
    assert desks_named(database, "Temporary desk") == 0


def desks_named(database, name):
    with sqlite3.connect(database) as db:
        return db.execute(
            "SELECT count(*) FROM directory_department WHERE name = ?", (name,)
        ).fetchone()[0]
