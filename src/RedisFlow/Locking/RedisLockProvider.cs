namespace RedisFlow.Locking;

/// <summary>
/// Creates locks by name on one <see cref="RedisDb"/> with shared options, so dependency injection registers one
/// object (<c>services.AddRedisLockProvider()</c>). Besides the seed-style <see cref="CreateLock"/>, it hands out
/// disposable handles: <see cref="TryAcquireAsync"/> (null when not acquired in time) and
/// <see cref="AcquireAsync"/> (throws <see cref="TimeoutException"/>).
/// </summary>
public sealed class RedisLockProvider
{
    private readonly RedisDb _db;
    private readonly RedisLockOptions _options;
    private readonly RedisLockOptions _handleOptions;

    /// <summary>Creates a provider on <paramref name="db"/>.</summary>
    /// <param name="db">The connection.</param>
    /// <param name="options">Options of every lock created; <see cref="RedisLockOptions.Default"/> when null.</param>
    public RedisLockProvider(RedisDb db, RedisLockOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        _db = db;
        _options = options ?? RedisLockOptions.Default;
        // A handle is held until disposed, however long the work takes: renew unless renewal is off altogether.
        _handleOptions = new RedisLockOptions
        {
            Renewal = _options.Renewal == LeaseRenewal.Never ? LeaseRenewal.Never : LeaseRenewal.Always,
            RenewalInterval = _options.RenewalInterval,
            MaxRetryDelay = _options.MaxRetryDelay,
        };
    }

    /// <summary>A seed-style lock on the key <paramref name="name"/> (same arguments as the <see cref="RedisDistributedLock"/> constructor).</summary>
    public RedisDistributedLock CreateLock(string name, string? lockValue = null, TimeSpan? timeout = null, TimeSpan? blockingTimeout = null) =>
        new(_db, name, lockValue, timeout, blockingTimeout, _options);

    /// <summary>
    /// Takes the lock <paramref name="name"/>, waiting up to <paramref name="wait"/> (default: one try), and returns a
    /// handle that releases it when disposed; null when not acquired in time.
    /// </summary>
    /// <param name="name">The lock key.</param>
    /// <param name="wait">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</param>
    /// <param name="timeout">The lease (default 10 s), renewed while the handle is held.</param>
    /// <param name="ct">Cancels the wait; nothing is held then.</param>
    public async Task<RedisLockHandle?> TryAcquireAsync(string name, TimeSpan wait = default, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        var candidate = new RedisDistributedLock(_db, name, lockValue: null, timeout, wait, _handleOptions);
        return await candidate.AcquireAsync(ct).ConfigureAwait(false) ? new RedisLockHandle(candidate) : null;
    }

    /// <summary>As <see cref="TryAcquireAsync"/>, but waits forever by default and throws when not acquired in time.</summary>
    /// <exception cref="TimeoutException">The lock was not acquired within <paramref name="wait"/>.</exception>
    public async Task<RedisLockHandle> AcquireAsync(string name, TimeSpan? wait = null, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        var limit = wait ?? Timeout.InfiniteTimeSpan;
        return await TryAcquireAsync(name, limit, timeout, ct).ConfigureAwait(false)
            ?? throw new TimeoutException($"The lock was not acquired within {limit}; another holder kept it. Wait longer or retry later.");
    }
}
