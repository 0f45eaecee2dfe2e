using System.Diagnostics;
using StackExchange.Redis;

namespace RedisFlow.Queues;

public sealed partial class QueueWorker
{
    private const int MaxRecoveryPages = 100_000;
    private const int MaxClaimRounds = 100;

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
    private async Task FetchLoopAsync(BlockingStreamReader reader, CancellationToken ct)
    {
        var claimInterval = _options.EffectiveClaimInterval;
        var lastClaim = Stopwatch.GetTimestamp() - (long)(claimInterval.TotalSeconds * Stopwatch.Frequency) - 1;
        var pipelined = new List<Task>(MaxPipelinedReads);
        _failures = 0;
        _backlog = false;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    pipelined.RemoveAll(static t => t.IsCompleted);
                    if (Stopwatch.GetElapsedTime(lastClaim) >= claimInterval)
                    {
                        await ClaimStalledAsync(ct).ConfigureAwait(false);
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

                    var taken = await TakeSlotsAsync(ct).ConfigureAwait(false);
                    await ReadAndDispatchAsync(reader, taken, block, ct).ConfigureAwait(false);
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
                    QueueLog.LoopFailed(_logger, _options.QueueName, "fetch", delay, ex);
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

    /// <summary>A read without BLOCK for the credits taken; it never throws (a failure ends the backlog mode).</summary>
    private async Task ReadAheadOfHandlersAsync(int credits, CancellationToken ct)
    {
        try
        {
            await ReadAndDispatchAsync(null, credits, TimeSpan.Zero, ct).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Reported through the fetch loop's failure count and log, like any read.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Volatile.Write(ref _backlog, false);
            if (!ct.IsCancellationRequested)
            {
                Interlocked.Increment(ref _failures);
                QueueLog.LoopFailed(_logger, _options.QueueName, "fetch", FailureDelay(1), ex);
            }
        }
    }

    /// <summary>
    /// One read of up to <paramref name="taken"/> new entries (blocking on <paramref name="reader"/> when
    /// <paramref name="block"/> is positive and a reader is given), dispatched to the handlers; credits not used go back.
    /// </summary>
    private async Task ReadAndDispatchAsync(BlockingStreamReader? reader, int taken, TimeSpan block, CancellationToken ct)
    {
        var dispatched = 0;
        try
        {
            var read = await _queue.ReadAsync(_consumer, reader, ">", taken, reader is null ? TimeSpan.Zero : block, createGroup: true, ct).ConfigureAwait(false);
            if (read.Failed)
            {
                Interlocked.Increment(ref _failures);
                Volatile.Write(ref _backlog, false);
                return;
            }

            Interlocked.Exchange(ref _failures, 0);
            Volatile.Write(ref _backlog, read.Entries.Length == taken);
            // Entries read while stopping are handled too: they are already in this consumer's pending list.
            dispatched = await DispatchAsync(read.Entries, null, 1).ConfigureAwait(false);
        }
        finally
        {
            ReleaseSlots(taken - dispatched);
        }
    }

    /// <summary>Handles this consumer's own pending entries (left by a previous run under the same name) first.</summary>
    private async Task RecoverAsync(CancellationToken ct)
    {
        var position = "0";
        var recovered = 0;
        for (var page = 0; page < MaxRecoveryPages; page++)
        {
            var taken = await TakeSlotsAsync(ct).ConfigureAwait(false);
            var dispatched = 0;
            try
            {
                var read = await _queue.ReadAsync(_consumer, null, position, taken, TimeSpan.Zero, createGroup: true, ct).ConfigureAwait(false);
                if (read.Entries.Length == 0)
                {
                    break; // none left (or Redis is down: the claim pass picks them up once idle)
                }

                position = (string)read.Entries[^1].Id!;
                dispatched = await DispatchCountedAsync(read.Entries, ct).ConfigureAwait(false);
                recovered += dispatched;
            }
            finally
            {
                ReleaseSlots(taken - dispatched);
            }
        }

        if (recovered > 0)
        {
            QueueLog.Recovered(_logger, _options.QueueName, _options.GroupName, _options.ConsumerName, recovered);
        }
    }

    /// <summary>
    /// XAUTOCLAIMs entries idle for longer than <see cref="QueueWorkerOptions.ClaimIdleTime"/> from any consumer of
    /// the group (dead ones, renamed ones, and failed handlers' entries), as many as there are free handlers.
    /// </summary>
    private async Task ClaimStalledAsync(CancellationToken ct)
    {
        var cursor = "0-0";
        var claimed = 0;
        for (var round = 0; round < MaxClaimRounds; round++)
        {
            var taken = TryTakeSlots();
            if (taken == 0)
            {
                break;
            }

            var dispatched = 0;
            try
            {
                var result = await _queue.AutoClaimAsync(_consumer, _options.ClaimIdleTime, cursor, taken, ct).ConfigureAwait(false);
                if (result is not { IsNull: false } claim)
                {
                    break;
                }

                if (claim.ClaimedEntries.Length > 0)
                {
                    claimed += claim.ClaimedEntries.Length;
                    dispatched = await DispatchCountedAsync(claim.ClaimedEntries, ct).ConfigureAwait(false);
                }

                cursor = (string?)claim.NextStartId ?? "0-0";
                if (cursor == "0-0")
                {
                    break;
                }
            }
            finally
            {
                ReleaseSlots(taken - dispatched);
            }
        }

        if (claimed > 0)
        {
            QueueMetrics.RecordClaimed(_options.QueueName, claimed);
            QueueLog.Claimed(_logger, _options.QueueName, _options.GroupName, _options.ConsumerName, claimed, _options.ClaimIdleTime);
        }
    }

    /// <summary>Dispatches entries delivered before (recovered or claimed): over-delivered ones go to the dead-letter stream.</summary>
    private async Task<int> DispatchCountedAsync(StreamEntry[] entries, CancellationToken ct)
    {
        var first = (string)entries[0].Id!;
        var last = (string)entries[^1].Id!;
        var counts = await _queue.DeliveryCountsAsync(_consumer, first, last, entries.Length + _inFlight.Count + 16, ct).ConfigureAwait(false) ?? [];
        var keep = new List<StreamEntry>(entries.Length);
        foreach (var entry in entries)
        {
            var id = (string)entry.Id!;
            if (_inFlight.ContainsKey(id))
            {
                // Claimed back from ourselves (a handler stalled past the idle time): it is already running here.
                continue;
            }

            if (counts.TryGetValue(id, out var deliveries) && deliveries > _options.MaxDeliveries)
            {
                await _queue.DeadLetterAsync(_consumer, id, DeadLetterReasons.TooManyDeliveries, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            keep.Add(entry);
        }

        return await DispatchAsync([.. keep], counts, 0).ConfigureAwait(false);
    }

    /// <summary>Starts a handler for every well-formed entry (each takes one of the slots the caller holds).</summary>
    private async Task<int> DispatchAsync(StreamEntry[] entries, IReadOnlyDictionary<string, long>? counts, long defaultDeliveries)
    {
        if (entries.Length == 0)
        {
            return 0;
        }

        // Not cancelled: these entries are already delivered to this consumer, so they are handled even while stopping.
        var messages = await _queue.ToMessagesAsync(_consumer, entries, counts, defaultDeliveries, CancellationToken.None).ConfigureAwait(false);
        Start(messages);
        return messages.Count;
    }

    private Task<int> TakeSlotsAsync(CancellationToken ct) => _credits.TakeAsync(_options.MaxBatchSize, ct);

    private int TryTakeSlots() => _credits.TryTake(_options.MaxBatchSize);

    private void ReleaseSlots(int count) => _credits.Return(count);

    private static TimeSpan FailureDelay(int failures)
    {
        var ms = Math.Min(MaxFailureDelay.TotalMilliseconds, 100 * Math.Pow(2, Math.Min(failures - 1, 10)));
        // Jitter spreads the reconnect attempts of many workers.
        return TimeSpan.FromMilliseconds(ms * (0.75 + (Random.Shared.NextDouble() * 0.5)));
    }
}
