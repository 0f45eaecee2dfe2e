using StackExchange.Redis;

namespace RedisFlow.Benchmarks.Locks;

/// <summary>SET NX PX and a compare-and-delete script: the fewest round trips a Redis lock can take (one each way).</summary>
public sealed class RawScriptLock(IDatabase db) : ILockUnderTest
{
    private const string ReleaseScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
    private static readonly TimeSpan Expiry = TimeSpan.FromSeconds(10);

    public string Label => "raw SET NX + compare-and-delete script";

    public async Task<IAsyncDisposable?> TryAcquireAsync(string key, CancellationToken ct)
    {
        var token = Guid.NewGuid().ToString("N");
        return await db.StringSetAsync(key, token, Expiry, When.NotExists).ConfigureAwait(false)
            ? new Released(async () => await db.ScriptEvaluateAsync(ReleaseScript, [key], [token]).ConfigureAwait(false))
            : null;
    }

    public Task<IAsyncDisposable?> AcquireWaitingAsync(string key, TimeSpan wait, CancellationToken ct) =>
        throw new NotSupportedException("Only measured uncontended.");
}
