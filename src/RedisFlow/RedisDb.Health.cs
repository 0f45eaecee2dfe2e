using StackExchange.Redis;

namespace RedisFlow;

public sealed partial class RedisDb
{
    /// <summary>
    /// PING, then SET and GET of a unique key that expires in a few seconds (seed <c>health</c>).
    /// True only when all three worked and the value read back is the one written.
    /// </summary>
    public async Task<bool> HealthAsync(CancellationToken ct = default)
    {
        var probeKey = $"redisflow:health:{Guid.NewGuid():N}";
        var value = Guid.NewGuid().ToString("N");
        var ok = await ExecuteAsync(nameof(HealthAsync), probeKey, (probeKey, value), static async (db, s) =>
        {
            await db.PingAsync().ConfigureAwait(false);
            await db.StringSetAsync(s.probeKey, s.value, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            var read = await db.StringGetAsync(s.probeKey).ConfigureAwait(false);
            _ = db.KeyDeleteAsync(s.probeKey, CommandFlags.FireAndForget);
            return read == s.value;
        }, false, idempotent: true, ct).ConfigureAwait(false);
        if (ok)
        {
            ClearProblem();
        }
        else
        {
            Log.HealthCheckFailed(_logger, _lastProblem?.Message ?? (IsAlive ? "the value read back differs or a command failed" : "not connected"));
        }

        return ok;
    }

    /// <summary>Version, mode, memory, clients and throughput from <c>INFO</c>; null when Redis could not answer.</summary>
    public Task<RedisServerInfo?> InfoAsync(CancellationToken ct = default) =>
        ExecuteAsync<int, RedisServerInfo?>(nameof(InfoAsync), null, 0, static async (db, _) =>
        {
            var result = await db.ExecuteAsync("INFO").ConfigureAwait(false);
            return RedisServerInfo.Parse(result.ToString());
        }, null, idempotent: true, ct);
}
