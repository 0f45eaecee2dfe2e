using RedisFlow.Locking;

namespace RedisFlow.Benchmarks.Locks;

/// <summary>RedisFlow's <see cref="RedisDistributedLock"/> with its defaults; waiting is its pub/sub wake-up on release.</summary>
public sealed class RedisFlowLock(RedisDb db) : ILockUnderTest
{
    public string Label => "RedisFlow RedisDistributedLock";

    public Task<IAsyncDisposable?> TryAcquireAsync(string key, CancellationToken ct) =>
        AcquireAsync(key, TimeSpan.Zero, ct);

    public Task<IAsyncDisposable?> AcquireWaitingAsync(string key, TimeSpan wait, CancellationToken ct) =>
        AcquireAsync(key, wait, ct);

    private async Task<IAsyncDisposable?> AcquireAsync(string key, TimeSpan wait, CancellationToken ct)
    {
        var redisLock = new RedisDistributedLock(db, key, timeout: TimeSpan.FromSeconds(10), blockingTimeout: wait);
        if (await redisLock.AcquireAsync(ct).ConfigureAwait(false))
        {
            return redisLock;
        }

        await redisLock.DisposeAsync().ConfigureAwait(false);
        return null;
    }
}
