#!/usr/bin/env bash
# Runs every test suite: govkit, each service, the gateway (unit + API, on PostgreSQL), then the
# end-to-end tests (broker + services + gateway as real processes).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export GOVPM_TEST_PG="${GOVPM_TEST_PG:-postgresql+asyncpg://postgres@127.0.0.1:5432}"

if [ "${GOVPM_TEST_PG}" != "none" ]; then
  scripts/ensure-postgres.sh
else
  unset GOVPM_TEST_PG  # SQLite
fi

ROOT="$(pwd)"
suites=(packages/govkit services/reserve services/approval services/budget services/oversight services/acceptance gateway)
fail=0
if [ -z "${ONLY_E2E:-}" ]; then
  for s in "${suites[@]}"; do
    if [ -d "$s/tests" ]; then
      echo "== $s"
      (cd "$s" && "$ROOT/$BIN/python" -m pytest -c "$ROOT/pytest.ini" tests) || fail=1
    fi
  done
fi
if [ -z "${SKIP_E2E:-}" ]; then
  echo "== end-to-end"
  $BIN/python -m pytest -c pytest.ini tests "$@" || fail=1
fi
exit $fail
