#!/usr/bin/env bash
# Runs every test of the solution against real servers, installing what is missing first.
# Ends with one line of totals: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-prereqs.sh test || exit 1

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log="$(mktemp)"
# Tests append what people should read (failover outage windows, lost entries) here; printed after the run.
export REDISFLOW_TEST_REPORT="$(mktemp)"
# One folder per run for the logs and output of every fixture and child process (and the list of the secrets the
# tests used); swept for those secrets after the tests, and kept for reading.
export REDISFLOW_TEST_ARTIFACTS="${REDISFLOW_TEST_ARTIFACTS:-$(mktemp -d -t redisflow-test-artifacts-XXXXXX)}"
mkdir -p "$REDISFLOW_TEST_ARTIFACTS"
trap 'rm -f "$log" "$REDISFLOW_TEST_REPORT"' EXIT

if ! dotnet build RedisFlow.slnx -c Release -warnaserror >"$log" 2>&1; then
  cat "$log"
  echo "build failed" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
if ! grep -E "Warning\(s\)|Error\(s\)|Time Elapsed" "$log"; then
  # No build summary: show what the build said instead, so a silent failure is explained.
  tail -n 40 "$log"
fi
for project in tests/*/*.csproj; do
  name="$(basename "$project" .csproj)"
  if [ "$name" != "RedisFlow.Testing" ] && [ "$name" != "RedisFlow.TestProcesses" ] && [ ! -f "tests/$name/bin/Release/net10.0/$name.dll" ]; then
    echo "build produced no tests/$name/bin/Release/net10.0/$name.dll" >&2
  fi
done

# One test project at a time (-m:1): each runs its own tests in parallel, and two projects at once on a 2-core
# machine starve the timing-bound tests (lock leases, failover windows) of CPU.
dotnet test RedisFlow.slnx -c Release --no-build -m:1 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# dotnet test prints one summary line per test assembly; add them up.
read -r passed failed skipped < <(grep -E "^(Passed|Failed)!" "$log" | awk -F'[:,]' '
  { for (i = 1; i <= NF; i++) {
      if ($i ~ /Failed$/) f += $(i+1); if ($i ~ /Passed$/) p += $(i+1); if ($i ~ /Skipped$/) s += $(i+1) } }
  END { printf "%d %d %d\n", p, f, s }')

if [ -s "$REDISFLOW_TEST_REPORT" ]; then
  echo "Reported by the tests:"
  sort "$REDISFLOW_TEST_REPORT"
fi

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

# The secret sweep counts as one more check in the totals: no secret the suite used may appear in any log or output.
echo "Artifacts of this run: $REDISFLOW_TEST_ARTIFACTS"
if bash scripts/sweep-secrets.sh "$REDISFLOW_TEST_ARTIFACTS"; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
  [ "$status" -ne 0 ] || status=1
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
