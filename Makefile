# bindsim: `make demo` runs the scenario library and draws every diagram into out/;
# `make test` runs lint, type checks and the tests. Both create .venv and install what they need.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
OUT ?= out
# `make demo` installs the light core (no PDF/PPTX, no server, no test tools); `make test` all.
CORE := $(VENV)/.installed-core
DEV := $(VENV)/.installed-dev

.PHONY: demo test lint typecheck pytest system-deps bench bench-demo mutation clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(CORE): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $(CORE)

$(DEV): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(DEV) $(CORE)

# From the system: Graphviz (dot), the fonts (Noto Sans for English, Noto Sans CJK for Chinese),
# chromium (the browser tests of the gallery and of bindsim serve) and poppler-utils (pdftoppm,
# pdftotext: the PDF tests).
# Installed with apt-get where it can; otherwise say how and carry on (what needs a missing one
# is skipped), except under CI, where a missing one is a failure.
SYSTEM_PACKAGES := graphviz fonts-noto-core fonts-noto-cjk chromium poppler-utils
system-deps:
	@missing=""; \
	command -v dot >/dev/null 2>&1 || missing="$$missing graphviz"; \
	fc-list "Noto Sans" 2>/dev/null | grep -q "NotoSans-" || missing="$$missing fonts-noto-core"; \
	fc-list :lang=zh 2>/dev/null | grep -q . || missing="$$missing fonts-noto-cjk"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		echo "installing$$missing with apt-get"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
		|| echo "apt-get failed: run 'sudo apt-get install$$missing' by hand"; \
	else \
		echo "missing:$$missing; run 'sudo apt-get install$$missing'"; \
	fi; \
	if [ -n "$$CI" ]; then \
		for tool in dot chromium pdftoppm; do command -v $$tool >/dev/null 2>&1 \
			|| { echo "CI: $$tool is still missing"; exit 1; }; done; \
	fi

demo: $(CORE) system-deps
	$(BIN)/bindsim demo --out $(OUT)

# make demo's speed: cold (parallel, empty cache) and warm, against --jobs 1 --no-cache.
bench-demo: $(CORE) system-deps
	$(BIN)/python -m benchmarks demo

# Mutants of the rule logic, and which the library, explore's contracts and its suites kill
# (benchmarks/mutation.py; long: every mutant explores the cast catalogue). Not part of make test.
mutation: $(DEV)
	$(BIN)/python -m benchmarks mutation

lint: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(DEV)
	$(BIN)/mypy

pytest: $(DEV) system-deps
	$(BIN)/pytest -n 2 -p no:cacheprovider

test: lint typecheck pytest

bench: $(DEV)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) $(OUT) .mypy_cache .ruff_cache .pytest_cache
