using System.Text.Json;
using RedisFlow.Scripts;
using StackExchange.Redis;

namespace RedisFlow;

public sealed partial class RedisDb
{
    /// <summary>Whether <paramref name="key"/> exists (seed <c>exist</c>); null when Redis could not answer.</summary>
    public Task<bool?> ExistAsync(string key, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ExecuteAsync<string, bool, bool?>(nameof(ExistAsync), key, key, LeanCommands.Exists,
            static (db, k) => db.KeyExistsAsync(k), static exists => exists, null, idempotent: true, ct);
    }

    /// <summary>The string value of <paramref name="key"/> (seed <c>get</c>); null when missing or on failure.</summary>
    public Task<string?> GetAsync(string key, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ExecuteAsync<string, RedisValue, string?>(nameof(GetAsync), key, key, LeanCommands.Get,
            static (db, k) => db.StringGetAsync(k), static value => value, null, idempotent: true, ct);
    }

    /// <summary>The raw bytes of <paramref name="key"/>; null when missing or on failure.</summary>
    public Task<byte[]?> GetBytesAsync(string key, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ExecuteAsync<string, RedisValue, byte[]?>(nameof(GetBytesAsync), key, key, LeanCommands.GetBytes,
            static (db, k) => db.StringGetAsync(k), static value => value, null, idempotent: true, ct);
    }

    /// <summary>
    /// The values of several keys, in order, null for a missing key. On Redis Cluster the keys are grouped by hash
    /// slot (one MGET per slot). On failure every element is null.
    /// </summary>
    public async Task<string?[]> MGetAsync(IReadOnlyList<string> keys, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return [];
        }

