# Two entry points, each working on a fresh machine with Python 3.11 and make:
#   make demo   sets up .venv and runs the demo crawl of the bundled sample site
#   make test   sets up .venv and runs the test suite
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: demo test typecheck clean

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

clean:
	rm -rf $(VENV) data .pytest_cache
