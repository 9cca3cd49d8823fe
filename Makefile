# The two commands a newcomer needs on a fresh Debian machine:
#   make run    the kiosk at http://127.0.0.1:8000 (SQLite, local queue, demo data)
#   make test   the whole test suite (browser tests included)
# Each installs whatever is missing first: Debian packages, .venv, the package, translations.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEBIAN_PACKAGES := tesseract-ocr tesseract-ocr-chi-sim fonts-noto-cjk fonts-wqy-zenhei fonts-arphic-uming fonts-arphic-ukai chromium libusb-1.0-0 postgresql-client haproxy
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PYTEST_ARGS ?=

.PHONY: run test system-packages venv translations messages migrate demo lint lock clean

run: venv translations migrate demo
	KIOSK_ENROL_THIS_MACHINE=$${KIOSK_ENROL_THIS_MACHINE:-1} $(BIN)/flask --app kiosk serve

test: venv translations
	$(BIN)/ruff check kiosk tests bench
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Debian packages: only those not installed yet, so a second run asks nothing of apt.
system-packages:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if ! $(PYTHON) -c "import ensurepip, venv" 2>/dev/null; then missing="$$missing python3-venv"; fi; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi

venv: system-packages $(VENV)/.installed

# Exactly the versions of requirements.lock, each checked against its hash; the lock must
# have been compiled from pyproject.toml's lists as they are now (scripts/lockcheck.py).
# Then the -OO bytecode the web processes load (ADR 0055), made once, not at each start.
$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) scripts/lockcheck.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --require-hashes -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	$(BIN)/python -OO -m compileall -q -j 0 $(VENV)/lib > /dev/null
	touch $@

# After changing a dependency in pyproject.toml: resolve again for every platform, with
# hashes, keeping the versions already locked where they still fit; `make lock
# LOCK_ARGS=--upgrade` takes the newest within pyproject's bounds. Review the diff, commit.
LOCK_ARGS ?=
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q "uv>=0.9,<1"
	$(BIN)/uv pip compile pyproject.toml --extra ocr --extra test --generate-hashes --universal \
	  --python-version 3.11 --quiet $(LOCK_ARGS) -o requirements.lock
	$(PYTHON) scripts/lockcheck.py --versions > .lock-versions.txt
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --universal --python-version 3.11 \
	  --quiet -c .lock-versions.txt -o requirements-web.lock
	rm -f .lock-versions.txt
	$(PYTHON) scripts/lockcheck.py --stamp

translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d kiosk/translations

# After changing user-facing text: re-extract, then translate the new English entries.
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
	  -o kiosk/translations/messages.pot .
	$(BIN)/pybabel update -i kiosk/translations/messages.pot -d kiosk/translations --no-fuzzy-matching --ignore-obsolete

migrate: $(VENV)/.installed
	$(BIN)/flask --app kiosk db upgrade

demo: $(VENV)/.installed
	$(BIN)/flask --app kiosk demo seed

lint: $(VENV)/.installed
	$(BIN)/ruff check kiosk tests bench
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

clean:
	rm -rf $(VENV) tests/artifacts .pytest_cache
