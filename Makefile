# The two set-up commands of the README are `make run` and `make test`; each installs what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
OUT ?= out

DB ?= $(OUT)/newsgraph.db
PORT ?= 8000

.PHONY: install run serve test lint eval bench clean chromium

$(BIN)/newsgraph: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev,scale]"
	@touch $@

install: $(BIN)/newsgraph

# the main job: the sample articles in samples/ (written for this project) -> contract records
# in $(OUT)/samples.jsonl and a linked, searchable SQLite store $(DB)
run: install
	@mkdir -p $(OUT)
	$(BIN)/newsgraph extract samples -o $(OUT)/samples.jsonl
	$(BIN)/newsgraph ingest samples --db $(DB)
	@echo "records in $(OUT)/samples.jsonl; store in $(DB); browse it with: make serve"

# the web UI and the JSON API over that store, on http://127.0.0.1:$(PORT)/ (Ctrl-C stops)
serve: install
	$(BIN)/newsgraph serve --db $(DB) --port $(PORT)

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
