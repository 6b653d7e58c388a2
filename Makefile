# Two commands: `make run` (a working site with demo content) and `make test` (the whole suite).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
ADDR   ?= 127.0.0.1:8000

.PHONY: run test lint benchmark

run: $(VENV)/.installed
	@test -f .env || cp .env.example .env
	$(BIN)/python manage.py quickstart --addr $(ADDR)
	$(BIN)/python manage.py runserver $(ADDR)

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -n auto --dist worksteal $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

benchmark: $(VENV)/.installed-dev
	$(BIN)/python -m benchmarks.renditions

# The API benchmark (README, "Benchmarks"): PostgreSQL and wrk needed; options in BENCH_ARGS.
.PHONY: benchmark-api
benchmark-api: $(VENV)/.installed
	$(BIN)/python -m benchmarks.api $(BENCH_ARGS)

# The pages' interface text (README, "Languages"): add new strings to every language's catalogue,
# keeping its translations, then compile them. Needs GNU gettext (`apt-get install gettext`).
# Each app keeps its catalogues (articles/locale/de/…); `makemessages --all` finds only a top-level locale/.
LOCALES := $(sort $(notdir $(wildcard */locale/*)))
.PHONY: messages
messages: $(VENV)/.installed
	$(BIN)/python manage.py makemessages $(addprefix -l ,$(LOCALES)) --ignore=tests --ignore=benchmarks \
		--ignore=docs --ignore=staticfiles --ignore=media
	$(BIN)/python manage.py compilemessages --ignore=$(VENV) --ignore=staticfiles --ignore=media

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

# The W3C's Nu HTML checker (vnu.jar, run with Java) for tests/pages/test_nu_checker.py.
VNU_JAR_VERSION := 26.9.27

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt Makefile
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	npm install --silent --no-audit --no-fund --prefix $(VENV)/vnu vnu-jar@$(VNU_JAR_VERSION)
	touch $@
