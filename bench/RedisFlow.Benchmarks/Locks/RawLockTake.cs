using StackExchange.Redis;

namespace RedisFlow.Benchmarks.Locks;

/// <summary>
/// StackExchange.Redis <c>LockTake</c>/<c>LockRelease</c> (SET NX PX; release is a WATCH/GET/MULTI/DEL transaction);
/// waiting = retrying every millisecond, what a user without a lock library writes.
/// </summary>
public sealed class RawLockTake(IDatabase db) : ILockUnderTest
{
    private static readonly TimeSpan Expiry = TimeSpan.FromSeconds(10);

    public string Label => "raw LockTake/LockRelease";

    public async Task<IAsyncDisposable?> TryAcquireAsync(string key, CancellationToken ct)
    {
        var token = Guid.NewGuid().ToString("N");
        return await db.LockTakeAsync(key, token, Expiry).ConfigureAwait(false)
            ? new Released(async () => await db.LockReleaseAsync(key, token).ConfigureAwait(false))
            : null;
    }

    public async Task<IAsyncDisposable?> AcquireWaitingAsync(string key, TimeSpan wait, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            var held = await TryAcquireAsync(key, ct).ConfigureAwait(false);
            if (held is not null || DateTime.UtcNow >= deadline)
            {
                return held;
            }

            await Task.Delay(1, ct).ConfigureAwait(false);
        }
    }
}
