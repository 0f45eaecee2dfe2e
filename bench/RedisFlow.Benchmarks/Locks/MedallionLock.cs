using StackExchange.Redis;
using MedallionRedisLock = Medallion.Threading.Redis.RedisDistributedLock;

namespace RedisFlow.Benchmarks.Locks;

/// <summary>DistributedLock.Redis (madelson/DistributedLock) on one server; waiting is its own busy-wait.</summary>
public sealed class MedallionLock(IDatabase db) : ILockUnderTest
{
    public string Label => "DistributedLock.Redis 1.1.1";

    public async Task<IAsyncDisposable?> TryAcquireAsync(string key, CancellationToken ct) =>
        await new MedallionRedisLock(key, db).TryAcquireAsync(TimeSpan.Zero, ct).ConfigureAwait(false);

    public async Task<IAsyncDisposable?> AcquireWaitingAsync(string key, TimeSpan wait, CancellationToken ct) =>
        await new MedallionRedisLock(key, db).TryAcquireAsync(wait, ct).ConfigureAwait(false);
}