        var connection = await GetConnectionAsync(ct).ConfigureAwait(false);
        var result = await ExecuteAsync(nameof(MGetAsync), keys[0], (keys, connection, cluster: _isCluster),
            static async (db, s) => s.cluster ? await MGetBySlotAsync(db, s.connection, s.keys).ConfigureAwait(false)
                                              : ToStrings(await db.StringGetAsync(ToRedisKeys(s.keys)).ConfigureAwait(false)),
            null, idempotent: true, ct).ConfigureAwait(false);
        return result ?? new string?[keys.Count];
    }

    /// <summary>Stores <paramref name="value"/> with a time-to-live of <paramref name="exp"/> seconds (seed <c>set</c>).</summary>
    public Task<bool> SetAsync(string key, string value, int exp = 3600, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        return SetValueAsync(nameof(SetAsync), key, value, exp, ct);
    }

    /// <summary>Stores raw bytes with a time-to-live of <paramref name="exp"/> seconds.</summary>
    public Task<bool> SetAsync(string key, byte[] value, int exp = 3600, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        return SetValueAsync(nameof(SetAsync), key, value, exp, ct);
    }

    /// <summary>Stores <paramref name="obj"/> as UTF-8 JSON (non-ASCII kept as is) with a time-to-live (seed <c>set_obj</c>).</summary>
    public Task<bool> SetObjAsync<T>(string key, T obj, int exp = 3600, CancellationToken ct = default)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(obj, RedisFlowJson.Options);
        return SetValueAsync(nameof(SetObjAsync), key, json, exp, ct);
    }

    /// <summary>Stores <paramref name="value"/> only if <paramref name="key"/> does not exist; true only if stored.</summary>
    /// <remarks>Not retried: a lost reply to a successful SET NX would make the retry answer false.</remarks>
    public Task<bool> SetIfAbsentAsync(string key, string value, int exp = 3600, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        var ttl = Ttl(exp);
        return ExecuteAsync(nameof(SetIfAbsentAsync), key, (key, value, ttl),
            static (db, s) => db.StringSetAsync(s.key, s.value, s.ttl, When.NotExists), false, idempotent: false, ct);
    }

    /// <summary>Adds <paramref name="by"/> to the integer at <paramref name="key"/>; null on failure. Not retried.</summary>
    public Task<long?> IncrByAsync(string key, long by, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ExecuteAsync<(string, long), long?>(nameof(IncrByAsync), key, (key, by),
            static async (db, s) => await db.StringIncrementAsync(s.Item1, s.Item2).ConfigureAwait(false), null, idempotent: false, ct);
    }

    /// <summary>Subtracts <paramref name="by"/> from the integer at <paramref name="key"/>; null on failure. Not retried.</summary>
    public Task<long?> DecrByAsync(string key, long by, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ExecuteAsync<(string, long), long?>(nameof(DecrByAsync), key, (key, by),
            static async (db, s) => await db.StringDecrementAsync(s.Item1, s.Item2).ConfigureAwait(false), null, idempotent: false, ct);
    }

    /// <summary>
    /// SET NX EX inside MULTI/EXEC (seed <c>transaction</c>): true when the transaction executed, whether or not
    /// the key already existed, as the seed answers. Use <see cref="SetIfAbsentAsync"/> to learn whether it was stored.
    /// </summary>
    public Task<bool> TransactionAsync(string key, string value, int exp = 3600, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TransactionCoreAsync(key, value, exp, ct);
    }

    /// <summary>The <c>byte[]</c> form of <see cref="TransactionAsync(string, string, int, CancellationToken)"/>, used for cached files.</summary>
    public Task<bool> TransactionAsync(string key, byte[] value, int exp = 3600, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TransactionCoreAsync(key, value, exp, ct);
    }

    /// <summary>Deletes <paramref name="key"/> (seed <c>delete</c>); true when the call succeeded, whether or not the key existed.</summary>
    public Task<bool> DeleteAsync(string key, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ExecuteAsync(nameof(DeleteAsync), key, key,
            static async (db, k) => { await db.KeyDeleteAsync(k).ConfigureAwait(false); return true; }, false, idempotent: true, ct);
    }

    /// <summary>
    /// Deletes <paramref name="key"/> only if it holds <paramref name="expectedValue"/>, atomically (one Lua script;
    /// seed <c>delete_if_equal</c>). True when deleted.
    /// </summary>
    public Task<bool> DeleteIfEqualAsync(string key, string expectedValue, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(expectedValue);
        return ExecuteAsync(nameof(DeleteIfEqualAsync), key, (key, expectedValue),
            static async (db, s) => (long)await LuaScripts.DeleteIfEqual.EvaluateAsync(db, [s.key], [s.expectedValue]).ConfigureAwait(false) == 1,
            false, idempotent: true, ct);
    }

    private Task<bool> SetValueAsync(string method, string key, RedisValue value, int exp, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(key);
        var ttl = Ttl(exp);
        return ExecuteAsync<(string Key, RedisValue Value, TimeSpan? Ttl), bool, bool>(method, key, (key, value, ttl), LeanCommands.Set,
            static (db, s) => db.StringSetAsync(s.Key, s.Value, s.Ttl, When.Always), static ok => ok, false, idempotent: true, ct);
    }

    private Task<bool> TransactionCoreAsync(string key, RedisValue value, int exp, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(key);
        var ttl = Ttl(exp);
        return ExecuteAsync(nameof(TransactionAsync), key, (key, value, ttl), static async (db, s) =>
        {
            var transaction = db.CreateTransaction();
            var set = transaction.StringSetAsync(s.key, s.value, s.ttl, When.NotExists);
            var executed = await transaction.ExecuteAsync().ConfigureAwait(false);
            if (executed)
            {
                // EXEC succeeds even when the SET inside it was refused (exp = 0): that error answers false too.
                _ = await set.ConfigureAwait(false);
            }

            return executed;
        }, false, idempotent: false, ct);
    }

    /// <remarks>
    /// <c>exp = 0</c> is sent as is, as the seed does (<c>SET … EX 0</c>): Redis refuses it ("invalid expire time"),
    /// and that reply error is answered <c>false</c> with a warning, nothing stored, like any reply error. It used to
    /// store the key without a TTL, which no caller asked for. A negative <c>exp</c> is a bad argument and throws.
    /// </remarks>
    private static TimeSpan? Ttl(int seconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seconds, "exp");
        return TimeSpan.FromSeconds(seconds);
    }

    private static RedisKey[] ToRedisKeys(IReadOnlyList<string> keys)
    {
        var result = new RedisKey[keys.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = keys[i];
        }

        return result;
    }

    private static string?[] ToStrings(RedisValue[] values)
    {
        var result = new string?[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }

        return result;
    }

    private static async Task<string?[]> MGetBySlotAsync(IDatabase db, IConnectionMultiplexer connection, IReadOnlyList<string> keys)
    {
        var result = new string?[keys.Count];
        var groups = new Dictionary<int, List<int>>();
        for (var i = 0; i < keys.Count; i++)
        {
            var slot = connection.HashSlot(keys[i]);
            if (!groups.TryGetValue(slot, out var list))
            {
                groups[slot] = list = [];
            }

            list.Add(i);
        }

        var tasks = new List<(List<int> Indexes, Task<RedisValue[]> Values)>(groups.Count);
        foreach (var indexes in groups.Values)
        {
            var groupKeys = new RedisKey[indexes.Count];
            for (var j = 0; j < indexes.Count; j++)
            {
                groupKeys[j] = keys[indexes[j]];
            }

            tasks.Add((indexes, db.StringGetAsync(groupKeys)));
        }

        foreach (var (indexes, values) in tasks)
        {
            var got = await values.ConfigureAwait(false);
            for (var j = 0; j < indexes.Count; j++)
            {
                result[indexes[j]] = got[j];
            }
        }

        return result;
    }
}
