using System.Diagnostics;
using RedisFlow.Testing;

namespace RedisFlow.Tests.Locking;

/// <summary>Bounded waits for lock tests (no fixed sleeps).</summary>
internal static class LockTestHelpers
{
    /// <summary>valkey-py's <c>Lock</c> release script, byte for byte in behaviour: compare the token, then delete.</summary>
    public const string ValkeyPyReleaseScript = """
        local token = redis.call('get', KEYS[1])
        if not token or token ~= ARGV[1] then
            return 0
        end
        redis.call('del', KEYS[1])
        return 1
        """;

    /// <summary>Completes when <paramref name="token"/> is cancelled; throws <see cref="TimeoutException"/> after <paramref name="limit"/>.</summary>
    public static Task WhenCancelledAsync(TimeSpan limit, CancellationToken token)
    {
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        token.Register(() => fired.TrySetResult());
        return fired.Task.WaitAsync(limit, TestContext.Current.CancellationToken);
    }

    /// <summary>Runs <paramref name="check"/> repeatedly (every ~20 ms) for <paramref name="duration"/>; each run asserts.</summary>
    public static async Task HoldsForAsync(TimeSpan duration, Func<Task> check)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 10_000 && watch.Elapsed < duration; i++)
        {
            await check();
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Polls <paramref name="condition"/> until true; fails after <paramref name="limit"/>.</summary>
    public static Task UntilAsync(Func<Task<bool>> condition, TimeSpan limit, string what) =>
        Poll.UntilAsync(condition, limit, what, TestContext.Current.CancellationToken);
}
