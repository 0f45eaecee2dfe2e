using RedisFlow.Diagnostics;

namespace RedisFlow.Queues;

/// <summary>The handler loops: entries taken highest queue first, handled, and acknowledged or left pending.</summary>
public sealed partial class QueueWorker
{
    /// <summary>
    /// One of <see cref="QueueWorkerOptions.Concurrency"/> loops that run handlers.
    /// </summary>
    /// <remarks>
    /// A batch wakes one idle loop, and a loop that takes an entry while more are queued wakes the next idle one
    /// before running its handler. Long handlers therefore each get a loop of their own within a few wake-ups, while
    /// short handlers are run back to back by the loops already awake: no task, no wake-up and no thread hop per
    /// entry (waking every idle loop for every batch cost more CPU than the handlers themselves).
    /// </remarks>
    private async Task HandlerLoopAsync()
    {
        while (true)
        {
            if (!TryTakeWork(out var lane, out var message))
            {
                Interlocked.Increment(ref _idleLoops);
                // Checked again after counting ourselves idle: an entry queued in between woke nobody.
                if (!TryTakeWork(out lane, out message))
                {
                    if (_draining)
                    {
                        Interlocked.Decrement(ref _idleLoops);
                        return;
                    }

                    await _wake.WaitAsync().ConfigureAwait(false);
                    Interlocked.Decrement(ref _idleLoops);
                    continue;
                }

                Interlocked.Decrement(ref _idleLoops);
            }

            if (HasWork() && Volatile.Read(ref _idleLoops) > 0)
            {
                _wake.Release();
            }

            await RunHandlerAsync(lane, message).ConfigureAwait(false);
        }
    }

    /// <summary>The next entry waiting for a handler, from the highest queue that has one.</summary>
    private bool TryTakeWork(out WorkerLane lane, out RedisMsg message)
    {
        foreach (var candidate in _lanes)
        {
            if (candidate.Work.TryDequeue(out message!))
            {
                lane = candidate;
                return true;
            }
        }

        lane = null!;
        message = null!;
        return false;
    }

    private bool HasWork() => _lanes.Any(static l => !l.Work.IsEmpty);

    private async Task RunHandlerAsync(WorkerLane lane, RedisMsg message)
    {
        if (_abort.IsCancellationRequested)
        {
            Finish(lane, message.Id); // shutdown ran out of time before it started: it stays pending
            return;
        }

        using var telemetry = HandleTelemetry.Start(message);
        try
        {
            await _handler(message, _abort.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            telemetry?.Cancelled();
            Finish(lane, message.Id); // shutdown ran out of time: the entry stays pending for the next start or another worker
            return;
        }
#pragma warning disable CA1031 // A failing handler must never stop the worker; the entry stays pending and is retried.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            telemetry?.Failed(ex);
            Interlocked.Increment(ref _failed);
            QueueMetrics.RecordFailed(lane.Queue);
            QueueLog.HandlerFailed(_logger, lane.Queue, _options.GroupName, message.Id, message.DeliveryCount, _options.ClaimIdleTime, ex);
            Finish(lane, message.Id);
            return;
        }

        // The handler is done: the ack is queued (the entry stays in the in-flight set until acknowledged, so a claim
        // never hands it out twice) and the credit goes back before the ack's round trip, so the next read overlaps it.
        lane.Acks.Enqueue(message.Id);
        _credits.Return(1);
    }

    /// <summary>An entry left without an ack: its credit goes back and it leaves the in-flight set.</summary>
    private void Finish(WorkerLane lane, string id)
    {
        lane.InFlight.TryRemove(id, out _);
        _credits.Return(1);
    }

    /// <summary>The outcome of a queued ack.</summary>
    private void OnAcked(WorkerLane lane, string id, bool ok)
    {
        lane.InFlight.TryRemove(id, out _);
        if (ok)
        {
            Interlocked.Increment(ref _handled);
            QueueMetrics.RecordHandled(lane.Queue);
        }
    }

    /// <summary>The entries held now, for a registered worker's heartbeat.</summary>
    private List<RedisMsg> CurrentMessages() =>
        [.. _lanes.SelectMany(static l => l.InFlight.Values).OfType<RedisMsg>()];
}
