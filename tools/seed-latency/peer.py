# The Python peer: the seed's redis_conn.py calls, one at a time, with redis-py (Debian python3-redis).
# Usage: peer.py <mode> <port> <n>; prints "RATE <mode> <calls per second>" (same counting as Program.cs).
import json, os, sys, time, uuid, redis
mode, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
WARM = 1000
r = redis.Redis(host="127.0.0.1", port=port, db=1)
tag = str(os.getpid())
payload = {"id": "b1", "doc_id": "d1", "progress": 0.0, "from_page": 0, "to_page": 100000000, "digest": "0123456789abcdef", "priority": 0}

def produce(q):  # queue_product
    return r.xadd(q, {"message": json.dumps(payload)})

def consume(q, g, c):  # queue_consumer + ack
    groups = r.xinfo_groups(q)
    if not any(x["name"].decode() == g for x in groups):
        r.xgroup_create(q, g, id="0", mkstream=True)
    res = r.xreadgroup(g, c, {q: ">"}, count=1, block=5)
    if not res:
        return False
    msg_id = res[0][1][0][0]
    json.loads(res[0][1][0][1][b"message"])
    return r.xack(q, g, msg_id) == 1

DEL_IF_EQ = r.register_script("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end")

def lock_cycle(key, value):  # RedisDistributedLock.acquire (delete-if-equal, then Lock.acquire) + release
    DEL_IF_EQ(keys=[key], args=[value])
    lk = r.lock(key, timeout=10, blocking_timeout=0)
    ok = lk.acquire(blocking=False, token=value)
    lk.release()
    return ok

def timed(count, fn):
    t = time.perf_counter()
    for _ in range(count):
        fn()
    return time.perf_counter() - t

if mode == "produce":
    for _ in range(WARM): produce("sl:warm:" + tag)
    s = timed(n, lambda: produce("sl:q:" + tag))
elif mode == "getset":
    k = "sl:k:" + tag
    for _ in range(WARM): r.set(k, "v", ex=3600); r.get(k)
    s = timed(n // 2, lambda: (r.set(k, "value-0123456789", ex=3600), r.get(k)))
elif mode == "consume":
    q = "sl:c:" + tag
    for _ in range(n + WARM): produce(q)
    for _ in range(WARM): consume(q, "g", "c1")
    s = timed(n, lambda: consume(q, "g", "c1"))
elif mode == "lock":
    key, value = "sl:lock:" + tag, str(uuid.uuid4())
    for _ in range(WARM): lock_cycle(key, value)
    s = timed(n, lambda: lock_cycle(key, value))
print("RATE %s %.0f" % (mode, n / s))
