# `make run` and `make test` set everything up themselves; see README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app portal
CATALOGS := $(wildcard portal/translations/*/LC_MESSAGES/messages.po)

.PHONY: setup run test test-tools lint translations extract-messages clean

$(BIN)/activate:
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml $(BIN)/activate
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

translations: $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d portal/translations

setup: $(VENV)/.installed translations

run: setup
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	$(FLASK) run --host 127.0.0.1 --port 5000

# axe-core for the accessibility tests and vnu-jar for the HTML checks, from the npm registry;
# without npm they are skipped. --ignore-scripts: vnu-jar's install script would download a
# Java runtime when none is installed; the HTML checks use the system's Java or are skipped.
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error || echo "npm ci failed: the accessibility and HTML checks will be skipped"; \
	else echo "npm not found: the accessibility and HTML checks will be skipped (install Node.js and npm to run them)"; fi

test-tools: node_modules/.package-lock.json

test: setup test-tools
	$(BIN)/ruff check .
	$(BIN)/pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .

# After changing user-visible text: update the catalogues, translate, then `make translations`.
extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract --no-location -F babel.cfg -k _l -k lazy_gettext -o portal/translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -i portal/translations/messages.pot -d portal/translations

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache node_modules
