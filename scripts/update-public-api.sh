#!/usr/bin/env bash
# Adds every public symbol the build reports as undeclared (RS0016) to its project's PublicAPI.Unshipped.txt, and
# drops the lines of symbols that no longer exist (RS0017). Run after changing a library's public API on purpose,
# then review the diff: it is the API change. `dotnet format analyzers` does the same, one project per pass.
set -euo pipefail
cd "$(dirname "$0")/.."
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
dotnet build RedisFlow.slnx -c Release -p:TreatWarningsAsErrors=false -p:WarningsAsErrors= --no-incremental >"$log" 2>&1 || true
python3 - "$log" <<'PY'
import re, sys, collections, os
added = collections.defaultdict(set)
removed = collections.defaultdict(set)
pattern = re.compile(r"warning (RS0016|RS0017): Symbol '(.+?)' is (?:not part of the declared public API|part of the declared API, but is either not public or could not be found).*\[(.+?\.csproj)\]")
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    m = pattern.search(line)
    if m:
        (added if m.group(1) == "RS0016" else removed)[os.path.dirname(m.group(3))].add(m.group(2))
for folder in sorted(set(added) | set(removed)):
    path = os.path.join(folder, "PublicAPI.Unshipped.txt")
    lines = [l.rstrip("\n") for l in open(path, encoding="utf-8")] if os.path.exists(path) else ["#nullable enable"]
    header = [l for l in lines if l.startswith("#")] or ["#nullable enable"]
    body = {l for l in lines if l and not l.startswith("#")} - removed[folder] | added[folder]
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(header + sorted(body, key=lambda s: (s.lstrip("~*"), s))) + "\n")
    print(f"{path}: +{len(added[folder])} -{len(removed[folder])}")
PY
