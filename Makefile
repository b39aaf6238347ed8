# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 5000
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test install install-test catalogs extract-messages update-catalogs migrate demo bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

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

test: $(VENV)/.installed-test
	$(BIN)/pybabel compile --statistics -d translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) instance/*.db
