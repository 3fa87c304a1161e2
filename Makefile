# k9py: two set-up commands matter (README quick start): `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test test-slow lint format bench clean serve

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/k9py -f samples/quickstart

test: $(STAMP)
	$(BIN)/ruff check engine k9py tests benchmarks
	$(BIN)/python -m pytest -q

test-slow: $(STAMP)
	$(BIN)/python -m pytest -q -m slow

lint: $(STAMP)
	$(BIN)/ruff check engine k9py tests benchmarks
	$(BIN)/ruff format --check engine k9py tests benchmarks

format: $(STAMP)
	$(BIN)/ruff format engine k9py tests benchmarks
	$(BIN)/ruff check --fix engine k9py tests benchmarks

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache

# The README's stills: every samples/demos scenario recorded again (deterministic,
# so unchanged views give unchanged files; tests/record/test_demos.py fails when
# they are stale). The casts land in build/demos/.
.PHONY: stills
stills: $(STAMP)
	rm -f docs/stills/*.svg
	mkdir -p docs/stills build/demos/config
	for f in samples/demos/*.yaml; do \
	  env -u NO_COLOR K9PY_CONFIG_DIR=build/demos/config $(BIN)/k9py record "$$f" -q \
	    -o "build/demos/$$(basename "$$f" .yaml).cast" --svg-dir docs/stills || exit 1; \
	done
