# Declaration Watch: `make run` serves the demo, `make test` runs every check CI runs.
# Any Python from 3.11 to 3.13: make run PYTHON=python3.13. The virtual environment is made
# anew when it was made with another version.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
INSTALLED := $(VENV)/.installed-$(PYTHON_VERSION)
HOST ?= 127.0.0.1:8000

.PHONY: run test lint install demo clean backup restore

$(INSTALLED): pyproject.toml constraints.txt
	@test -n "$(PYTHON_VERSION)" || { echo "$(PYTHON) does not run: set PYTHON to a Python 3.11 to 3.13" >&2; exit 2; }
	@if [ -x $(BIN)/python ] && [ "$$($(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])')" != "$(PYTHON_VERSION)" ]; then \
		echo "$(VENV) was made with another Python; making it anew with $(PYTHON) ($(PYTHON_VERSION))"; \
		rm -rf $(VENV); fi
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --constraint constraints.txt --editable ".[dev]"
	touch $@

install: $(INSTALLED)

demo: $(INSTALLED)
	DJANGO_DEBUG=true $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=true $(BIN)/python manage.py load_demo
	DJANGO_DEBUG=true $(BIN)/python manage.py ensure_admin

run: demo
	@echo "Declaration Watch: http://$(HOST)/  (admin: http://$(HOST)/admin/)"
	DJANGO_DEBUG=true $(BIN)/python manage.py runserver $(HOST)

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/python manage.py check --settings=tests.settings
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=tests.settings
	$(BIN)/pytest --numprocesses=auto

clean:
	rm -rf $(VENV) staticfiles

# A copy of the database named by DATABASE_URL (run with the site's environment):
# backups/declarations-YYYYmmdd-HHMMSS.dump (PostgreSQL) or .sqlite3 (SQLite).
backup: $(INSTALLED)
	$(BIN)/python manage.py backup

# Put a copy back: make restore FILE=backups/declarations-20260101-120000.dump
# The copy must be private (chmod 600); FORCE=1 restores one that is not.
restore: $(INSTALLED)
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/declarations-....dump [FORCE=1]" >&2; exit 2; }
	$(BIN)/python manage.py restore "$(FILE)"$(if $(FORCE), --force)
