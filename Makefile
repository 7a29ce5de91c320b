# Two commands for a reviewer: `make run` (the whole workflow on the example review)
# and `make test` (the test suite). Both create .venv and install what they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
CORES  ?= 2
REVIEW ?= .

.PHONY: run test lint install clean-results example

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# constraints.txt holds the exact versions every result is made with (pyproject.toml: the ranges).
$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/snakemake --cores $(CORES) --directory $(REVIEW) --snakefile Snakefile

test: install
	$(BIN)/python -m pytest -n $(CORES) --dist loadgroup -q

lint: install
	$(BIN)/snakemake --lint --snakefile Snakefile
	$(BIN)/ruff check .
	$(BIN)/snakefmt --check Snakefile evsynth/workflow/rules

# Regenerate data/raw/ of the example review (the generator is the package scripts/example_review/).
example: install
	$(BIN)/python scripts/make_example_review.py --out .

clean-results:
	rm -rf data/processed/* results/* .snakemake
