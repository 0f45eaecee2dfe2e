#!/usr/bin/python3
"""The Python original as a benchmark peer: RAGFlow's Redis layer and cache loop, call for call.

Drives Redis with redis-py (Debian's python3-redis; valkey-py, which RAGFlow imports, is a fork of it with the
same code paths) exactly as the seed's redis_conn.py and cache_file_svr.py do: the same commands, in the same
order, one round trip at a time. Written for RedisFlow's benchmark; no RAGFlow code is copied or imported.

Protocol: started as `seed_peer.py --port P [--host H] [--db N]`, it reads one command per line on stdin and
answers each with one line on stdout: `RESULT {json}` or `ERROR message`. An empty line or `quit` ends it.
  produce QUEUE N                 N x queue_product             -> {"rate": calls/s}
  consume QUEUE GROUP CONSUMER N  N x queue_consumer + ack      -> {"rate": messages/s} (the queue is filled first)
  lock KEY N                      N x RedisDistributedLock acquire + release -> {"rate": cycles/s}
  get PREFIX KEYS N / set PREFIX KEYS N   N x get / set(k, v, 3600) on PREFIX0..PREFIX{KEYS-1} -> {"rate": ops/s}
  cache SQLITE_FILE STORAGE_ROOT  one cache_file_svr.main() cycle -> {"seconds", "cached", "bytes"}
"""
import argparse
import json
import os
import sqlite3
import sys
import time
import uuid

import redis
from redis.lock import Lock

# The seed's delete-if-equal script (its lock's acquire and release both call it): delete KEYS[1] only when it
# holds ARGV[1]. Written here from its description.
DELETE_IF_EQUAL = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
    redis.call('DEL', KEYS[1])
    return 1
end
return 0
"""

# RAGFlow's TaskService.get_ongoing_doc_name on its own tables: documents valid and running, not virtual, with a
# task under way created in the last 10 minutes. RAGFlow's enums: StatusEnum.VALID = '1', TaskStatus.RUNNING = '1'.
ONGOING_DOCUMENTS = """
SELECT d.id, d.kb_id, d.location, f.parent_id
FROM task t
JOIN document d ON t.doc_id = d.id
LEFT OUTER JOIN file2document f2d ON f2d.document_id = d.id
LEFT OUTER JOIN file f ON f2d.file_id = f.id
WHERE d.status = '1' AND d.run = '1' AND d.type <> 'virtual' AND t.progress < 1 AND t.create_time >= ?
"""

CACHE_TTL_SECONDS = 12 * 60
VALUE = "v" * 64


class SeedMessage:
    """RedisMsg: one stream entry read for a consumer; get_message decodes the JSON, ack sends XACK."""

    def __init__(self, client, queue, group, msg_id, payload):
        self.client, self.queue, self.group, self.msg_id, self.payload = client, queue, group, msg_id, payload

    def get_message(self):
        return json.loads(self.payload["message"])

    def ack(self):
        self.client.xack(self.queue, self.group, self.msg_id)
        return True


class SeedRedis:
    """The calls of the seed's RedisDB that the benchmark compares, each as the seed sends it."""

    def __init__(self, host, port, db):
        # The seed's connection: decode_responses=True, one client shared by everything.
        self.client = redis.StrictRedis(host=host, port=port, db=db, decode_responses=True)
        self.delete_if_equal_script = self.client.register_script(DELETE_IF_EQUAL)

    def queue_product(self, queue, message):
        self.client.xadd(queue, {"message": json.dumps(message)})
        return True

    def queue_consumer(self, queue, group, consumer, msg_id=">"):
        # The seed looks the group up before every read and creates it when missing.
        try:
            if not any(g["name"] == group for g in self.client.xinfo_groups(queue)):
                self.client.xgroup_create(queue, group, id="0", mkstream=True)
        except redis.exceptions.ResponseError as error:
            if "no such key" not in str(error).lower():
                raise
            self.client.xgroup_create(queue, group, id="0", mkstream=True)
        answer = self.client.xreadgroup(group, consumer, {queue: msg_id}, count=1, block=5)
        if not answer or not answer[0][1]:
            return None
        msg_id, payload = answer[0][1][0]
        return SeedMessage(self.client, queue, group, msg_id, payload)

    def delete_if_equal(self, key, value):
        return bool(self.delete_if_equal_script(keys=[key], args=[value], client=self.client))

    def get(self, key):
        return self.client.get(key)

    def set(self, key, value, exp=3600):
        self.client.set(key, value, exp)
        return True

    def exist(self, key):
        return self.client.exists(key)

    def transaction(self, key, value, exp=3600):
        pipe = self.client.pipeline(transaction=True)
        pipe.set(key, value, exp, nx=True)
        pipe.execute()
        return True


