using StackExchange.Redis;

namespace RedisFlow;

public sealed partial class RedisDb
{
    /// <summary>Adds or updates <paramref name="member"/> with <paramref name="score"/> (seed <c>zadd</c>); true when the call succeeded.</summary>
    public Task<bool> ZAddAsync(string key, string member, double score, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(member);
        return ExecuteAsync(nameof(ZAddAsync), key, (key, member, score),
            static async (db, s) => { await db.SortedSetAddAsync(s.key, s.member, s.score).ConfigureAwait(false); return true; }, false, idempotent: true, ct);
    }

    /// <summary>How many members score within [<paramref name="min"/>, <paramref name="max"/>] (seed <c>zcount</c>); 0 on failure.</summary>
    public Task<long> ZCountAsync(string key, double min, double max, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ExecuteAsync(nameof(ZCountAsync), key, (key, min, max),
            static (db, s) => db.SortedSetLengthAsync(s.key, s.min, s.max), 0L, idempotent: true, ct);
    }

    /// <summary>Removes and returns up to <paramref name="count"/> lowest-scored members (seed <c>zpopmin</c>); null on failure. Not retried.</summary>
    public Task<IReadOnlyList<(string Member, double Score)>?> ZPopMinAsync(string key, int count, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return ExecuteAsync<(string key, int count), IReadOnlyList<(string, double)>?>(nameof(ZPopMinAsync), key, (key, count), static async (db, s) =>
        {
            var entries = await db.SortedSetPopAsync(s.key, s.count, Order.Ascending).ConfigureAwait(false);
            var list = new List<(string, double)>(entries.Length);
            foreach (var e in entries)
            {
                list.Add((e.Element!, e.Score));
            }

            return list;
        }, null, idempotent: false, ct);
    }

    /// <summary>Members scoring within [<paramref name="min"/>, <paramref name="max"/>], lowest first (seed <c>zrangebyscore</c>); null on failure.</summary>
    public Task<IReadOnlyList<string>?> ZRangeByScoreAsync(string key, double min, double max, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ExecuteAsync<(string key, double min, double max), IReadOnlyList<string>?>(nameof(ZRangeByScoreAsync), key, (key, min, max), static async (db, s) =>
        {
            var values = await db.SortedSetRangeByScoreAsync(s.key, s.min, s.max).ConfigureAwait(false);
            var list = new List<string>(values.Length);
            foreach (var v in values)
            {
                list.Add(v!);
            }

            return list;
        }, null, idempotent: true, ct);
    }

    /// <summary>Removes the members scoring within [<paramref name="min"/>, <paramref name="max"/>]; how many were removed, 0 on failure.</summary>
    public Task<long> ZRemRangeByScoreAsync(string key, double min, double max, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ExecuteAsync(nameof(ZRemRangeByScoreAsync), key, (key, min, max),
            static (db, s) => db.SortedSetRemoveRangeByScoreAsync(s.key, s.min, s.max), 0L, idempotent: true, ct);
    }

    /// <summary>Number of members of the sorted set; 0 when missing or on failure.</summary>
    public Task<long> ZCardAsync(string key, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ExecuteAsync(nameof(ZCardAsync), key, key,
            static (db, k) => db.SortedSetLengthAsync(k), 0L, idempotent: true, ct);
    }
}
