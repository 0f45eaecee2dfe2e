using System.Globalization;

namespace RedisFlow.CacheServer.Caching;

/// <summary>
/// The Redis memory one cycle may still fill: <see cref="CacheOptions.MemoryGuardFraction"/> of <c>maxmemory</c>,
/// minus <c>used_memory</c> sampled at the start of the cycle, minus the files reserved by this cycle so far.
/// </summary>
internal sealed class MemoryBudget
{
    private readonly long _limit;
    private long _reserved;

    private MemoryBudget(long used, long max, long limit)
    {
        Used = used;
        Max = max;
        _limit = limit;
    }

    /// <summary>A budget that never refuses (no <c>maxmemory</c>, or the guard is off).</summary>
    public static MemoryBudget Unlimited { get; } = new(0, 0, 0);

    public long Used { get; }

    public long Max { get; }

    /// <summary>Whether Redis is already above the guard: nothing is cached this cycle.</summary>
    public bool IsOver => _limit > 0 && Used >= _limit;

    /// <summary>Reserves <paramref name="bytes"/>; false (nothing reserved) when that would cross the guard.</summary>
    public bool TryReserve(long bytes)
    {
        if (_limit == 0)
        {
            return true;
        }

        var after = Interlocked.Add(ref _reserved, bytes);
        if (Used + after <= _limit)
        {
            return true;
        }

        Interlocked.Add(ref _reserved, -bytes);
        return false;
    }

    /// <summary>Samples <c>INFO memory</c>; unlimited when Redis has no <c>maxmemory</c>, the guard is off or INFO failed.</summary>
    public static async Task<MemoryBudget> SampleAsync(RedisDb db, double fraction, CancellationToken ct)
    {
        if (fraction >= 1)
        {
            return Unlimited;
        }

        var info = await db.ExecuteAsync<int, RedisServerInfo?>("CacheMemoryGuard", null, 0, static async (database, _) =>
        {
            var reply = await database.ExecuteAsync("INFO", "memory").ConfigureAwait(false);
            return RedisServerInfo.Parse(reply.ToString());
        }, null, idempotent: true, ct).ConfigureAwait(false);
        return FromInfo(info, fraction);
    }

    /// <summary>The budget of one server whose <c>INFO memory</c> is <paramref name="info"/> (unlimited when null or without <c>maxmemory</c>).</summary>
    public static MemoryBudget FromInfo(RedisServerInfo? info, double fraction)
    {
        if (fraction >= 1 || info is null || info.MaxMemory <= 0)
        {
            return Unlimited;
        }

        var limit = Math.Max(1, (long)(info.MaxMemory * fraction));
        return new MemoryBudget(info.UsedMemory, info.MaxMemory, limit);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"used {Used} of {Max}, limit {_limit}, reserved {_reserved}");
}
