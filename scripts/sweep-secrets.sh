#!/usr/bin/env bash
# Sweeps a test run's artifacts folder (logs and output of every fixture and child process) for the secrets the run
# used, as listed by the tests in <folder>/secrets.list ("name<TAB>value" per line; the list itself is skipped).
# Each value is looked for as is, URL-encoded and base64-encoded. Prints the file and the secret's NAME, never the
# value. Exit 0 when none is found, 1 when one is, 2 when the folder or its list is missing.
# Usage: bash scripts/sweep-secrets.sh FOLDER
set -uo pipefail
folder="${1:-}"
if [ -z "$folder" ] || [ ! -d "$folder" ]; then
  echo "secret sweep: no artifacts folder '${folder}'" >&2
  exit 2
fi
if [ ! -f "$folder/secrets.list" ]; then
  echo "secret sweep: $folder/secrets.list is missing: no test registered its secrets (tests/RedisFlow.Testing/Artifacts/TestSecrets.cs)" >&2
  exit 2
fi
exec python3 - "$folder" <<'PY'
import base64, os, sys, urllib.parse

folder = sys.argv[1]
list_file = os.path.join(folder, "secrets.list")
# Shorter values (an emulator's fixed "S3RVER" key, which is also its access key) would match ordinary text.
min_length = 8
secrets, skipped = {}, set()
with open(list_file, encoding="utf-8", errors="replace") as f:
    for line in f:
        name, _, value = line.rstrip("\n").partition("\t")
        if not value:
            continue
        if len(value) < min_length:
            skipped.add(name)
            continue
        raw = value.encode("utf-8")
        forms = {raw, urllib.parse.quote(value, safe="").encode(), urllib.parse.quote_plus(value).encode(),
                 base64.b64encode(raw), base64.b64encode(raw).rstrip(b"="), base64.urlsafe_b64encode(raw).rstrip(b"=")}
        secrets.setdefault(name, set()).update(f for f in forms if len(f) >= min_length)

found, files = [], 0
for root, _, names in os.walk(folder):
    for file_name in sorted(names):
        path = os.path.join(root, file_name)
        if os.path.abspath(path) == os.path.abspath(list_file):
            continue
        files += 1
        try:
            with open(path, "rb") as f:
                content = f.read()
        except OSError as e:
            print(f"secret sweep: cannot read {path}: {e.strerror}", file=sys.stderr)
            found.append((path, "(unreadable file)"))
            continue
        for name, forms in sorted(secrets.items()):
            if any(form in content for form in forms):
                found.append((path, name))

for path, name in found:
    print(f"secret sweep: {os.path.relpath(path, folder)} contains the secret named {name}")
note = f"; skipped as too short to sweep: {', '.join(sorted(skipped))}" if skipped else ""
verdict = f"{len(found)} found" if found else "none found"
print(f"secret sweep: {len(secrets)} secrets (with URL and base64 forms) in {files} files of {folder}: {verdict}{note}")
sys.exit(1 if found else 0)
PY
