# Two commands do all the set-up on a fresh clone: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
DATA_DIR ?= $(or $(SITREP_DATA_DIR),data)
STAMP := $(VENV)/.installed

.PHONY: run test lint fix install bench bench-perf bench-smoke bench-scale soak eval clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# Pin the CPU build first so nothing below can pull a CUDA torch.
	$(PY) -m pip install --quiet "torch==2.13.0"
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) -m index.cli.firstrun --data-dir "$(DATA_DIR)"
	@if [ -n "$$DISCORD_TOKEN" ] || grep -qs '^DISCORD_TOKEN=.\+' .env; then \
		$(PY) -m bot; \
	else \
		echo "DISCORD_TOKEN is not set (environment or .env): starting the terminal chat instead of the Discord bot."; \
		$(VENV)/bin/sitrep --data-dir "$(DATA_DIR)" chat; \
	fi

test: $(STAMP)
	$(PY) -m pytest -q --numprocesses auto --maxprocesses 4

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

fix: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

# The full kill and load tests (CI runs them reduced): 10 SIGKILLs over a 400-article ingest and
# rebuilds, then 200 /ask from 50 users during a 300-article feed ingest. Prints the numbers.
soak: $(STAMP)
	SITREP_SOAK=1 $(PY) -m pytest -q -s tests/index/test_crash.py tests/bot/test_load.py

# The performance table alone (builds stores up to 1M chunks under /tmp/sitrep-bench: ~7 GB, ~10 min idle).
bench-perf: $(STAMP)
	nice $(PY) benchmarks/perf.py

# The same sections, tiny (what CI's tests/benchmarks/test_perf_smoke.py runs).
bench-smoke: $(STAMP)
	$(PY) benchmarks/perf.py --smoke

# Postgres vs the embedded store (ingest; ask at 100k replicated chunks) and 2 workers vs 1 (~15+ min);
# CI runs --smoke (tests/benchmarks/test_scale_smoke.py).
bench-scale: $(STAMP)
	nice $(PY) benchmarks/scale.py

# The full evaluation on ../shared/data (tens of minutes on 2 cores); CI runs a slice in the tests.
eval: $(STAMP)
	$(VENV)/bin/sitrep eval

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
