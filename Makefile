# The two set-up commands of the README are `make run` and `make test`; each installs what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
OUT ?= out

.PHONY: install run test lint eval bench clean chromium

$(BIN)/newsgraph: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	@touch $@

install: $(BIN)/newsgraph

# the main job: extract the sample articles in samples/ (written for this project)
run: install
	@mkdir -p $(OUT)
	$(BIN)/newsgraph extract samples -o $(OUT)/samples.jsonl
	@echo "records in $(OUT)/samples.jsonl"

# the browser tests drive Debian's chromium (root with apt: installed here when missing; else they are skipped)
CHROMIUM ?= /usr/bin/chromium
chromium:
	@test -x $(CHROMIUM) || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; } || \
		echo "warning: $(CHROMIUM) missing and not installable here; browser tests will be skipped"

test: install chromium
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check src tests benchmarks

# evaluation against ../shared/eval (not part of the unit tests)
eval: install
	$(BIN)/python benchmarks/run.py all --shared $(SHARED)

bench: install
	$(BIN)/python benchmarks/throughput.py --shared $(SHARED)

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache
