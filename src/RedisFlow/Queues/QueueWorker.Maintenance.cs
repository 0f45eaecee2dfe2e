namespace RedisFlow.Queues;

public sealed partial class QueueWorker
{
    /// <summary>
    /// Every third of the claim idle time, resets the idle time of the entries still being handled here, so another
    /// worker does not take a long-running entry for a stalled one. Costs nothing while no handler runs.
    /// </summary>
    private async Task KeepAliveLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_options.KeepAliveInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                foreach (var lane in _lanes)
                {
                    if (lane.InFlight.IsEmpty)
                    {
                        continue;
                    }

                    var lost = await _queue.KeepAliveAsync(lane.Consumer, [.. lane.InFlight.Keys], ct).ConfigureAwait(false);
                    foreach (var id in lost ?? [])
                    {
                        if (lane.InFlight.ContainsKey(id))
                        {
                            QueueLog.EntryLost(_logger, lane.Queue, _options.GroupName, id);
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Trims acknowledged entries every <see cref="QueueWorkerOptions.TrimInterval"/> (never when it is zero), skipping
    /// the intervals in which this worker acknowledged nothing.
    /// </summary>
    private async Task TrimLoopAsync(CancellationToken ct)
    {
        if (_options.TrimInterval == TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(_options.TrimInterval);
        try
        {
            var handledAtLastTrim = -1L;
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                // Nothing acknowledged here since the last trim: nothing of ours to trim, so an idle worker stays quiet
                // (the workers that do acknowledge trim for the whole group).
                var handled = HandledCount;
                if (handled == handledAtLastTrim)
                {
                    continue;
                }

                handledAtLastTrim = handled;
                foreach (var lane in _lanes)
                {
                    var result = await _queue.TrimAsync(lane.Queue, ct).ConfigureAwait(false);
                    if (result is { Deleted: > 0, MinId: { } minId })
                    {
                        QueueLog.Trimmed(_logger, lane.Queue, result.Deleted, minId);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
