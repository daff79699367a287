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

.PHONY: install run serve test lint format chromium db static bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(STAMP)

# Migrate, then load the published table only into a database that has no cities yet, so
# records edited since are never overwritten.
db: install
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py load_published_table --if-empty

# Collecting static files needs no secret; a real SECRET_KEY in the environment wins.
static: install
	SECRET_KEY=$${SECRET_KEY:-collectstatic-needs-no-secret} $(PY) manage.py collectstatic --noinput --verbosity 0

run: db
	$(DEV) $(PY) manage.py runserver $(HOST):$(PORT)

# Debian's Chromium drives the browser tests; Playwright never downloads a browser of its own.
chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-core fonts-noto-cjk; }

test: install chromium static
	$(PY) -m pytest $(ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
