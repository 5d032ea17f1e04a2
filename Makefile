# Two commands on a fresh clone: `make demo` and `make test`. Both create the
# virtual environment first if it is missing (or older than pyproject.toml).

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.kiyome-installed
DEMO_OUT ?= out/demo
BENCH_ARGS ?=

.PHONY: demo test lint setup clean bench browser

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/kiyome run --input examples/corpus --output $(DEMO_OUT) --overwrite
	@echo
	@echo "Look at the result:"
	@echo "  report:    $(DEMO_OUT)/report.html (open in a browser; numbers in report.json)"
	@echo "  card:      $(DEMO_OUT)/README.md (dataset card)"
	@echo "  inspect:   $(VENV)/bin/kiyome inspect $(DEMO_OUT)"
	@echo "  shards:    $(DEMO_OUT)/shards/*.parquet"
	@echo "  manifest:  $(DEMO_OUT)/manifest.json"
	@echo "  rejected:  $(DEMO_OUT)/rejected/*.jsonl"
	@echo "  pyarrow:   $(PY) -c \"import pyarrow.dataset as ds; print(ds.dataset('$(DEMO_OUT)/shards').to_table(columns=['id', 'lang', 'n_chars', 'pii_total']))\""
	@echo "  DuckDB:    $(PY) -c \"import duckdb; duckdb.sql(\\\"select id, lang, pii_total, left(text, 30) as text from '$(DEMO_OUT)/shards/*.parquet'\\\").show()\""

# Benchmark suite (bench/README.md): corpus from Debian's Japanese docs, every stage
# against its reference, end to end at 1x/4x/16x; prints a table, writes bench/results.json.
# BENCH_ARGS=--quick for a smoke run.
bench: $(STAMP)
	$(PY) -m bench $(BENCH_ARGS)

test: $(STAMP) browser
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

# Debian's Chromium for tests/test_report_browser.py (Playwright drives it; nothing is
# downloaded from the browser vendors). Installed once; needs root or sudo.
CHROMIUM ?= /usr/bin/chromium
browser:
	@test -x $(CHROMIUM) || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get install -y -q --no-install-recommends chromium >/dev/null 2>&1 || \
	  { $$SUDO apt-get update -q >/dev/null && \
	    $$SUDO apt-get install -y -q --no-install-recommends chromium >/dev/null; }; }
	@test -x $(CHROMIUM) || { echo "make browser: could not install Debian's chromium"; exit 1; }

lint: $(STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf out .pytest_cache
