namespace RedisFlow.Configuration.Ragflow;

/// <summary>The <c>redis</c> section: <c>host</c> (host:port), <c>db</c>, <c>username</c>, <c>password</c>.</summary>
internal static class RedisMapping
{
    public static void Apply(IReadOnlyDictionary<string, object?> conf, Dictionary<string, string?> values)
    {
        var redis = ConfSection.Find(conf, "redis");
        if (redis is null)
        {
            return;
        }

        var host = redis.Get("host");
        if (host is not null)
        {
            // RAGFlow always writes host:port; a bare host gets Redis's port rather than failing later.
            values["Redis:Host"] = host.Contains(':', StringComparison.Ordinal) ? host : host + ":6379";
        }

        // RAGFlow's default database is 1, as RedisFlow's.
        values["Redis:Db"] = redis.Get("db") ?? "1";
        values.SetIfPresent("Redis:Username", redis.Get("username"));
        values.SetIfPresent("Redis:Password", redis.Get("password"));
    }
}
