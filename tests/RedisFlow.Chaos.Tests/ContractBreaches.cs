using System.Collections.Concurrent;

namespace RedisFlow.Chaos.Tests;

/// <summary>
/// Calls that threw for an outage though RedisFlow's contract says they answer false/null instead (README, "The
/// contract every call keeps"). Known case, found by this run: StackExchange.Redis completes a command's task as
/// cancelled when its connection drops, and <c>RedisDb.RunAsync</c> (RedisDb.Execution.cs) does not count a
/// <see cref="OperationCanceledException"/> the caller did not ask for as transient, so it escapes to the caller
/// (seen from <see cref="RedisDb.QueueProductWithIdAsync{T}"/> with <see cref="CancellationToken.None"/>). The run
/// counts and prints them instead of dying on the first; it does not assert 0 until that is fixed.
/// </summary>
public sealed class ContractBreaches
{
    private readonly ConcurrentDictionary<string, int> _counts = new();

    /// <summary>How many calls threw.</summary>
    public int Count => _counts.Values.Sum();

    /// <summary>Which calls threw what, for the result line.</summary>
    public string Summary => string.Join(", ", _counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"));

    /// <summary>Records that <paramref name="method"/> threw <paramref name="ex"/>.</summary>
    public void Record(string method, Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        _counts.AddOrUpdate($"{method} {ex.GetType().Name}", 1, static (_, n) => n + 1);
    }
}
