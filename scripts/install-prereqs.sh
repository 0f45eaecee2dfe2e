#!/usr/bin/env bash
# Installs the programs RedisFlow's commands and tests need, when they are missing (Debian/Ubuntu).
#   scripts/install-prereqs.sh run    redis-server (the embedded default of the redisflow command)
#   scripts/install-prereqs.sh test   everything the test suite starts: redis, databases, storage emulators
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
fi

if [ "${#missing[@]}" -eq 0 ]; then
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
