namespace RedisFlow;

/// <summary>
/// The least-privilege ACL rules a Redis user needs for each RedisFlow component, in <c>ACL SETUSER</c> syntax
/// (docs/production-redis.md lists the same rules; a test runs each component under exactly these).
/// </summary>
public static class RedisAclRules
{
    /// <summary>
    /// What <see cref="RedisDb"/> sends (KV, sets, sorted sets, MULTI/EXEC, the delete-if-equal script, health and
    /// INFO, <c>ACL WHOAMI</c> to check that the connection runs as this user) and what StackExchange.Redis sends while connecting (CLUSTER NODES to learn the topology, SUBSCRIBE to
    /// its primary-changed channel), on every key; narrow <c>~*</c> to your key prefixes if you can. CONFIG stays
    /// denied on purpose (StackExchange.Redis copes without it, and CONFIG GET can read secrets); on Redis 7.2+ add
    /// <c>+client|setinfo</c>.
    /// </summary>
    public const string Foundation =
        "-@all +ping +echo +info +acl|whoami +select +client|setname +client|id +cluster|nodes +subscribe " +
        "+get +set +setex +mget +exists +del +unlink +incr +incrby +decr +decrby +multi +exec +discard " +
        "+sadd +srem +smembers +zadd +zcount +zcard +zpopmin +zrangebyscore +zremrangebyscore +hmget +hmset +expire " +
        "+evalsha +eval +script|load ~* resetchannels &__Booksleeve_MasterChanged";

    /// <summary>
    /// What a queue producer, consumer and <see cref="Queues.QueueWorker"/> send: the connection commands of
    /// <see cref="Foundation"/>, the stream commands of the seed API (XADD, XREADGROUP, XACK, XPENDING, XINFO GROUPS,
    /// XLEN, XRANGE, XGROUP CREATE), the worker's claims (XPENDING with IDLE, then XCLAIM), the commands its Lua
    /// scripts call (claim keep-alive, requeue, dead-letter, re-drive, trim: XCLAIM, XDEL, XTRIM, EXISTS), and
    /// <c>CLIENT UNBLOCK</c>, which ends a blocking read early when it is cancelled (the blocking connection learns its
    /// id with <c>CLIENT ID</c>). Before claiming an idle entry from another consumer the worker checks RAGFlow's
    /// executor registry: <c>SMEMBERS TASKEXE</c> and the owner's newest heartbeat (<c>ZREVRANGE name 0 0 WITHSCORES</c>).
    /// <c>+get</c> is only for StackExchange.Redis, which reads its tie-breaker key while connecting. <c>+wait</c>
    /// follows each queue write when <see cref="RedisDbOptions.WaitForReplicas"/> is set.
    /// A complete rule on its own; narrow <c>~*</c> to your queue names if you can. On Redis 7.2+ add
    /// <c>+client|setinfo</c>.
    /// </summary>
    public const string QueueWorker =
        "-@all +ping +echo +info +acl|whoami +select +client|setname +client|id +client|unblock +cluster|nodes +subscribe +get " +
        "+xadd +xreadgroup +xack +xgroup|create +xpending +xclaim +xinfo|groups +xlen +xrange +xdel +xtrim +exists +wait +smembers +zrevrange " +
        "+evalsha +eval +script|load ~* resetchannels &__Booksleeve_MasterChanged";

    /// <summary>
    /// A <see cref="Queues.QueueWorker"/> registered as a RAGFlow task executor
    /// (<see cref="Queues.QueueWorkerOptions.RegisterAsRagflowExecutor"/>): <see cref="QueueWorker"/> plus its heartbeat
    /// (<c>SADD TASKEXE</c>, <c>ZADD</c> into the sorted set named after the consumer, <c>ZREMRANGEBYSCORE</c> of its
    /// old heartbeats), the removal of expired executors (<c>SREM</c>, and <c>UNLINK</c> or <c>DEL</c> of their heartbeats, as
    /// <see cref="RedisDb.DeleteAsync"/> sends) and the <c>clean_task_executor</c>
    /// lock it is done under (what <see cref="Locking.RedisDistributedLock"/>'s scripts call: <c>SET</c>, <c>INCR</c>
    /// of the fencing counter, <c>PTTL</c>, <c>PEXPIRE</c>, <c>TIME</c>, <c>ZRANGEBYSCORE</c>, <c>ZREM</c>,
    /// <c>ZCARD</c>, and <c>PUBLISH</c> on its release channel). Executor names are keys: <c>~*</c> stays unless you
    /// narrow it to the queues, <c>TASKEXE</c>, the executors' names and the lock's keys.
    /// </summary>
    public const string RagflowExecutor = QueueWorker +
        " +sadd +srem +zadd +zremrangebyscore +del +unlink +set +incr +pttl +pexpire +time +zrangebyscore +zrem +zcard +publish &redisflow:lock-released:*";

    /// <summary>
    /// A process holding <see cref="Locking.RedisDistributedLock"/>s (or using <see cref="Locking.RedisLockProvider"/>):
    /// the foundation plus what the lock's scripts call (<c>PTTL</c> when the lock is held by another, <c>TIME</c> for
    /// the fencing tokens' floor, <c>PEXPIRE</c> to renew, <c>PUBLISH</c> to wake waiters on release, <c>ZREM</c> to drop a waiter from the hand-over registry), <c>UNSUBSCRIBE</c> when a key's waiters are gone, and the
    /// release channels <c>redisflow:lock-released:*</c> (waiters subscribe to them, releases publish on them), and
    /// <c>WAIT</c> after an acquisition when <see cref="RedisDbOptions.WaitForReplicas"/> is set.
    /// </summary>
    public const string LockHolder = Foundation + " +pttl +pexpire +time +publish +unsubscribe +zrem +wait &redisflow:lock-released:*";

    /// <summary>
    /// The file-cache daemon (<c>redisflow serve</c>, <c>CacheCycle</c>) and <c>CachedFileReader</c>: the foundation plus
    /// what the cache scripts call to write a file in chunks and publish it whole (<c>APPEND</c> to the temporary key,
    /// <c>PEXPIRE</c> on it and on the file, <c>STRLEN</c> to check its length, <c>RENAME</c> to publish it).
    /// The memory guard's <c>INFO memory</c> and the reader's <c>GET</c> are in the foundation.
    /// </summary>
    public const string CacheDaemon = Foundation + " +append +pexpire +strlen +rename";
}
