using System.Diagnostics;

namespace RedisFlow.Queues;

public sealed partial class QueueWorker
{
    /// <summary>Reads without BLOCK in flight at once while the stream has a backlog.</summary>
    private const int MaxPipelinedReads = 4;
    private static readonly TimeSpan MaxFailureDelay = TimeSpan.FromSeconds(5);
    private int _failures;
    private bool _backlog;

    /// <summary>
    /// Reads new entries until stopped. A read asks for at most as many entries as there are free credits (free
    /// handlers, plus the read-ahead when set), so by default nothing waits in a local buffer: every entry read goes
    /// to a free handler. Stalled entries are claimed between reads, every claim interval.
    /// </summary>
    /// <remarks>
    /// While the stream has a backlog (the last read filled every credit it asked for), reads go without BLOCK on the
    /// shared connection and are pipelined: as soon as credits come back another read is sent, up to
    /// <see cref="MaxPipelinedReads"/> in flight, each for its own credits, so round trips overlap the handlers and
    /// one another. Once a read comes back short the loop waits for the reads in flight and blocks on the dedicated
    /// connection, one read at a time, so an idle worker sends one command per block timeout.
    /// </remarks>
    private async Task FetchLoopAsync(WorkerLane[][] readGroups, BlockingStreamReader[] readers, CancellationToken ct)
    {
        var claimInterval = _options.EffectiveClaimInterval;
        var lastClaim = Stopwatch.GetTimestamp() - (long)(claimInterval.TotalSeconds * Stopwatch.Frequency) - 1;
        var pipelined = new List<Task>(MaxPipelinedReads);
        _failures = 0;
        // With several queues the first read is a pass from the highest down: a blocking read over queues that all
        // have a backlog would take from each of them at once.
        _backlog = _lanes.Length > 1;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    pipelined.RemoveAll(static t => t.IsCompleted);
                    if (Stopwatch.GetElapsedTime(lastClaim) >= claimInterval)
                    {
                        foreach (var lane in _lanes)
                        {
                            await ClaimStalledAsync(lane, ct).ConfigureAwait(false);
                        }

                        lastClaim = Stopwatch.GetTimestamp();
                    }

                    if (Volatile.Read(ref _backlog))
                    {
                        if (pipelined.Count >= MaxPipelinedReads)
                        {
                            await Task.WhenAny(pipelined).ConfigureAwait(false);
                            continue;
                        }

                        if (pipelined.Count > 0)
                        {
                            // A read is on its way: the next one waits for a worthwhile batch of credits or for that
                            // read to land, whichever comes first, so handlers freed one by one do not each cost a read.
                            var worthwhile = Math.Min(_options.MaxBatchSize, Math.Max(1, _credits.Capacity / 2));
                            await Task.WhenAny(Task.WhenAny(pipelined), _credits.WhenAtLeast(worthwhile)).WaitAsync(ct).ConfigureAwait(false);
                            if (pipelined.RemoveAll(static t => t.IsCompleted) > 0 || !Volatile.Read(ref _backlog))
                            {
                                continue;
                            }
                        }

                        var credits = pipelined.Count == 0 ? await TakeSlotsAsync(ct).ConfigureAwait(false) : TryTakeSlots();
                        if (credits > 0)
                        {
                            pipelined.Add(ReadAheadOfHandlersAsync(credits, ct));
                        }

                        continue;
                    }

                    if (pipelined.Count > 0)
                    {
                        // The backlog ended: let the reads in flight land before deciding to block.
                        await Task.WhenAll(pipelined).ConfigureAwait(false);
                        pipelined.Clear();
                        continue;
                    }

                    if (_failures > 0)
                    {
                        await Task.Delay(FailureDelay(_failures), ct).ConfigureAwait(false);
                    }

                    var untilClaim = claimInterval - Stopwatch.GetElapsedTime(lastClaim);
                    var block = untilClaim < _options.BlockTimeout ? untilClaim : _options.BlockTimeout;
                    if (block < TimeSpan.FromMilliseconds(1))
                    {
                        block = TimeSpan.FromMilliseconds(1);
                    }

                    if (_lanes.Length > 1 && _options.ReadAhead > 0)
                    {
                        // A read over several queues cannot tell which will answer: it waits for a free handler, so
                        // what it brings is handled, not held ahead (read-ahead is for the highest non-empty queue).
                        await _credits.WhenAtLeast(_options.ReadAhead + 1).WaitAsync(ct).ConfigureAwait(false);
                    }

                    var taken = await TakeSlotsAsync(ct).ConfigureAwait(false);
                    await BlockAndDispatchAsync(readGroups, readers, taken, block, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    break;
                }
#pragma warning disable CA1031 // The loop must never die; it logs, backs off and goes on.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    _failures++;
                    Volatile.Write(ref _backlog, false);
                    var delay = FailureDelay(_failures);
                    QueueLog.LoopFailed(_logger, _queueList, "fetch", delay, ex);
                    await Task.Delay(delay, ct).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            // Entries of reads still in flight are delivered to this consumer: they are handled too.
            await Task.WhenAll(pipelined).ConfigureAwait(false);
        }
    }

    private Task<int> TakeSlotsAsync(CancellationToken ct) => _credits.TakeAsync(_options.MaxBatchSize, ct);

    private int TryTakeSlots() => _credits.TryTake(_options.MaxBatchSize);

    private void ReleaseSlots(int count) => _credits.Return(count);

    /// <summary>Settles the credits of a read: unused ones go back; entries beyond them (a read over several queues) are borrowed.</summary>
    private void SettleSlots(int taken, int dispatched)
    {
        if (dispatched > taken)
        {
            _credits.Borrow(dispatched - taken);
        }
        else
        {
            ReleaseSlots(taken - dispatched);
        }
    }

    private static TimeSpan FailureDelay(int failures)
    {
        var ms = Math.Min(MaxFailureDelay.TotalMilliseconds, 100 * Math.Pow(2, Math.Min(failures - 1, 10)));
        // Jitter spreads the reconnect attempts of many workers.
        return TimeSpan.FromMilliseconds(ms * (0.75 + (Random.Shared.NextDouble() * 0.5)));
    }
}
