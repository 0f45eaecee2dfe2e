namespace RedisFlow;

/// <summary>
/// The least-privilege ACL rules a Redis user needs for each RedisFlow component, in <c>ACL SETUSER</c> syntax
/// (docs/production-redis.md lists the same rules; a test runs each component under exactly these).
/// </summary>
public static class RedisAclRules
{
    /// <summary>
    /// What <see cref="RedisDb"/> sends (KV, sets, sorted sets, MULTI/EXEC, the delete-if-equal script, health and
    /// INFO) and what StackExchange.Redis sends while connecting (CLUSTER NODES to learn the topology, SUBSCRIBE to
    /// its primary-changed channel), on every key; narrow <c>~*</c> to your key prefixes if you can. CONFIG stays
    /// denied on purpose (StackExchange.Redis copes without it, and CONFIG GET can read secrets); on Redis 7.2+ add
    /// <c>+client|setinfo</c>.
    /// </summary>
    public const string Foundation =
        "-@all +ping +echo +info +select +client|setname +client|id +cluster|nodes +subscribe " +
        "+get +set +setex +mget +exists +del +unlink +incr +incrby +decr +decrby +multi +exec +discard " +
        "+sadd +srem +smembers +zadd +zcount +zcard +zpopmin +zrangebyscore +zremrangebyscore " +
        "+evalsha +eval +script|load ~* resetchannels &__Booksleeve_MasterChanged";
}
