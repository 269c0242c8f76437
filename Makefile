# GovPM — `make run` starts everything, `make test` tests everything (see README.md).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PROJECTS := packages/govkit services/reserve services/approval services/budget services/oversight services/acceptance gateway

.PHONY: install system-deps run console lint test test-unit test-e2e token bench bench-json bench-console faults fuzz clean lint-deploy

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Third-party packages only from the hashed lock (scripts/lock.sh makes it from deploy/requirements*.txt),
# then the workspace packages editable, without dependencies and built by the locked setuptools.
$(VENV)/.installed: $(BIN)/python deploy/requirements-dev.lock $(addsuffix /pyproject.toml,$(PROJECTS))
	$(BIN)/python -m pip install -q --require-hashes -r deploy/requirements-dev.lock
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation $(addprefix -e ,$(PROJECTS))
	touch $@

install: $(VENV)/.installed

system-deps:
	scripts/system-deps.sh

run: install console
	$(BIN)/python -m govkit.dev.cli run

# The console (web/ → web/dist, served at /): rebuilt when its sources changed; skipped without Node.
console:
	@scripts/console.sh

# ruff (format and lint, config in pyproject.toml) and import-linter's contracts (the layers of AGENTS.md)
lint: install
	$(BIN)/ruff format --check --quiet .
	$(BIN)/ruff check --quiet .
	$(BIN)/lint-imports --no-logo --no-cache

test: install system-deps lint
	scripts/test.sh

test-unit: install lint
	SKIP_E2E=1 scripts/test.sh

test-e2e: install
	ONLY_E2E=1 scripts/test.sh

# make token ROLE=unit ORG=ORG-001 NAME=张三
token: install
	@$(BIN)/python -m govkit.dev.cli token --role $(ROLE) --org $(ORG) --name $(or $(NAME),dev)

bench: install
	$(BIN)/python scripts/bench.py $(ARGS)

# every figure also as JSON (last block of the output; feed it back with --baseline to compare)
bench-json: install
	$(BIN)/python scripts/bench.py --json $(ARGS)

# The console's 项目库 first page in Chromium with 100,000 projects in oversight (a measure, not a test)
bench-console: install console
	$(BIN)/python scripts/bench_console.py $(ARGS)

# project lives under injected faults; prints figures, exits 1 if anything was lost or doubled
faults: install
	$(BIN)/python scripts/faults.py $(FAULTS_ARGS)

# schemathesis's full check set against the merged OpenAPI through the gateway, as every role (a stack of
# its own, ports from GOVPM_*_PORT); `make fuzz ROLES="unit bdb" MAX_EXAMPLES=5` for a bounded run.
fuzz: install
	ROLES="$(or $(ROLES),unit bdb finance approval_bureau bdc archives admin)" MAX_EXAMPLES=$(or $(MAX_EXAMPLES),25) scripts/schemathesis.sh

clean:
	rm -rf .data
