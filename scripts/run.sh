#!/usr/bin/env bash
# Runs the main job (redisflow demo: the file-cache daemon on its embedded defaults), installing redis-server first when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-prereqs.sh run
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
exec dotnet run --project src/RedisFlow.Cli -c Release -- "${@:-demo}"
