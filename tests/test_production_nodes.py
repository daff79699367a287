"""Several web processes, one directory: a change made through one is seen by all at once.

Two gunicorn nodes on one PostgreSQL and one Redis need PostgreSQL (they share the test
database, which an in-memory SQLite database cannot be), so CI's PostgreSQL run executes them.
`make serve` without Redis (several workers sharing a file cache, on SQLite) is tested in both
runs.
"""

import sqlite3

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.builders import app_code, load_prefectures, make_app, make_city, make_department
from tests.servers import (
    GunicornNode,
    RedisServer,
    Visitor,
    csrf_token,
    manage,
    production_env,
)

PASSWORD = "a-long-staff-password-1"  # noqa: S105
# The staff account's authenticator app key (hex) where the test cannot make the device itself.
APP_KEY = "6d61646f6775636869207374616666206b6579"

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs DATABASE_URL to name PostgreSQL"
)


def database_url():
    """The URL of the database this test runs in, for the nodes to share."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def redis_server():
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def directory(transactional_db):
    """A city and its desk, committed so the nodes see them, and a staff account with its app."""
    load_prefectures()
    city = make_city(name="Sakuradai")
    department = make_department(city, name="International Exchange Section")
    staff = get_user_model().objects.create_superuser("staff", "staff@example.jp", PASSWORD)
    return city, department, make_app(staff)


@pytest.fixture
def nodes(directory, redis_server):
    env = production_env(DATABASE_URL=database_url(), REDIS_URL=redis_server.url)
    started = [GunicornNode(env).start(), GunicornNode(env).start()]
    yield started
    for node in started:
        node.stop()


def edit_department(visitor, node, department, name):
    """Rename a department through the node's admin change form."""
    change = f"{node.url}/admin/directory/department/{department['pk']}/change/"
    status, form, _ = visitor.get(change)
    assert status == 200
    status, _, _ = visitor.post(
        change,
        {
            "csrfmiddlewaretoken": csrf_token(form),
            "city": department["city"],
            "name": name,
            "url": department["url"],
            "email": department["email"],
            "position": department["position"],
            # The page's inlines (phones, opening hours), empty as the seed leaves them.
            **{
                f"{inline}-{count}": 0
                for inline in ("phones", "hours")
                for count in ("TOTAL_FORMS", "INITIAL_FORMS")
            },
            "_save": "Save",
        },
    )
    assert status == 302


def sign_in(visitor, node, device):
    """Sign in through the admin's login form and then the code from the app, as a person would."""
    status, page, _ = visitor.get(f"{node.url}/admin/login/?next=/admin/")
    assert status == 200
    status, _, headers = visitor.post(
        f"{node.url}/admin/login/?next=/admin/",
        {
            "username": "staff",
            "password": PASSWORD,
            "csrfmiddlewaretoken": csrf_token(page),
            "next": "/admin/",
        },
    )
    assert (status, headers["Location"]) == (302, "/admin/")
    verify = f"{node.url}/admin/two-factor/verify/?next=/admin/"
    status, page, _ = visitor.get(verify)
    assert status == 200
    status, _, headers = visitor.post(
        verify, {"csrfmiddlewaretoken": csrf_token(page), "code": app_code(device)}
    )
    assert (status, headers["Location"]) == (302, "/admin/")


@needs_postgresql
def test_a_department_edited_on_node_a_is_seen_on_node_b_at_once_by_the_same_login(
    nodes, directory
):
    node_a, node_b = nodes
    city, department, device = directory
    city_page = f"{node_b.url}{city.get_absolute_url()}"
    reader = Visitor()
    for _ in range(3):  # cached in the shared Redis by now
        assert "International Exchange Section" in reader.get(city_page)[1]

    staff = Visitor()
    sign_in(staff, node_a, device)
    fields = {"pk": department.pk, "city": city.pk, "url": "", "email": department.email}
    edit_department(staff, node_a, {**fields, "position": 0}, "Multicultural Affairs Division")

    page = reader.get(city_page)[1]
    assert "Multicultural Affairs Division" in page
    assert "International Exchange Section" not in page

    # The login made on node A holds on node B: sessions live in the shared database.
    status, admin_index, _ = staff.get(f"{node_b.url}/admin/")
    assert status == 200
    assert "Log out" in admin_index


MAKE_APP = f"""
from django.contrib.auth.models import User
from tests.builders import make_app
device = make_app(User.objects.get(username="staff"))
device.key = "{APP_KEY}"
device.save()
"""


@pytest.fixture
def sqlite_node(published_database, tmp_path):
    """`make serve` without Redis: a SQLite file, three workers sharing a file cache."""
    env = production_env(
        DATABASE_URL=f"sqlite:///{published_database}",
        CACHE_DIR=str(tmp_path / "cache"),
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
    )
    manage("createsuperuser", "--noinput", "--username=staff", "--email=s@example.jp", env=env)
    manage("shell", "-c", MAKE_APP, env=env)
    node = GunicornNode(env, workers=3, threads=2).start()
    yield node, published_database
    node.stop()


def test_without_redis_every_worker_shows_an_admin_edit_on_the_next_request(sqlite_node):
    node, database = sqlite_node
    with sqlite3.connect(database) as db:
        pk, name, city, url, email, position, slug = db.execute(
            "SELECT d.id, d.name, d.city_id, d.url, d.email, d.position, c.slug"
            " FROM directory_department d JOIN directory_city c ON c.id = d.city_id"
            " ORDER BY d.id LIMIT 1"
        ).fetchone()
    city_page = node.url + reverse("directory:city-detail", kwargs={"slug": slug})
    readers = [Visitor() for _ in range(12)]  # new connections spread over the workers
    for reader in readers:
        assert name in reader.get(city_page)[1]

    staff = Visitor()
    sign_in(staff, node, TOTPDevice(key=APP_KEY))
    fields = {"pk": pk, "city": city, "url": url, "email": email, "position": position}
    edit_department(staff, node, fields, "Renamed Desk For Foreign Residents")

    pages = [reader.get(city_page)[1] for reader in readers]
    assert all("Renamed Desk For Foreign Residents" in page for page in pages)
