namespace RedisFlow.Locking;

/// <summary>
/// A held lock from <see cref="RedisLockProvider"/>: disposing it releases the lock (idempotent). Its lease is renewed
/// while held unless the provider's options say <see cref="LeaseRenewal.Never"/>.
/// </summary>
public sealed class RedisLockHandle : IAsyncDisposable
{
    private RedisDistributedLock? _lock;

    internal RedisLockHandle(RedisDistributedLock heldLock)
    {
        _lock = heldLock;
        LockKey = heldLock.LockKey;
        FencingToken = heldLock.FencingToken;
        HandleLost = heldLock.HandleLost;
    }

    /// <summary>The Redis key of the lock.</summary>
    public string LockKey { get; }

    /// <summary>The fencing token of this acquisition (see <see cref="RedisDistributedLock.FencingToken"/>).</summary>
    public long FencingToken { get; }

    /// <summary>Cancelled when this acquisition is known lost (see <see cref="RedisDistributedLock.HandleLost"/>).</summary>
    public CancellationToken HandleLost { get; }

    /// <summary>Releases the lock. Idempotent.</summary>
    public ValueTask DisposeAsync() => Interlocked.Exchange(ref _lock, null)?.DisposeAsync() ?? ValueTask.CompletedTask;
}
