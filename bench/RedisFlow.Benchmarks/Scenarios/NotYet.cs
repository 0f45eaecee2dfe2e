namespace RedisFlow.Benchmarks.Scenarios;

/// <summary>Why a RedisFlow row has no number yet: the API it measures has not landed on main.</summary>
public static class NotYet
{
    public const string CacheDaemon = "not available yet: the cache daemon (issue 5) is not merged";
}
