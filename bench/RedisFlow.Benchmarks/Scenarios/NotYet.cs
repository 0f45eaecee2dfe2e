namespace RedisFlow.Benchmarks.Scenarios;

/// <summary>Why a RedisFlow row has no number yet: the API it measures has not landed on main.</summary>
public static class NotYet
{
    public const string Queue = "not available yet: the queue (issue 3) is not merged";
    public const string Lock = "not available yet: the lock (issue 4) is not merged";
    public const string CacheDaemon = "not available yet: the cache daemon (issue 5) is not merged";
}
