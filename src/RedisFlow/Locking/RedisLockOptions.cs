namespace RedisFlow.Locking;

/// <summary>When a <see cref="RedisDistributedLock"/> extends its lease while held.</summary>
public enum LeaseRenewal
{
    /// <summary>Only holders that came through <see cref="RedisDistributedLock.SpinAcquireAsync"/> (the default): they
    /// waited as long as it took, so they usually run long work; <see cref="RedisDistributedLock.AcquireAsync"/>
    /// holders keep the seed's fixed lease.</summary>
    SpinAcquireOnly,

    /// <summary>Every holder.</summary>
    Always,

    /// <summary>No holder: the lease ends after the lock's timeout, as in the seed.</summary>
    Never,
}

/// <summary>Tuning of <see cref="RedisDistributedLock"/> beyond the seed's constructor arguments.</summary>
public sealed class RedisLockOptions
{
    /// <summary>Shared default instance.</summary>
    public static RedisLockOptions Default { get; } = new();

    /// <summary>Which holders extend their lease while held. Default <see cref="LeaseRenewal.SpinAcquireOnly"/>.</summary>
    public LeaseRenewal Renewal { get; init; } = LeaseRenewal.SpinAcquireOnly;

    /// <summary>How often the lease is renewed (or, without renewal, ownership checked for
    /// <see cref="RedisDistributedLock.HandleLost"/>). Default: a third of the lock's timeout.</summary>
    public TimeSpan? RenewalInterval { get; init; }

    /// <summary>
    /// Upper bound of the fallback polling delay while waiting. Releases by RedisFlow wake waiters at once by
    /// pub/sub; polling only catches releases that publish nothing (a Python holder) and lost messages. Expiries are
    /// caught on time because a failed attempt learns the holder's remaining lease. Default 100 ms (Python's poll).
    /// </summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Checks the settings against the lock's timeout; throws <see cref="ArgumentOutOfRangeException"/>.</summary>
    internal TimeSpan ResolveRenewalInterval(TimeSpan timeout)
    {
        var interval = RenewalInterval ?? timeout / 3;
        if (interval <= TimeSpan.Zero || interval >= timeout)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), interval, $"RedisLockOptions.RenewalInterval must be more than zero and less than the lock timeout ({timeout}).");
        }

        if (MaxRetryDelay <= TimeSpan.Zero || MaxRetryDelay > TimeSpan.FromMinutes(1))
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), MaxRetryDelay, "RedisLockOptions.MaxRetryDelay must be more than zero and at most one minute.");
        }

        return interval;
    }
}
