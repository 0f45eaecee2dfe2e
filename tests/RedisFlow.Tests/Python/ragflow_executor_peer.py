"""A stand-in for a RAGFlow task executor's fleet membership, for interop tests (redis-py from Debian's python3-redis).

Written for these tests (not RAGFlow's code). It registers and heartbeats with the same Redis commands, keys and
formats as report_status() in RAGFlow's rag/svr/task_executor.py: SADD TASKEXE <name>, then ZADD <name> <heartbeat
JSON> <Unix time in seconds>, the JSON having ip_address, pid, name, now, boot_at, pending, lag, done, failed,
current (times from datetime.now().astimezone().isoformat(timespec="milliseconds")). "status" reads the fleet as
RAGFlow's system status API does (SMEMBERS TASKEXE, ZRANGEBYSCORE <name> now-1800 now, json.loads of each).

usage: ragflow_executor_peer.py PORT COMMAND ARGS...
  executor QUEUE GROUP NAME STOP_KEY INTERVAL_MS   take one entry (left pending, like a long task), heartbeat every
                                                  INTERVAL_MS until STOP_KEY exists (at most 50 s), then exit
                                                  without acknowledging or leaving TASKEXE, like a killed executor;
                                                  prints the entry's id
  status                                          print {name: [heartbeat, ...]} for every registered executor
"""
import json
import os
import sys
import time
from datetime import datetime

import redis

TIMESPEC = "milliseconds"


def heartbeat(client, name, boot_at, current):
    now = datetime.now()
    beat = json.dumps({
        "ip_address": "127.0.0.1",
        "pid": os.getpid(),
        "name": name,
        "now": now.astimezone().isoformat(timespec=TIMESPEC),
        "boot_at": boot_at,
        "pending": 1,
        "lag": 0,
        "done": 0,
        "failed": 0,
        "current": current,
    })
    client.zadd(name, {beat: now.timestamp()})
    client.zremrangebyscore(name, 0, now.timestamp() - 60 * 30)


def executor(client, queue, group, name, stop_key, interval_ms):
    boot_at = datetime.now().astimezone().isoformat(timespec=TIMESPEC)
    client.sadd("TASKEXE", name)
    try:
        client.xgroup_create(queue, group, id="0", mkstream=True)
    except redis.exceptions.ResponseError as e:
        if "BUSYGROUP" not in str(e):
            raise
    heartbeat(client, name, boot_at, {})
    reply = client.xreadgroup(group, name, {queue: ">"}, count=1)
    entry_id, fields = reply[0][1][0]
    task = json.loads(fields["message"])
    deadline = time.monotonic() + 50
    while time.monotonic() < deadline and not client.exists(stop_key):
        heartbeat(client, name, boot_at, {task["id"]: task})
        time.sleep(interval_ms / 1000)
    return entry_id


def status(client):
    fleet = {}
    now = datetime.now().timestamp()
    for name in client.smembers("TASKEXE"):
        beats = [json.loads(b) for b in client.zrangebyscore(name, now - 60 * 30, now)]
        for beat in beats:
            # RAGFlow's status page shows these; both must parse as aware ISO 8601 times.
            for field in ("now", "boot_at"):
                if datetime.fromisoformat(beat[field]).tzinfo is None:
                    raise ValueError(f"{name}: {field} {beat[field]} has no UTC offset")
        fleet[name] = beats
    return fleet


def main(argv):
    client = redis.Redis(host="127.0.0.1", port=int(argv[1]), decode_responses=True)
    command, args = argv[2], argv[3:]
    if command == "executor":
        print(executor(client, args[0], args[1], args[2], args[3], int(args[4])))
    elif command == "status":
        print(json.dumps(status(client)))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
