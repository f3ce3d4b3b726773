# Two entry points, each working on a fresh machine with Python 3.11 and make:
#   make demo   sets up .venv and runs the demo crawl of the bundled sample site
#   make test   sets up .venv and runs the test suite
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: demo test typecheck clean players

$(BIN)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

demo: $(BIN)/.installed
	$(BIN)/clippings demo

test: $(BIN)/.installed
	$(BIN)/python -m pytest

typecheck: $(BIN)/.installed
	$(BIN)/python -m mypy

# The web-archive players the replay tests serve snapshots in (tests/replay.py): pywb from PyPI
# in a venv of its own (its pins clash with ours), ReplayWeb.page's static files from npm.
PLAYERS ?= .players
RWP_VERSION = $(shell cat tests/players/replaywebpage-version.txt)

players: $(PLAYERS)/pywb/.installed $(PLAYERS)/replaywebpage/.installed

$(PLAYERS)/pywb/.installed: tests/players/pywb-constraints.txt
	$(PYTHON) -m venv $(PLAYERS)/pywb
	$(PLAYERS)/pywb/bin/python -m pip install --quiet -c tests/players/pywb-constraints.txt pywb
	touch $@

$(PLAYERS)/replaywebpage/.installed: tests/players/replaywebpage-version.txt
	rm -rf $(PLAYERS)/replaywebpage && mkdir -p $(PLAYERS)/replaywebpage
	cd $(PLAYERS)/replaywebpage && npm pack --silent replaywebpage@$(RWP_VERSION) && tar xzf replaywebpage-$(RWP_VERSION).tgz
	touch $@

clean:
	rm -rf $(VENV) data .pytest_cache $(PLAYERS)
