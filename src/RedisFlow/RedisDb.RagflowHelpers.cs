using System.Globalization;
using RedisFlow.Scripts;
using StackExchange.Redis;

namespace RedisFlow;

/// <summary>
/// The methods RAGFlow's <c>RedisDB</c> gained after the seed: an id counter, a shared secret and a token-bucket rate
/// limit, each wire-compatible with RAGFlow's Python on the same keys and each one atomic script.
/// </summary>
public sealed partial class RedisDb
{
    /// <summary>
    /// The next id of the counter <c>{keyPrefix}:{namespace}</c>, numbered as RAGFlow's
    /// <c>generate_auto_increment_id</c>: a fresh counter's first id is <c>1 + increment</c> (2 by default), and with
    /// <paramref name="ensureMinimum"/> a counter that is missing or below it is set to it (at least 1) and that value
    /// is answered. -1 when Redis could not answer, as in RAGFlow.
    /// </summary>
    /// <remarks>
    /// One script, so C# callers never share an id with each other or with Python processes once the counter has
    /// started. RAGFlow's own code takes several round trips: two Python processes starting a fresh counter at the
    /// same moment can both be handed its first id. Tried once (a retry after a lost reply would skip an id).
    /// </remarks>
    public Task<long> GenerateAutoIncrementIdAsync(string keyPrefix = "id_generator", string @namespace = "default", long increment = 1, long? ensureMinimum = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(keyPrefix);
        ArgumentNullException.ThrowIfNull(@namespace);
        var key = $"{keyPrefix}:{@namespace}";
        RedisValue minimum = ensureMinimum is { } m ? m.ToString(CultureInfo.InvariantCulture) : string.Empty;
        return ExecuteAsync<(string key, long increment, RedisValue minimum), RedisResult, long>(nameof(GenerateAutoIncrementIdAsync), key, (key, increment, minimum),
            static (db, s) => LuaScripts.IdGenerate.EvaluateAsync(db, [s.key], [s.increment, s.minimum]),
            static reply => (long)reply, -1, idempotent: false, ct);
    }

    /// <summary>
    /// The shared secret stored at <paramref name="keyName"/>, storing <paramref name="newValue"/> when there is none
    /// (RAGFlow's <c>get_or_create_secret_key</c>): whoever comes first wins, and every caller gets that value.
    /// </summary>
    /// <exception cref="RedisUnavailableException">Redis could not answer: a secret must never silently differ between processes.</exception>
    public async Task<string> GetOrCreateSecretKeyAsync(string keyName, string newValue, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyName);
        ArgumentException.ThrowIfNullOrEmpty(newValue);
        var value = await ExecuteAsync<(string key, string value), RedisResult, string?>(nameof(GetOrCreateSecretKeyAsync), keyName, (keyName, newValue),
            static (db, s) => LuaScripts.SecretGetOrCreate.EvaluateAsync(db, [s.key], [s.value]),
            static reply => (string?)reply, null, idempotent: true, ct).ConfigureAwait(false);
        return value ?? throw new RedisUnavailableException(nameof(GetOrCreateSecretKeyAsync), _lastProblem?.Message);
    }

    /// <summary>
    /// Takes <paramref name="cost"/> tokens from the bucket <paramref name="key"/> when it holds that many (RAGFlow's
    /// <c>lua_token_bucket</c>, on the same hash fields <c>tokens</c> and <c>timestamp</c> and the same expiry, so a
    /// bucket is shared with Python). The bucket holds up to <paramref name="capacity"/> tokens and refills at
    /// <paramref name="rate"/> tokens a second; <paramref name="now"/> is in seconds since the epoch, as RAGFlow passes it.
    /// The hash is written only when the request is allowed.
    /// </summary>
    /// <returns>Allowed and the tokens left; not allowed (0 tokens) when Redis could not answer, failing closed as RAGFlow's webhook does.</returns>
    public Task<TokenBucketResult> TokenBucketAsync(string key, double capacity, double rate, double now, double cost = 1, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate);
        if (!double.IsFinite(capacity) || !double.IsFinite(rate) || !double.IsFinite(now) || !double.IsFinite(cost))
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), "capacity, rate, now and cost must be finite numbers.");
        }

        RedisValue[] args = [Number(capacity), Number(rate), Number(now), Number(cost)];
        // Not retried: a reply lost after the script ran would take the cost twice.
        return ExecuteAsync<(string key, RedisValue[] args), RedisResult, TokenBucketResult>(nameof(TokenBucketAsync), key, (key, args),
            static (db, s) => LuaScripts.TokenBucket.EvaluateAsync(db, [s.key], s.args),
            static reply =>
            {
                var parts = (RedisResult[])reply!;
                return new TokenBucketResult((long)parts[0] == 1, (long)parts[1]);
            },
            new TokenBucketResult(false, 0), idempotent: false, ct);
    }

    /// <summary>A number as Python's <c>repr</c> writes it for Redis: the shortest text that reads back the same.</summary>
    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
