namespace RedisFlow;

/// <summary>What <see cref="RedisDb.SetStreamedAsync"/> did.</summary>
public enum StreamedSetResult
{
    /// <summary>The value was stored.</summary>
    Stored,

    /// <summary>Not stored because the key exists (only with <c>onlyIfAbsent</c>).</summary>
    NotStored,

    /// <summary>Redis could not take it (unreachable, a timeout, an error reply): nothing was stored, and a warning says why.</summary>
    Failed,

    /// <summary>
    /// No connection of its own can be used (<see cref="RedisDbOptions.LeanConnection"/> off, a connection created by the
    /// caller, or the credentials not yet verified): nothing was sent, and the content was not read.
    /// </summary>
    Unavailable,
}
