using System.Diagnostics;
using StackExchange.Redis;

namespace RedisFlow.Queues;

public sealed partial class QueueWorker
{
    private const int MaxRecoveryPages = 100_000;
    private const int MaxClaimRounds = 100;
    private static readonly TimeSpan MaxFailureDelay = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Reads new entries until stopped. A read asks for at most as many entries as there are free handlers, so
    /// nothing waits in a local buffer: every entry read is already being handled. Stalled entries are claimed
    /// between reads, every claim interval.
    /// </summary>
    private async Task FetchLoopAsync(BlockingStreamReader reader, CancellationToken ct)
    {
        var claimInterval = _options.EffectiveClaimInterval;
        var lastClaim = Stopwatch.GetTimestamp() - (long)(claimInterval.TotalSeconds * Stopwatch.Frequency) - 1;
        var failures = 0;
        var backlog = false;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (Stopwatch.GetElapsedTime(lastClaim) >= claimInterval)
                {
                    await ClaimStalledAsync(ct).ConfigureAwait(false);
                    lastClaim = Stopwatch.GetTimestamp();
                }

                var untilClaim = claimInterval - Stopwatch.GetElapsedTime(lastClaim);
                var block = untilClaim < _options.BlockTimeout ? untilClaim : _options.BlockTimeout;
                if (block < TimeSpan.FromMilliseconds(1))
                {
                    block = TimeSpan.FromMilliseconds(1);
                }

                var taken = await TakeSlotsAsync(ct).ConfigureAwait(false);
                var dispatched = 0;
                try
                {
                    // While the stream has a backlog (the last read filled every free slot), read without BLOCK on
                    // the shared connection: no dedicated round trip, and the next read can follow at once. The
                    // blocking connection is used only once a read comes back short, so an idle worker still sends
                    // one command per block timeout.
                    var read = await _db.ReadQueueAsync(reader, _options.QueueName, _options.GroupName, _options.ConsumerName, ">", taken,
                        backlog ? TimeSpan.Zero : block, createGroup: true, ct).ConfigureAwait(false);
                    if (read.Failed)
                    {
                        failures++;
                        await Task.Delay(FailureDelay(failures), ct).ConfigureAwait(false);
                        continue;
                    }

                    failures = 0;
                    backlog = read.Entries.Length == taken;
                    // Entries read while stopping are handled too: they are already in this consumer's pending list.
                    dispatched = await DispatchAsync(read.Entries, null, 1).ConfigureAwait(false);
                }
                finally
                {
                    ReleaseSlots(taken - dispatched);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // The loop must never die; it logs, backs off and goes on.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failures++;
                var delay = FailureDelay(failures);
                QueueLog.LoopFailed(_logger, _options.QueueName, "fetch", delay, ex);
                await Task.Delay(delay, ct).ConfigureAwait(false);
            }
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
                var read = await _db.ReadQueueAsync(null, _options.QueueName, _options.GroupName, _options.ConsumerName, position, taken, TimeSpan.Zero, createGroup: true, ct).ConfigureAwait(false);
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
                var result = await _db.AutoClaimAsync(_options.QueueName, _options.GroupName, _options.ConsumerName, _options.ClaimIdleTime, cursor, taken, ct).ConfigureAwait(false);
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
        var counts = await _db.DeliveryCountsAsync(_options.QueueName, _options.GroupName, _options.ConsumerName, first, last,
            entries.Length + _inFlight.Count + 16, ct).ConfigureAwait(false) ?? [];
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
                await _db.DeadLetterCoreAsync(_options.QueueName, _options.GroupName, id, DeadLetterReasons.TooManyDeliveries,
                    _options.DeleteDeadLettered, _options.DeadLetterMaxLength, CancellationToken.None).ConfigureAwait(false);
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
        var messages = await _db.ToMessagesAsync(entries, _options.QueueName, _options.GroupName, _options.ConsumerName, counts, defaultDeliveries,
            _acks.AckAsync, _options.DeadLetterMaxLength, _options.DeleteDeadLettered, CancellationToken.None).ConfigureAwait(false);
        foreach (var message in messages)
        {
            Start(message);
        }

        return messages.Count;
    }

    private async Task<int> TakeSlotsAsync(CancellationToken ct)
    {
        await _slots.WaitAsync(ct).ConfigureAwait(false);
        var taken = 1;
        while (taken < _options.MaxBatchSize && _slots.Wait(0, CancellationToken.None))
        {
            taken++;
        }

        return taken;
    }

    private int TryTakeSlots()
    {
        var taken = 0;
        while (taken < _options.MaxBatchSize && _slots.Wait(0, CancellationToken.None))
        {
            taken++;
        }

        return taken;
    }

    private void ReleaseSlots(int count)
    {
        if (count > 0)
        {
            _slots.Release(count);
        }
    }

    private static TimeSpan FailureDelay(int failures)
    {
        var ms = Math.Min(MaxFailureDelay.TotalMilliseconds, 100 * Math.Pow(2, Math.Min(failures - 1, 10)));
        // Jitter spreads the reconnect attempts of many workers.
        return TimeSpan.FromMilliseconds(ms * (0.75 + (Random.Shared.NextDouble() * 0.5)));
    }
}
