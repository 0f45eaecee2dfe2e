using System.Diagnostics;

namespace RedisFlow.Benchmarks.Locks;

/// <summary>
/// Contended hand-over: <see cref="Waiters"/> loops compete for one lock. Each holds it about a millisecond,
/// releases it and asks again at once, as a busy worker would. Hand-over latency = from the start of a release to
/// the moment another loop holds the lock. When the releaser gets its own lock back first (a re-take: polling
/// locks lose the race to the releaser), the clock keeps running from that first release, so starved waiters show.
/// </summary>
public static class HandOver
{
    public const int Waiters = 4;

    public sealed record Result(List<double> LatenciesMs, int Acquisitions, int ReTakes);

    public static async Task<Result> MeasureAsync(ILockUnderTest subject, string key, int handOvers, TimeSpan limit, CancellationToken ct)
    {
        var latencies = new List<double>();
        var gate = new object();
        long pendingSince = 0;
        var lastHolder = -1;
        var acquisitions = 0;
        var reTakes = 0;
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

                var acquired = Stopwatch.GetTimestamp();
                lock (gate)
                {
                    acquisitions++;
                    if (lastHolder == me)
                    {
                        reTakes++;
                    }
                    else if (pendingSince != 0)
                    {
                        if (latencies.Count < handOvers)
                        {
                            latencies.Add(Stopwatch.GetElapsedTime(pendingSince, acquired).TotalMilliseconds);
                        }

                        pendingSince = 0;
                    }
                }

                try
                {
                    // Hold briefly, so the other waiters are waiting when it is released.
                    await Task.Delay(1, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                }

                lock (gate)
                {
                    if (pendingSince == 0)
                    {
                        pendingSince = Stopwatch.GetTimestamp();
                    }

                    lastHolder = me;
                }

                await held.DisposeAsync().ConfigureAwait(false);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Waiters).Select(i => Task.Run(() => WaiterAsync(i), CancellationToken.None))).ConfigureAwait(false);
        lock (gate)
        {
            return new Result([.. latencies], acquisitions, reTakes);
        }
    }
}
