"""A stand-in for RAGFlow's Python RedisDB methods in interop tests (redis-py from Debian's python3-redis).

Written for these tests (not RAGFlow's code): it issues the same Redis commands, in the same order and on the same
keys, as RAGFlow's generate_auto_increment_id, get_or_create_secret_key, its token-bucket rate limit and its
queue_product (one XADD per task, the task's json.dumps in the one field "message").

usage: ragflow_redis_peer.py PORT COMMAND ARGS...
  ids PREFIX NAMESPACE COUNT [INCREMENT [ENSURE_MINIMUM]]   print COUNT ids, one a line
  secret KEY VALUE                                           print the secret's value
  bucket KEY CAPACITY RATE NOW COST                          print "ALLOWED TOKENS"
  produce QUEUE COUNT PREFIX                                 add COUNT tasks {"id": "PREFIX-i", ...}; print their ids
"""
import json
import math
import sys

import redis


def generate_id(client, prefix, namespace, increment=1, ensure_minimum=None):
    key = f"{prefix}:{namespace}"
    if ensure_minimum is not None:
        pipe = client.pipeline()
        pipe.exists(key)
        pipe.get(key)
        exists, current = pipe.execute()
        if exists == 0:
            start = max(1, ensure_minimum)
            client.set(key, start)
            return start
        if int(current) < ensure_minimum:
            client.set(key, ensure_minimum)
            return ensure_minimum
    next_id = client.incrby(key, increment)
    if next_id == increment:
        client.set(key, 1 + increment)
        return 1 + increment
    return next_id


def secret(client, key, value):
    existing = client.get(key)
    if existing is not None:
        return existing
    if client.setnx(key, value):
        return value
    return client.get(key)


def bucket(client, key, capacity, rate, now, cost):
    # The same arithmetic as the shared script, done client-side under WATCH so it stays one atomic step.
    with client.pipeline() as pipe:
        while True:
            try:
                pipe.watch(key)
                stored = pipe.hmget(key, "tokens", "timestamp")
                tokens = float(stored[0]) if stored[0] is not None else None
                last = float(stored[1]) if stored[1] is not None else None
                if tokens is None:
                    tokens, last = capacity, now
                tokens = min(capacity, tokens + max(0, now - last) * rate)
                if tokens < cost:
                    pipe.unwatch()
                    return 0, int(tokens)
                tokens -= cost
                pipe.multi()
                pipe.hset(key, mapping={"tokens": repr(tokens), "timestamp": repr(now)})
                pipe.expire(key, math.ceil(capacity / rate * 2))
                pipe.execute()
                return 1, int(tokens)
            except redis.WatchError:
                continue


def produce(client, queue, count, prefix):
    ids = []
    for i in range(count):
        task = {"id": f"{prefix}-{i}", "doc_id": f"doc-{prefix}", "from_page": 0, "to_page": 100000000, "priority": prefix}
        ids.append(client.xadd(queue, {"message": json.dumps(task)}))
    return ids


def main(argv):
    client = redis.Redis(host="127.0.0.1", port=int(argv[1]), decode_responses=True)
    command, args = argv[2], argv[3:]
    if command == "ids":
        increment = int(args[3]) if len(args) > 3 else 1
        minimum = int(args[4]) if len(args) > 4 else None
        out = [str(generate_id(client, args[0], args[1], increment, minimum)) for _ in range(int(args[2]))]
        print("\n".join(out))
    elif command == "secret":
        print(secret(client, args[0], args[1]))
    elif command == "bucket":
        allowed, tokens = bucket(client, args[0], float(args[1]), float(args[2]), float(args[3]), float(args[4]))
        print(allowed, tokens)
    elif command == "produce":
        print("\n".join(produce(client, args[0], int(args[1]), args[2])))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
