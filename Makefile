# pib360: `make run` serves the app with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := PIB360_CONFIG=development $(BIN)/flask --app wsgi
CATALOGS := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))

.PHONY: run test install install-test translations catalogs browser bench lint clean

run: install catalogs
	@mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) pib360 demo
	$(FLASK) --debug run --host 127.0.0.1 --port 5000

test: install-test catalogs browser
	$(BIN)/pytest $(PYTEST_ARGS)

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

catalogs: $(CATALOGS)

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@

# After changing user-facing strings: extract them and merge them into the catalogs.
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot --no-location --sort-output --width=100 .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --width=100

# The end-to-end tests drive Debian's Chromium through Playwright.
browser:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils; }

bench: install-test
	$(BIN)/python bench/aggregation.py
	$(BIN)/python bench/psychometrics.py

lint: install-test
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) instance/*.sqlite*
