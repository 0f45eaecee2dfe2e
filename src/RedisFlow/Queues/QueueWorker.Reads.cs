using StackExchange.Redis;

namespace RedisFlow.Queues;

/// <summary>Reads of new entries over the worker's queues, highest priority first.</summary>
public sealed partial class QueueWorker
{
    /// <summary>
    /// The queues grouped for blocking reads: one group, one XREADGROUP over all of them, except on Redis Cluster,
    /// where a command may only name keys of one hash slot (CROSSSLOT otherwise): there, one group per slot, each
    /// read on a connection of its own. Within a group, and between groups, priority order is kept.
    /// </summary>
    private WorkerLane[][] ReadGroups() => _queue.GroupBySlot(_lanes, static l => l.Queue);

    /// <summary>
    /// A read without BLOCK for the credits taken (while there is a backlog), from the highest queue down: a lower
    /// queue is read only when every higher one gave all it had, and only for free handlers (the read-ahead, when
    /// set, is for the highest queue that has entries). It never throws (a failure ends the backlog mode).
    /// </summary>
    private async Task ReadAheadOfHandlersAsync(int credits, CancellationToken ct)
    {
        var dispatched = 0;
        try
        {
            var got = 0;
            var more = false;
            var forHandlers = Math.Max(0, credits - _options.ReadAhead);
            foreach (var lane in _lanes)
            {
                var allowed = got == 0 ? credits : Math.Min(credits, forHandlers) - got;
                if (allowed <= 0)
                {
                    more = true; // the queues below were not looked at: no blocking read before they are
                    break;
                }

                var read = await _queue.ReadAsync(lane.Consumer, null, ">", allowed, TimeSpan.Zero, createGroup: true, ct).ConfigureAwait(false);
                if (read.Failed)
                {
                    Interlocked.Increment(ref _failures);
                    Volatile.Write(ref _backlog, false);
                    return;
                }

                got += read.Entries.Length;
                // Entries read while stopping are handled too: they are already in this consumer's pending list.
                dispatched += await DispatchAsync(lane, read.Entries, null, 1).ConfigureAwait(false);
                if (read.Entries.Length == allowed)
                {
                    more = true; // this queue may hold more: nothing is read below it
                    break;
                }
            }

            Interlocked.Exchange(ref _failures, 0);
            Volatile.Write(ref _backlog, more);
        }
#pragma warning disable CA1031 // Reported through the fetch loop's failure count and log, like any read.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Volatile.Write(ref _backlog, false);
            if (!ct.IsCancellationRequested)
            {
                Interlocked.Increment(ref _failures);
                QueueLog.LoopFailed(_logger, _queueList, "fetch", FailureDelay(1), ex);
            }
        }
        finally
        {
            SettleSlots(credits, dispatched);
        }
    }

    /// <summary>
    /// One blocking read of new entries for the credits taken, over every queue at once: one XREADGROUP naming all
    /// the streams (one per hash slot on Cluster, sent together; the first to answer with entries ends the others).
    /// The entries are dispatched highest queue first.
    /// </summary>
    /// <remarks>
    /// XREADGROUP's COUNT applies to each stream, so with several queues each is asked for an equal share of the
    /// credits (at least one). With several queues the worker blocks only after a non-blocking pass (at start-up,
    /// and after every read that brought entries) found every queue empty, so entries from two queues in one answer
    /// are those added in the same instant; with fewer credits than queues that can exceed the credits by at most one
    /// entry per further queue, handled as soon as a handler is free (borrowed credits).
    /// </remarks>
    private async Task BlockAndDispatchAsync(WorkerLane[][] readGroups, BlockingStreamReader[] readers, int taken, TimeSpan block, CancellationToken ct)
    {
        var dispatched = 0;
        try
        {
            if (_lanes.Length == 1)
            {
                var lane = _lanes[0];
                var read = await _queue.ReadAsync(lane.Consumer, readers[0], ">", taken, block, createGroup: true, ct).ConfigureAwait(false);
                if (NoteRead(read.Failed, read.Entries.Length == taken))
                {
                    dispatched = await DispatchAsync(lane, read.Entries, null, 1).ConfigureAwait(false);
                }

                return;
            }

            var perQueue = Math.Max(1, taken / _lanes.Length);
            var reads = await _queue.ReadSlotGroupsAsync([.. readGroups.Select(static g => g.Select(static l => l.Consumer).ToArray())], readers, perQueue, block, ct).ConfigureAwait(false);
            var failed = reads.Any(static r => r is null);
            var byLane = new Dictionary<WorkerLane, StreamEntry[]>();
            for (var g = 0; g < readGroups.Length; g++)
            {
                for (var i = 0; i < readGroups[g].Length && reads[g] is { } read; i++)
                {
                    byLane[readGroups[g][i]] = read[i];
                }
            }

            // Any entry sends the loop to a non-blocking pass, highest queue first, before it blocks again: a blocking
            // read over several queues is only sent once a pass found them all empty, which is what keeps it in order.
            if (!NoteRead(failed && byLane.Values.All(static e => e.Length == 0), byLane.Values.Any(static e => e.Length > 0)))
            {
                return;
            }

            foreach (var lane in _lanes)
            {
                if (byLane.TryGetValue(lane, out var entries))
                {
                    dispatched += await DispatchAsync(lane, entries, null, 1).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            SettleSlots(taken, dispatched);
        }
    }

    /// <summary>Records a read's outcome for the fetch loop (failure count, backlog mode); false when it failed.</summary>
    private bool NoteRead(bool failed, bool full)
    {
        if (failed)
        {
            Interlocked.Increment(ref _failures);
            Volatile.Write(ref _backlog, false);
            return false;
        }

        Interlocked.Exchange(ref _failures, 0);
        Volatile.Write(ref _backlog, full);
        return true;
    }
}