class SeedLock:
    """RedisDistributedLock: a fresh owner token per lock; acquire = delete-if-equal, then the library Lock's
    SET NX PX; release = delete-if-equal. Three round trips per uncontended cycle."""

    def __init__(self, seed, key, timeout=10, blocking_timeout=1):
        self.seed, self.key, self.value = seed, key, str(uuid.uuid4())
        self.timeout, self.blocking_timeout = timeout, blocking_timeout
        self.lock = Lock(seed.client, key, timeout=timeout, blocking_timeout=blocking_timeout)

    def acquire(self):
        self.seed.delete_if_equal(self.key, self.value)
        self.lock = Lock(self.seed.client, self.key, timeout=self.timeout, blocking_timeout=self.blocking_timeout)
        return self.lock.acquire(token=self.value)

    def release(self):
        self.seed.delete_if_equal(self.key, self.value)


def task_message(i):
    # The same fields the C# side serializes (RedisFlow.Benchmarks.Streams.TaskMessage).
    return {"Id": "task-%d" % i, "DocId": "doc-0123456789abcdef", "FromPage": 0, "ToPage": 12, "Sent": 0}


def rate(count, started):
    return {"rate": count / max(time.perf_counter() - started, 1e-9)}


def produce(seed, queue, n):
    started = time.perf_counter()
    for i in range(n):
        if not seed.queue_product(queue, task_message(i)):
            raise RuntimeError("queue_product failed")
    return rate(n, started)


def consume(seed, queue, group, consumer, n):
    started = time.perf_counter()
    handled = empty = 0
    while handled < n:
        message = seed.queue_consumer(queue, group, consumer)
        if message is None:
            # The queue was filled before: an empty read means fewer entries than asked. Give up after ~2 s.
            empty += 1
            if empty > 400:
                raise RuntimeError("queue %s drained after %d of %d entries" % (queue, handled, n))
            continue
        empty = 0
        message.get_message()
        message.ack()
        handled += 1
    return rate(n, started)


def lock_cycles(seed, key, n):
    started = time.perf_counter()
    for _ in range(n):
        lock = SeedLock(seed, key)
        if not lock.acquire():
            raise RuntimeError("an uncontended acquire failed on " + key)
        lock.release()
    return rate(n, started)


def get_calls(seed, prefix, keys, n):
    started = time.perf_counter()
    for i in range(n):
        seed.get("%s%d" % (prefix, i % keys))
    return rate(n, started)


def set_calls(seed, prefix, keys, n):
    started = time.perf_counter()
    for i in range(n):
        seed.set("%s%d" % (prefix, i % keys), VALUE, 3600)
    return rate(n, started)


def ongoing_documents(database_file):
    # One query per cycle on a connection opened for it and closed after (the seed's close_connection()).
    since = int(time.time() * 1000) - 10 * 60 * 1000
    connection = sqlite3.connect(database_file)
    try:
        rows = connection.execute(ONGOING_DOCUMENTS, (since,)).fetchall()
    finally:
        connection.close()
    return list({(parent_id or kb_id, location) for _, kb_id, location, parent_id in rows if location})


def cache_cycle(seed, database_file, root):
    """One cache_file_svr.main(): the task query, then per ongoing file, in order: EXISTS, read the file,
    SET NX EX 720 inside MULTI/EXEC."""
    started = time.perf_counter()
    cached = total = 0
    for bucket, location in ongoing_documents(database_file):
        key = "{}/{}".format(bucket, location)
        if seed.exist(key):
            continue
        with open(os.path.join(root, bucket, location), "rb") as f:
            data = f.read()
        seed.transaction(key, data, CACHE_TTL_SECONDS)
        cached += 1
        total += len(data)
    return {"seconds": time.perf_counter() - started, "cached": cached, "bytes": total}


COMMANDS = {
    "produce": lambda seed, a: produce(seed, a[0], int(a[1])),
    "consume": lambda seed, a: consume(seed, a[0], a[1], a[2], int(a[3])),
    "lock": lambda seed, a: lock_cycles(seed, a[0], int(a[1])),
    "get": lambda seed, a: get_calls(seed, a[0], int(a[1]), int(a[2])),
    "set": lambda seed, a: set_calls(seed, a[0], int(a[1]), int(a[2])),
    "cache": lambda seed, a: cache_cycle(seed, a[0], a[1]),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--db", type=int, default=1)
    options = parser.parse_args()
    seed = SeedRedis(options.host, options.port, options.db)
    seed.client.ping()
    print("READY redis-py %s" % redis.__version__, flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        try:
            result = COMMANDS[words[0]](seed, words[1:])
            print("RESULT " + json.dumps(result), flush=True)
        except Exception as error:  # noqa: BLE001 - every failure is reported to the harness, which marks the row
            print("ERROR %s: %s" % (type(error).__name__, str(error).replace("\n", " ")), flush=True)


if __name__ == "__main__":
    main()
