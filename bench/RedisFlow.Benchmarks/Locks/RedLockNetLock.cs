using RedLockNet.SERedis;
using RedLockNet.SERedis.Configuration;
using StackExchange.Redis;

namespace RedisFlow.Benchmarks.Locks;

/// <summary>RedLock.net on one server; waiting uses its own retry loop at its smallest retry interval (10 ms).</summary>
public sealed class RedLockNetLock : ILockUnderTest, IDisposable
{
    private static readonly TimeSpan Expiry = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(10);
    private readonly RedLockFactory _factory;

    public RedLockNetLock(ConnectionMultiplexer connection) =>
        _factory = RedLockFactory.Create([new RedLockMultiplexer(connection)]);

    public string Label => "RedLock.net 2.3.2";

    public async Task<IAsyncDisposable?> TryAcquireAsync(string key, CancellationToken ct)
    {
        var redLock = await _factory.CreateLockAsync(key, Expiry).ConfigureAwait(false);
        if (redLock.IsAcquired)
        {
            return redLock;
        }

        await redLock.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    public async Task<IAsyncDisposable?> AcquireWaitingAsync(string key, TimeSpan wait, CancellationToken ct)
    {
        var redLock = await _factory.CreateLockAsync(key, Expiry, wait, Retry, ct).ConfigureAwait(false);
        if (redLock.IsAcquired)
        {
            return redLock;
        }

        await redLock.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    public void Dispose() => _factory.Dispose();
}
