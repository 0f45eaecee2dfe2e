using System.Diagnostics;

namespace RedisFlow.Benchmarks.Harness;

/// <summary>Runs a fixed number of operations with a fixed number of them in flight and reports operations per second.</summary>
public static class InFlight
{
    /// <summary>
    /// Calls <paramref name="operation"/> with indexes 0..<paramref name="total"/>-1, <paramref name="concurrency"/>
    /// at a time (each of <paramref name="concurrency"/> loops awaits one call before starting the next).
    /// </summary>
    public static Task<double> OpsPerSecondAsync(int total, int concurrency, Func<int, Task> operation) =>
        OpsPerSecondAsync(total, concurrency, (_, index) => operation(index));

    /// <summary>As above; the operation also gets the number of the loop (0..concurrency-1) that runs it.</summary>
    public static async Task<double> OpsPerSecondAsync(int total, int concurrency, Func<int, int, Task> operation)
    {
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        var loops = new Task[Math.Min(concurrency, total)];
        for (var i = 0; i < loops.Length; i++)
        {
            var loop = i;
            loops[i] = Task.Run(async () =>
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < total)
                {
                    await operation(loop, index).ConfigureAwait(false);
                }
            });
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
        return total / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>Operations per second of <paramref name="count"/> operations done in <paramref name="elapsed"/>.</summary>
    public static double Rate(long count, TimeSpan elapsed) => count / Math.Max(elapsed.TotalSeconds, 1e-9);
}
