#!/usr/bin/env bash
# Installs the programs RedisFlow's commands and tests need, when they are missing (Debian/Ubuntu).
#   scripts/install-prereqs.sh run    redis-server (the embedded default of the redisflow command)
#   scripts/install-prereqs.sh test   everything the test suite starts: redis, databases, storage emulators,
#                                     and python3-redis for the benchmark's Python peer (its smoke test runs it),
#                                     and Debian's chromium with its fonts for the dashboard's browser tests
#   scripts/install-prereqs.sh bench  the same, for bench/RedisFlow.Benchmarks
set -euo pipefail

profile="${1:-test}"
missing=()

need_cmd() { # need_cmd <command or absolute path> <debian package>
  if ! command -v "$1" >/dev/null 2>&1 && [ ! -x "$1" ]; then missing+=("$2"); fi
}

need_cmd redis-server redis-server
need_cmd redis-cli redis-tools
need_cmd redis-benchmark redis-tools
if [ "$profile" = "test" ] || [ "$profile" = "bench" ]; then
  need_cmd openssl openssl
  need_cmd mariadbd mariadb-server
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then missing+=(postgresql); fi
  need_cmd node nodejs
  need_cmd npm npm
  # Real Python beside RedisFlow, for the interop tests and the benchmark's Python peer (bench/python/seed_peer.py):
  # redis-py (RAGFlow's client) and `cryptography` (an independent implementation of RAGFlow's storage encryption).
  if ! /usr/bin/python3 -c 'import redis' >/dev/null 2>&1; then missing+=(python3-redis); fi
  if ! /usr/bin/python3 -c 'import cryptography' >/dev/null 2>&1; then missing+=(python3-cryptography); fi
  # The dashboard's browser tests drive this chromium with Playwright (nothing is downloaded at test time);
  # with --no-install-recommends its fonts must be asked for, or screenshots have none.
  need_cmd /usr/lib/chromium/chromium chromium
  if [ ! -e /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf ]; then missing+=(fonts-liberation); fi
fi

# Storage emulators the tests start (s3rver for S3, azurite for Azure Blob): npm packages pinned by
# tools/emulators/package-lock.json, installed into tools/emulators/node_modules (git-ignored). Runs after apt.
install_emulators() {
  if [ "$profile" != "test" ] && [ "$profile" != "bench" ]; then return 0; fi
  local emulators
  emulators="$(cd "$(dirname "$0")/../tools/emulators" && pwd)"
  if [ ! -f "$emulators/node_modules/s3rver/bin/s3rver.js" ] || [ ! -f "$emulators/node_modules/azurite/dist/src/blob/main.js" ] \
     || [ "$emulators/package-lock.json" -nt "$emulators/node_modules/.package-lock.json" ]; then
    echo "Installing storage emulators: npm ci in $emulators" >&2
    npm ci --prefix "$emulators" --no-audit --no-fund --loglevel=error >&2
  fi
}

if [ "${#missing[@]}" -eq 0 ]; then
  install_emulators
  exit 0
fi

# Unique, in order.
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | awk '!seen[$0]++')
echo "Installing missing packages: ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "error: not root and no sudo; install them yourself: apt-get install ${missing[*]}" >&2
    exit 1
  fi
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >&2
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
install_emulators
