# bindsim: `make demo` runs the scenario library and draws every diagram into out/;
# `make test` runs lint, type checks and the tests. Both create .venv and install what they need.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= out

.PHONY: demo test lint typecheck pytest system-deps bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# Graphviz (dot) and a CJK font come from the system. Install them where apt-get can;
# otherwise say how, and carry on (rendering is skipped, except under CI where it fails).
system-deps:
	@if command -v dot >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q .; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		echo "installing graphviz and fonts-noto-cjk with apt-get"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz fonts-noto-cjk >/dev/null) \
		|| echo "apt-get failed: run 'sudo apt-get install graphviz fonts-noto-cjk' by hand"; \
	else \
		echo "graphviz or a CJK font is missing: run 'sudo apt-get install graphviz fonts-noto-cjk'"; \
	fi

demo: $(STAMP) system-deps
	$(BIN)/bindsim demo --out $(OUT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) system-deps
	$(BIN)/pytest -n 2 -p no:cacheprovider

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) $(OUT) .mypy_cache .ruff_cache .pytest_cache
