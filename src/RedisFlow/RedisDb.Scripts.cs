using RedisFlow.Scripts;
using StackExchange.Redis;

namespace RedisFlow;

/// <summary>Lua scripts of your own, run with the contract of the library's calls.</summary>
public sealed partial class RedisDb
{
    /// <summary>
    /// Runs <paramref name="script"/> (EVALSHA, reloaded on NOSCRIPT) with the contract of every
    /// <see cref="RedisDb"/> call: bounded by <see cref="RedisDbOptions.OperationTimeout"/>, retried on a transient
    /// failure when <paramref name="idempotent"/>, and answered with <paramref name="fallback"/>, as for an outage,
    /// when it cannot succeed (Redis down, a timeout, an error reply): after a warning naming
    /// <paramref name="operationName"/> and the first key, counted by the <c>redisflow.redis.operation.failures</c>
    /// metric. Cancellation throws.
    /// </summary>
    /// <param name="operationName">Names the call in the warning and in the failure and retry metrics (tag <c>method</c>).</param>
    /// <param name="script">The script, created once (<see cref="RedisLuaScript.FromResource(System.Reflection.Assembly, string)"/>).</param>
    /// <param name="keys">KEYS[] of the script; on Redis Cluster they must share a slot, whose primary runs the script.</param>
    /// <param name="args">ARGV[] of the script.</param>
    /// <param name="convert">Turns the script's reply into the result (a cast such as <c>r =&gt; (long?)(long)r</c>); it should not throw.</param>
    /// <param name="fallback">The answer when the script cannot run.</param>
    /// <param name="idempotent">Whether running the script twice is harmless; only then is a transient failure retried.</param>
    /// <param name="ct">Cancels the call (it then throws <see cref="OperationCanceledException"/>).</param>
    /// <exception cref="RedisFlowConfigurationException">A setting makes the call impossible; never answered with the fallback.</exception>
    public Task<T> EvaluateAsync<T>(
        string operationName,
        RedisLuaScript script,
        RedisKey[] keys,
        RedisValue[] args,
        Func<RedisResult, T> convert,
        T fallback,
        bool idempotent,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(convert);
        return ExecuteAsync(operationName, keys.Length > 0 ? (string?)keys[0] : null, (Script: script, Keys: keys, Args: args),
            static (db, s) => s.Script.EvaluateAsync(db, s.Keys, s.Args), convert, fallback, idempotent, ct);
    }
}
