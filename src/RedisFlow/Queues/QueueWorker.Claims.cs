using StackExchange.Redis;

namespace RedisFlow.Queues;

/// <summary>Entries delivered before: this consumer's own (recovered at start-up) and stalled ones claimed from others.</summary>
public sealed partial class QueueWorker
{
    private const int MaxRecoveryPages = 100_000;
    private const int MaxClaimRounds = 100;

    /// <summary>Idle pending entries listed per claim round: enough to see past entries of live executors.</summary>
    private const int ClaimPageSize = 100;

    /// <summary>Handles this consumer's own pending entries (left by a previous run under the same name) first, across its queues in priority order.</summary>
    private async Task RecoverAsync(CancellationToken ct)
    {
        foreach (var lane in _lanes)
        {
            await RecoverAsync(lane, ct).ConfigureAwait(false);
        }
    }

    private async Task RecoverAsync(WorkerLane lane, CancellationToken ct)
    {
        var position = "0";
        var recovered = 0;
        for (var page = 0; page < MaxRecoveryPages; page++)
        {
            var taken = await TakeSlotsAsync(ct).ConfigureAwait(false);
            var dispatched = 0;
            try
            {
                var read = await _queue.ReadAsync(lane.Consumer, null, position, taken, TimeSpan.Zero, createGroup: true, ct).ConfigureAwait(false);
                if (read.Entries.Length == 0)
                {
                    break; // none left (or Redis is down: the claim pass picks them up once idle)
                }

                position = (string)read.Entries[^1].Id!;
                dispatched = await DispatchCountedAsync(lane, read.Entries, ct).ConfigureAwait(false);
                recovered += dispatched;
            }
            finally
            {
                ReleaseSlots(taken - dispatched);
            }
        }

        if (recovered > 0)
        {
            QueueLog.Recovered(_logger, lane.Queue, _options.GroupName, _options.ConsumerName, recovered);
        }
    }

    /// <summary>
    /// Claims entries of <paramref name="lane"/> idle for longer than <see cref="QueueWorkerOptions.ClaimIdleTime"/>
    /// from other consumers of the group (dead ones, renamed ones, and failed handlers' entries), as many as there
    /// are free handlers, except from RAGFlow executors whose heartbeat is fresh (<see cref="ExecutorLiveness"/>).
    /// XPENDING with IDLE lists the candidates with their owners, XCLAIM takes the eligible ones (re-checking their
    /// idle time, so an entry another worker took meanwhile is not taken twice).
    /// </summary>
    private async Task ClaimStalledAsync(WorkerLane lane, CancellationToken ct)
    {
        var liveness = new ExecutorLiveness(_fleet, _options.ExecutorHeartbeatTimeout, _options.ConsumerName);
        var start = "-";
        var claimed = 0;
        var skipped = 0;
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
                var rows = await _queue.IdlePendingAsync(lane.Consumer, _options.ClaimIdleTime, start, ClaimPageSize, ct).ConfigureAwait(false);
                if (rows is not { Length: > 0 })
                {
                    break;
                }

                var ids = new List<RedisValue>(taken);
                var seen = 0;
                for (; seen < rows.Length && ids.Count < taken; seen++)
                {
                    var row = rows[seen];
                    if (lane.InFlight.ContainsKey(row.Id))
                    {
                        continue; // still running here: the keep-alive will reset its idle time
                    }

                    if (await liveness.MayClaimFromAsync(row.Consumer, ct).ConfigureAwait(false))
                    {
                        ids.Add(row.Id);
                    }
                    else
                    {
                        skipped++;
                    }
                }

                if (ids.Count > 0 && await _queue.ClaimAsync(lane.Consumer, _options.ClaimIdleTime, [.. ids], ct).ConfigureAwait(false) is { Length: > 0 } entries)
                {
                    claimed += entries.Length;
                    dispatched = await DispatchCountedAsync(lane, entries, ct).ConfigureAwait(false);
                }

                if (seen == rows.Length && rows.Length < ClaimPageSize)
                {
                    break;
                }

                start = "(" + rows[seen - 1].Id;
            }
            finally
            {
                ReleaseSlots(taken - dispatched);
            }
        }

        if (skipped > 0)
        {
            QueueLog.ClaimSkippedLiveExecutors(_logger, lane.Queue, _options.GroupName, skipped);
        }

        if (claimed > 0)
        {
            QueueMetrics.RecordClaimed(lane.Queue, claimed);
            QueueLog.Claimed(_logger, lane.Queue, _options.GroupName, _options.ConsumerName, claimed, _options.ClaimIdleTime);
        }
    }

    /// <summary>Dispatches entries delivered before (recovered or claimed): over-delivered ones go to the dead-letter stream.</summary>
    private async Task<int> DispatchCountedAsync(WorkerLane lane, StreamEntry[] entries, CancellationToken ct)
    {
        var first = (string)entries[0].Id!;
        var last = (string)entries[^1].Id!;
        var counts = await _queue.DeliveryCountsAsync(lane.Consumer, first, last, entries.Length + lane.InFlight.Count + 16, ct).ConfigureAwait(false) ?? [];
        var keep = new List<StreamEntry>(entries.Length);
        foreach (var entry in entries)
        {
            var id = (string)entry.Id!;
            if (lane.InFlight.ContainsKey(id))
            {
                // Claimed back from ourselves (a handler stalled past the idle time): it is already running here.
                continue;
            }

            if (counts.TryGetValue(id, out var deliveries) && deliveries > _options.MaxDeliveries)
            {
                await _queue.DeadLetterAsync(lane.Consumer, id, DeadLetterReasons.TooManyDeliveries, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            keep.Add(entry);
        }

        return await DispatchAsync(lane, [.. keep], counts, 0).ConfigureAwait(false);
    }

    /// <summary>Starts a handler for every well-formed entry of <paramref name="lane"/> (each takes one of the slots the caller holds).</summary>
    private async Task<int> DispatchAsync(WorkerLane lane, StreamEntry[] entries, IReadOnlyDictionary<string, long>? counts, long defaultDeliveries)
    {
        if (entries.Length == 0)
        {
            return 0;
        }

        // Not cancelled: these entries are already delivered to this consumer, so they are handled even while stopping.
        var messages = await _queue.ToMessagesAsync(lane.Consumer, entries, counts, defaultDeliveries, CancellationToken.None).ConfigureAwait(false);
        Start(lane, messages);
        return messages.Count;
    }
}
