# The one front door: `make demo` builds the sample briefs, `make test` runs the suite.
# Both set up .venv on first use (Python 3.11+ and the network to PyPI are all they need).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint format clean golden docx-template screenshots bench

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("briefgen needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)  ## build every sample edition into output/
	$(BIN)/briefgen check
	$(BIN)/briefgen build -f pdf -f docx -f html

test: $(STAMP)  ## run the whole suite
	$(BIN)/pytest

lint: $(STAMP)  ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
	find output -mindepth 1 ! -name .gitkeep -delete

golden: $(STAMP)  ## rewrite tests/golden/ from the sample notes; review the diff
	BRIEFGEN_REGEN_GOLDEN=1 $(BIN)/pytest tests/test_html.py -k golden

docx-template: $(STAMP)  ## regenerate templates/brief.docx from scripts/make_docx_template.py
	$(BIN)/python scripts/make_docx_template.py templates/brief.docx

screenshots: $(STAMP)  ## regenerate docs/img/ (needs poppler-utils and LibreOffice)
	scripts/screenshots.sh

bench: $(STAMP)  ## time briefgen against a bare WeasyPrint render (issue 8); see docs/performance.md
	$(BIN)/python scripts/bench.py
