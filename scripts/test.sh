#!/usr/bin/env bash
# Runs every test suite: govkit, each service, the gateway (unit + API, on PostgreSQL) in one lane beside
# the console and the end-to-end tests (broker + services + gateway as real processes) in another, then
# the fault suite's short run.
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
fail=0
# The console (web/): npm packages when missing, the typed client checked against the API (drift),
# type check, Vitest and the production build, which the browser tests (tests/e2e/test_console_e2e.py,
# after the other end-to-end tests) load.
# Runs in the background beside the Python suites; its output is printed when it ends.
web_log="$(mktemp)"
web_pid=""
if [ -z "${SKIP_WEB:-}" ]; then
  if command -v node >/dev/null 2>&1; then
    (set -e; scripts/console.sh deps; cd web
     if [ -z "${ONLY_E2E:-}" ]; then
       # Drift: the client is regenerated for this run and the console must still type-check against
       # the API as it is now (a path or shape it uses that changed fails here); an addition it does
       # not use yet only warns, so one service's new endpoint does not stop everyone's landing.
       npm run --silent check:api || { echo "WARNING: web/src/api/schema.d.ts is behind the API — run: cd web && npm run gen:api"; npm run --silent gen:api; }
       npm run --silent typecheck; npx vitest run
     fi
     npx vite build --logLevel warn && node scripts/size.mjs
    ) >"$web_log" 2>&1 &
    web_pid=$!
  else
    echo "== web: Node.js missing (apt-get install nodejs npm) — console tests cannot run" >&2
    fail=1
  fi
fi
web_wait() {
  [ -n "$web_pid" ] || return 0
  local rc=0
  wait "$web_pid" || rc=$?
  echo "== web (console)"; cat "$web_log"
  [ "$rc" = 0 ] || { echo "web suite failed ($rc)"; fail=1; }
  web_pid=""
}
# Lane 1 (background): the kernel, each service and the gateway, one after another.
suites=(packages/govkit services/reserve services/approval services/budget services/oversight services/acceptance gateway)
unit_log="$(mktemp)"
unit_pid=""
if [ -z "${ONLY_E2E:-}" ]; then
  (rc=0
   for s in "${suites[@]}"; do
     if [ -d "$s/tests" ]; then
       echo "== $s"
       (cd "$s" && "$ROOT/$BIN/python" -m pytest -c "$ROOT/pytest.ini" tests) || rc=1
     fi
   done
   exit $rc) >"$unit_log" 2>&1 &
  unit_pid=$!
fi
# Lane 2 (here): the console's build, then the end-to-end tests (real processes, the browser tests).
web_wait  # the browser tests need the built console
if [ -z "${SKIP_E2E:-}" ]; then
  echo "== end-to-end"
  $BIN/python -m pytest -c pytest.ini tests --ignore=tests/e2e/test_console_e2e.py "$@" || fail=1
  if [ "$#" = 0 ] && [ -z "${SKIP_WEB:-}" ]; then
    echo "== console in the browser (tests/e2e/test_console_e2e.py)"
    $BIN/python -m pytest -c pytest.ini tests/e2e/test_console_e2e.py || fail=1
  fi
fi
if [ -n "$unit_pid" ]; then
  rc=0; wait "$unit_pid" || rc=$?
  cat "$unit_log"
  [ "$rc" = 0 ] || { echo "unit/API suites failed"; fail=1; }
fi
# Then the fault suite's short run (issue 18): lives under injected faults, nothing lost or doubled.
if [ -z "${SKIP_E2E:-}" ] && [ -z "${SKIP_FAULTS:-}" ] && [ "$#" = 0 ]; then
  echo "== faults (scripts/faults.py --quick)"
  $BIN/python scripts/faults.py --quick || fail=1
fi
exit $fail
