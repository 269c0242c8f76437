#!/usr/bin/env bash
# Builds the console (web/ → web/dist, served by the gateway at /) when its sources changed since the
# last build. Without Node.js it says what to install and exits 0: the API runs without the console.
#   scripts/console.sh          build if needed (make run, make console)
#   scripts/console.sh deps     only install the npm packages when missing (npm ci)
set -uo pipefail
cd "$(dirname "$0")/../web"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "console: Node.js 20+ and npm are not installed — the API runs, the console is not built." >&2
  echo "         Install them (Debian: apt-get install nodejs npm), then run: make console" >&2
  exit 0
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "console: Node.js $(node -v) is too old (need 20+); the console is not rebuilt." >&2
  exit 0
fi

deps() {
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "console: installing npm packages (npm ci) …"
    npm ci --no-audit --no-fund --loglevel=error || return 1
  fi
}

if [ "${1:-}" = "deps" ]; then
  deps
  exit $?
fi

hash=$(cat package-lock.json index.html vite.config.ts tsconfig.json $(find src public -type f 2>/dev/null | sort) 2>/dev/null | sha256sum | cut -c1-16)
if [ -f dist/index.html ] && [ "$(cat dist/.source-hash 2>/dev/null)" = "$hash" ]; then
  exit 0
fi
deps || { echo "console: npm ci failed — the API runs, the console is not rebuilt." >&2; exit 0; }
echo "console: building web/ …"
if npx vite build --logLevel warn; then
  echo "$hash" > dist/.source-hash
  echo "console: built (web/dist)"
else
  echo "console: build failed — the API runs; see the output above." >&2
fi
exit 0
