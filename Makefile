# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 5000
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test install install-test catalogs extract-messages update-catalogs migrate demo bench clean lock

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

# Every dependency, direct and indirect, comes from a lock file with hashes (pip refuses anything else);
# the project itself is installed without fetching its build backend (pinned in the lock too).
$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.installed-test: requirements-test.lock pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements-test.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@ $(VENV)/.installed

## Re-lock after changing pyproject.toml's dependencies (needs pip-tools: pip install pip-tools).
lock:
	pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links \
	  --extra build -o requirements.lock pyproject.toml
	pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links \
	  --extra build --extra test -o requirements-test.lock pyproject.toml

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## Compile the gettext catalogs (.po -> .mo).
catalogs: $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d translations

## Re-extract interface strings into translations/messages.pot and merge them into the catalogs.
extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 -k pgettext:1c,2 -k lazy_pgettext:1c,2 --sort-by-file -o translations/messages.pot exchange
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching

migrate: $(VENV)/.installed
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) demo load

run: catalogs demo
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# The suite runs in TEST_WORKERS processes (pytest-xdist; each has its own SQLite files and its own
# PostgreSQL database beside the configured one); `make test TEST_WORKERS=0` runs it in one process.
TEST_WORKERS ?= 2
test: $(VENV)/.installed-test
	$(BIN)/pybabel compile --statistics -d translations
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench

## Remove what `make run` and `make test` created (the virtualenv, the SQLite database and its WAL files,
## the development secret key, compiled catalogs, caches).
clean:
	rm -rf $(VENV) instance/*.db instance/*.db-wal instance/*.db-shm instance/secret_key .pytest_cache test-results
	find translations -name '*.mo' -delete
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
