using StackExchange.Redis;

namespace RedisFlow;

public sealed partial class RedisDb
{
    /// <summary>Adds <paramref name="member"/> to the set at <paramref name="key"/> (seed <c>sadd</c>); true when the call succeeded.</summary>
    public Task<bool> SAddAsync(string key, string member, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(member);
        return ExecuteAsync(nameof(SAddAsync), key, (key, member),
            static async (db, s) => { await db.SetAddAsync(s.key, s.member).ConfigureAwait(false); return true; }, false, idempotent: true, ct);
    }

    /// <summary>Removes <paramref name="member"/> from the set at <paramref name="key"/> (seed <c>srem</c>); true when the call succeeded.</summary>
    public Task<bool> SRemAsync(string key, string member, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(member);
        return ExecuteAsync(nameof(SRemAsync), key, (key, member),
            static async (db, s) => { await db.SetRemoveAsync(s.key, s.member).ConfigureAwait(false); return true; }, false, idempotent: true, ct);
    }

    /// <summary>All members of the set at <paramref name="key"/> (seed <c>smembers</c>); empty when missing, null on failure.</summary>
    public Task<IReadOnlySet<string>?> SMembersAsync(string key, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ExecuteAsync<string, IReadOnlySet<string>?>(nameof(SMembersAsync), key, key, static async (db, k) =>
        {
            var members = await db.SetMembersAsync(k).ConfigureAwait(false);
            var set = new HashSet<string>(members.Length, StringComparer.Ordinal);
            foreach (var m in members)
            {
                set.Add(m!);
            }

            return set;
        }, null, idempotent: true, ct);
    }
}
