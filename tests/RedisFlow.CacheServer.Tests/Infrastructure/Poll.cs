using System.Diagnostics;

namespace RedisFlow.CacheServer.Tests.Infrastructure;

/// <summary>Waits for a condition with a bounded deadline instead of a fixed sleep.</summary>
public static class Poll
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan limit, string what, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > limit)
            {
                throw new TimeoutException($"Waited {limit} for: {what}");
            }

            await Task.Delay(25, ct);
        }
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan limit, string what, CancellationToken ct) =>
        UntilAsync(() => Task.FromResult(condition()), limit, what, ct);
}
