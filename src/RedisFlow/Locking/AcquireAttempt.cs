namespace RedisFlow.Locking;

/// <summary>The outcome of one acquire script call.</summary>
internal readonly record struct AcquireAttempt(AcquireOutcome Outcome, long Value)
{
    /// <summary>The call failed (Redis down, timeout): whether the script ran is unknown.</summary>
    public static AcquireAttempt Failed { get; } = new(AcquireOutcome.Unknown, 0);
}

/// <summary>What one acquire attempt learned.</summary>
internal enum AcquireOutcome
{
    /// <summary>Taken; the value is the fencing token.</summary>
    Acquired,

    /// <summary>Held by another token; the value is the holder's remaining lease in ms (-1 without expiry).</summary>
    Held,

    /// <summary>The call failed; the lock may or may not have been taken.</summary>
    Unknown,
}
