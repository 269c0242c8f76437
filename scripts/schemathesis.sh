#!/usr/bin/env bash
# Fuzz the whole public API through the gateway with schemathesis, authorised as several roles.
#   scripts/schemathesis.sh                      # roles: unit bdb finance approval_bureau bdc archives admin
#   ROLES="unit bdb" MAX_EXAMPLES=10 scripts/schemathesis.sh
#   EXTRA="--include-path-regex ^/api/v1/reserve" scripts/schemathesis.sh
# Starts the stack (`python -m govkit.dev.cli run`) with a temporary GOVPM_DATA_DIR, mints a token per
# role, runs `schemathesis run` once per role with schemathesis's full check set (`--checks all`:
# server errors, schema and status conformance, undocumented statuses, Allow headers, valid data
# rejected and invalid data accepted…), stops the stack, exits non-zero when any run found a failure.
# CHECKS=not_a_server_error,response_schema_conformance narrows it. What JSON Schema cannot say about
# a valid request (a fresh Idempotency-Key, a cursor this API issued, a 412 for a stale If-Match) is in
# scripts/schemathesis_hooks.py and scripts/schemathesis.toml.
# Reports (JUnit) land in $REPORT_DIR (default: a temp dir, printed at the end).
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
# schemathesis lives in a venv of its own: it brings rich, which structlog would otherwise import into
# every service of the development stack (about 10 MB each) although the services log JSON.
FUZZ=.venv-fuzz/bin
if [ ! -x "$FUZZ/schemathesis" ]; then
  python3 -m venv .venv-fuzz && "$FUZZ/python" -m pip install -q schemathesis==4.32.5 || exit 1
fi
ROLES="${ROLES:-unit bdb finance approval_bureau bdc archives admin}"
CHECKS="${CHECKS:-all}"
MAX_EXAMPLES="${MAX_EXAMPLES:-25}"
ORG="${ORG:-ORG-FUZZ}"
PORT="${GOVPM_GATEWAY_PORT:-8000}"
BASE="http://127.0.0.1:${PORT}"
DATA="$(mktemp -d -t govpm-fuzz-XXXXXX)"
REPORT_DIR="${REPORT_DIR:-$DATA/reports}"
mkdir -p "$REPORT_DIR"

export GOVPM_DATA_DIR="$DATA" GOVPM_ENV=dev GOVPM_GATEWAY_PORT="$PORT"
export GOVPM_GATEWAY_RATE_LIMIT_PER_S=0   # the fuzzer is one principal sending thousands of requests
"$BIN/python" -m govkit.dev.cli run >"$DATA/run.log" 2>&1 &
RUN_PID=$!
cleanup() { kill -INT "$RUN_PID" 2>/dev/null; wait "$RUN_PID" 2>/dev/null; }
trap cleanup EXIT

for _ in $(seq 1 240); do
  if curl -fsS "$BASE/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$RUN_PID" 2>/dev/null; then echo "stack failed to start:"; cat "$DATA/run.log"; exit 1; fi
  sleep 0.5
done
curl -fsS "$BASE/healthz" || { echo "gateway not healthy"; cat "$DATA/run.log"; exit 1; }
echo

status=0
for role in $ROLES; do
  TOKEN="$("$BIN/python" -m govkit.dev.cli token --role "$role" --org "$ORG" --name "fuzz-$role")"
  echo "== schemathesis as $role"
  PYTHONPATH=scripts SCHEMATHESIS_HOOKS=schemathesis_hooks \
  "$FUZZ/schemathesis" --config-file scripts/schemathesis.toml run "$BASE/openapi.json" \
    --checks "$CHECKS" \
    --header "Authorization: Bearer ${TOKEN}" \
    --max-examples "$MAX_EXAMPLES" \
    --workers 2 \
    --request-timeout 30 \
    --suppress-health-check all \
    --report junit --report-junit-path "$REPORT_DIR/$role.xml" \
    ${EXTRA:-} || status=1
done
echo "reports: $REPORT_DIR   stack log: $DATA/run.log  service logs: $DATA/logs"
exit $status
