# The one front door: `make demo` builds the sample briefs, `make test` runs the suite.
# Both set up .venv on first use (Python 3.11+ and the network to PyPI are all they need),
# from requirements.lock: every dependency pinned by version and hash, so that every
# machine builds with the same code and the same briefs come out byte for byte.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint format clean golden docx-template screenshots bench lock fonts export-schema

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -c 'import sys; sys.exit("briefgen needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps --only-binary :all: \
		-r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	touch $(STAMP)

demo: $(STAMP)  ## build every sample edition into output/
	$(BIN)/briefgen check
	$(BIN)/briefgen build -f pdf -f docx -f html

test: $(STAMP)  ## run the whole suite
	$(BIN)/pytest

lint: $(STAMP)  ## ruff lint and format check, mypy strict on briefgen/
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

lock:  ## re-resolve requirements.lock from pyproject.toml (newest allowed versions)
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet 'uv>=0.5'
	.lock-venv/bin/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
		--generate-hashes --upgrade --quiet --custom-compile-command 'make lock' \
		-o requirements.lock
	rm -rf .lock-venv

fonts:  ## remake templates/fonts/ from Debian's Noto packages (see scripts/make_fonts.py)
	d=$$(mktemp -d) && cd $$d && apt-get download fonts-noto-core fonts-noto-cjk && \
		for f in *.deb; do dpkg-deb -x $$f x; done && cd - && \
		$(BIN)/python scripts/make_fonts.py $$d/x/usr/share/fonts templates/fonts; rm -rf $$d

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

export-schema: $(STAMP)  ## regenerate docs/export.schema.json from briefgen/export/shape.py
	$(BIN)/briefgen export --schema > docs/export.schema.json.tmp
	mv docs/export.schema.json.tmp docs/export.schema.json

screenshots: $(STAMP)  ## regenerate docs/img/ (needs poppler-utils and LibreOffice)
	scripts/screenshots.sh

bench: $(STAMP)  ## time briefgen against a bare WeasyPrint render (issue 8); see docs/performance.md
	$(BIN)/python scripts/bench.py
