using System.Diagnostics;

namespace RedisFlow.Benchmarks.Locks;

/// <summary>
/// Contended hand-over: <see cref="Waiters"/> loops compete for one lock. The holder notes the time, releases, then
/// steps back until another waiter has taken the lock (at most 2 s), so each measured value is release → next
/// holder, never the releaser re-taking its own lock.
/// </summary>
public static class HandOver
{
    public const int Waiters = 4;

    /// <summary>Milliseconds from the start of each release to the next (different) holder's acquire.</summary>
    public static async Task<List<double>> MeasureAsync(ILockUnderTest subject, string key, int handOvers, TimeSpan limit, CancellationToken ct)
    {
        var latencies = new List<double>();
        var gate = new object();
        long releasedAt = 0;
        var lastHolder = -1;
        var generation = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(limit);
        var token = stop.Token;

        async Task WaiterAsync(int me)
        {
            while (!token.IsCancellationRequested)
            {
                lock (gate)
                {
                    if (latencies.Count >= handOvers)
                    {
                        return;
                    }
                }

                IAsyncDisposable? held;
                try
                {
                    held = await subject.AcquireWaitingAsync(key, TimeSpan.FromSeconds(5), token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    return;
                }

                if (held is null)
                {
                    continue;
                }

                int mine;
                lock (gate)
                {
                    if (releasedAt != 0 && lastHolder != me && latencies.Count < handOvers)
                    {
                        latencies.Add(Stopwatch.GetElapsedTime(releasedAt).TotalMilliseconds);
                    }

                    mine = ++generation;
                }

                // Let the other waiters queue up behind the holder before it releases.
                await Task.Yield();
                lock (gate)
                {
                    releasedAt = Stopwatch.GetTimestamp();
                    lastHolder = me;
                }

                await held.DisposeAsync().ConfigureAwait(false);
                var stepBack = Stopwatch.StartNew();
                while (Volatile.Read(ref generation) == mine && stepBack.Elapsed < TimeSpan.FromSeconds(2) && !token.IsCancellationRequested)
                {
                    await Task.Delay(1, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Waiters).Select(i => Task.Run(() => WaiterAsync(i), CancellationToken.None))).ConfigureAwait(false);
        lock (gate)
        {
            return [.. latencies];
        }
    }
}
