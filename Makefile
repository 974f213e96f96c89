# The two commands of the README: `make run` and `make test`. Both are idempotent.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
STORE ?= data/events.sqlite
# The app's store: $$MAPAPP_STORE when set (the user's own store, used as it is), else the default
# store built from seeds/.
STORE_URL := $(if $(MAPAPP_STORE),$(MAPAPP_STORE),sqlite:///$(STORE))
PORT ?= 8501

.PHONY: run test install install-test prepare store chromium postgresql lint pytest bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

# Reinstall only when the project's metadata changes.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PIP) install -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# Compile the gazetteer cache, copy the map's JavaScript/CSS from installed packages into the
# project and build the base map's offline detail from both (each a no-op when up to date).
prepare: install
	$(PY) -m gazetteer.build
	$(PY) -m mapapp.app.assets
	$(PY) -m mapapp.basemap --dest mapapp/app/static/basemap

# Build the default event store from seeds/ when it is missing.
$(STORE): | prepare
	$(VENV)/bin/mapapp ingest seeds --manifest seeds/manifest.csv --store sqlite:///$(STORE)

store: prepare $(if $(MAPAPP_STORE),,$(STORE))

run: store
	$(VENV)/bin/streamlit run mapapp/app/main.py --server.headless true --server.port $(PORT) \
		--browser.gatherUsageStats false -- --store $(STORE_URL)

# Debian's chromium for the browser tests, installed only when absent.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Debian's PostgreSQL and PostGIS for the shared-store tests and benchmark (each starts a throwaway
# server of its own in a temp dir), installed only when absent. PG_MAJOR is the version Debian ships.
PG_MAJOR ?= 15
PG_PACKAGES := postgresql postgresql-$(PG_MAJOR)-postgis-3
postgresql:
	@{ ls /usr/lib/postgresql/*/bin/initdb && ls /usr/share/postgresql/*/extension/postgis.control; } \
		>/dev/null 2>&1 || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PG_PACKAGES) >/dev/null; }

lint: install-test
	$(VENV)/bin/ruff check .

pytest: install-test prepare chromium postgresql
	$(PY) -m pytest

test: lint pytest

bench: prepare postgresql
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) data/cache $(STORE) tests/artifacts
