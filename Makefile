# Two commands do the whole set-up on a fresh machine (see README.md):
#   make run    create the environment and run the main job (compare the bundled strategies)
#   make test   create the environment and run the test suite
PY ?= python3.12
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench clean

$(VENV)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

run: $(VENV)/.installed
	rm -rf results/compare
	$(BIN)/cocreate compare --replicates 3 --out results/compare

test: $(VENV)/.installed
	$(BIN)/python -m sim.runs.warmup
	$(BIN)/python -m pytest -q -n 2

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/engine.py
	$(BIN)/python benchmarks/threads.py
	$(BIN)/python benchmarks/borough.py
	$(BIN)/python benchmarks/sweep.py
	$(BIN)/python benchmarks/phases.py

clean:
	rm -rf $(VENV) results .pytest_cache
