#!/usr/bin/env bash
# RedisFlow's seed calls vs the Python peer, one awaited call at a time, same run: redis-server on CPU 0, each
# client on CPU 1, alternated REPS times, N calls after 1,000 warm-up calls; prints medians and ratios.
# Usage: tools/seed-latency/run.sh [modes...]   (default: produce getset consume lock). EXTRA_ENV adds a RedisFlow row
# with that environment (e.g. EXTRA_ENV=DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1).
set -u
HERE=$(cd "$(dirname "$0")" && pwd); N=${N:-20000}; REPS=${REPS:-3}; T=$(mktemp -d)
MODES=${*:-produce getset consume lock}
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
trap 'redis-cli -p $PORT shutdown nosave >/dev/null 2>&1; rm -rf "$T"' EXIT
dotnet build "$HERE/SeedLatency.csproj" -c Release -o "$T/out" >/dev/null 2>&1 || { echo "build failed"; exit 1; }
taskset -c 0 redis-server --port "$PORT" --save '' --appendonly no --daemonize yes >/dev/null; sleep 0.3
for r in $(seq "$REPS"); do
  for m in $MODES; do
    taskset -c 1 /usr/bin/python3 "$HERE/peer.py" "$m" "$PORT" "$N" | sed "s/RATE $m/RATE python-$m/"
    taskset -c 1 dotnet "$T/out/SeedLatency.dll" "$m" "$PORT" "$N" | sed "s/RATE $m/RATE redisflow-$m/"
    if [ -n "${EXTRA_ENV:-}" ]; then env "$EXTRA_ENV" taskset -c 1 dotnet "$T/out/SeedLatency.dll" "$m" "$PORT" "$N" | sed "s/RATE $m/RATE redisflow+env-$m/"; fi
  done
  redis-cli -p "$PORT" flushall >/dev/null
done | tee "$T/all" >/dev/null
python3 - "$T/all" <<'PY'
import sys, statistics as st, collections
d = collections.defaultdict(list)
for l in open(sys.argv[1]):
    p = l.split()
    if len(p) == 3 and p[0] == "RATE": d[p[1]].append(float(p[2]))
for k in sorted(d):
    m = k.split("-", 1)[1]; py = st.median(d.get("python-" + m, [float("nan")]))
    print(f"{k:28s} {st.median(d[k]):8.0f}/s  min {min(d[k]):8.0f}  max {max(d[k]):8.0f}  = {st.median(d[k])/py:.2f}x python")
PY
