# Two commands for a fresh machine:
#   make run    set up the runtime and mask the guide's example note on the embedded default
#   make test   set up everything the tests need and run the whole suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test test-quick lint bench serve synth clean system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The steps' and the local runtime's sets (requirements/): what `hdm` needs to run offline.
$(VENV)/.runtime: pyproject.toml requirements/steps.txt requirements/local.txt | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

# Runtime + infra + dev sets, and the pinned CDK CLI from package-lock.json.
$(VENV)/.dev: pyproject.toml requirements/steps.txt requirements/local.txt $(wildcard package-lock.json) | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[infra,dev]"
	if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --silent; fi
	touch $@

run: $(VENV)/.runtime
	$(BIN)/hdm mask-text --file examples/guide-note.txt

# Debian's Chromium for the console page test (skipped, with its reason, where it cannot be installed).
system-deps:
	@if ! command -v chromium >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "note: chromium missing and not root: the browser test will be skipped"; fi; fi

# In random order (pytest-randomly; the seed is printed, and --randomly-seed=N replays an order):
# no test may depend on another having run first.
test: $(VENV)/.dev system-deps
	$(BIN)/pytest -n 2 --dist loadfile -p randomly

# The quick loop: no end-to-end, CDK or browser tests.
test-quick: $(VENV)/.dev
	$(BIN)/pytest -n 2 --dist loadfile -m "not slow and not infra and not browser"

serve: $(VENV)/.runtime
	$(BIN)/hdm serve

# The CloudFormation template into cdk.out/, offline, with the npm-pinned CDK CLI.
synth: $(VENV)/.dev
	npx --no-install cdk synth --quiet

# Scores and speed against baselines measured in the same run (scores need the evaluation data).
bench: $(VENV)/.dev
	$(BIN)/python bench/phi_engine.py --check
	$(BIN)/python bench/image_bench.py
	$(BIN)/python bench/batch_bench.py
	$(BIN)/python bench/runtime_bench.py
	$(BIN)/python bench/jsonl_bench.py

lint: $(VENV)/.dev
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) node_modules cdk.out .pytest_cache
